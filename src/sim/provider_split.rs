//! The capacity-provider strategy: which provider runs the next task of a group, by base and weight (reference/ecs-facts.md §5.1).

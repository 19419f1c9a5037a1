//! A token bucket in integer milliseconds: Fargate's task launch rate (reference/ecs-facts.md §7.2).

//! Rolling deployments of a service: the documented rounding of minimumHealthyPercent and maximumPercent and the next step of a deployment (reference/ecs-facts.md §6.1).

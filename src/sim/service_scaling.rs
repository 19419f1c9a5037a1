//! Service auto scaling: target tracking on average CPU utilisation with alarm shapes and cooldowns (reference/ecs-facts.md §6.3).

//! The generic discrete-event engine: an event queue ordered by (time, kind, sequence) and
//! seeded random-number streams. It knows nothing about ECS.

pub mod event_queue;
pub mod rng;

pub use event_queue::EventQueue;
pub use rng::{RngStream, StreamPurpose};

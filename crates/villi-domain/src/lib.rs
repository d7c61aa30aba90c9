//! villi's domain: the pure rules of a gut-health practice.
//!
//! Nothing here performs I/O, spawns tasks or knows about HTTP or SQL. The
//! knowledge base and the marker catalogue are data files embedded at compile
//! time and validated by tests.

pub mod assessment;
pub mod booking;
pub mod calendar;
pub mod intake;
pub mod knowledge;
pub mod labs;

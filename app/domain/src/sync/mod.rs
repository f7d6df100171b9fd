//! Offline sync (DOMAIN.md section 6), everything but the I/O:
//!
//! | module | what it holds |
//! |---|---|
//! | [`messages`] (re-exported here) | the operations, outcomes and snapshots that cross the wire |
//! | [`replica`] | the device's copy and its outbox: nothing typed is lost |
//! | [`engine`] | when the device syncs and what it sends, as a state machine |
//! | [`merge`] | the three-way merge of two versions of a commitment |
//! | [`decision`] | what the server does with an operation (apply, replay, conflict) |
//! | [`device`] | what a device keeps per account, as records; two tabs' saves merged |

pub mod decision;
pub mod device;
pub mod engine;
pub mod merge;
mod messages;
pub mod replica;

pub use messages::*;

//! The values every other module speaks in: accounts, hashes, amounts of a
//! token, durations, contract events and the blocks that hold them, stop
//! reasons and the contracts' metadata. Each is defined once here, with its
//! one way to be read from text (`FromStr`) and written as text (`Display`),
//! so strings exist only at the edges (clap, HTTP, SQL). This layer imports
//! nothing else of the crate.
pub mod account;
pub mod amount;
pub mod duration;
pub mod event;
pub mod hex;
pub mod metadata;

pub use account::{ss58, Address};
pub use amount::{Amount, TokenAmount};
pub use duration::Duration;
pub use event::{decode, emitted_by, find, Block, Emitted, EventKind, Position};
pub use hex::{hex_bytes, Hex32};
pub use metadata::Metadata;
pub use p2pcloud_common::{Balance, StopReason};

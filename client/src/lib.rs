//! The one path from Rust to the p2pcloud contracts on a chain.
//!
//! [`chain::Chain`] is one interface over two backends:
//! [`node::NodeChain`], any pallet-contracts chain over RPC through subxt
//! (for example `substrate-contracts-node`), and, with the `embedded`
//! feature, [`embedded::EmbeddedChain`], an in-process runtime whose clock
//! the caller sets. Calls are built by the contracts' own Rust types (their
//! `*Ref` call builders), never by hand-kept selectors; events are named
//! and printed from the contracts' metadata. The demo, the deploy binary, the
//! end-to-end tests, the benchmark and the CLI all go through this crate.
pub mod bundles;
pub mod chain;
pub mod compat;
pub mod domain;
#[cfg(feature = "embedded")]
pub mod embedded;
pub mod error;
pub mod history;
pub mod node;
pub mod protocol;
pub mod sdk;
pub mod time_left;
pub mod verify;

pub use error::Error;

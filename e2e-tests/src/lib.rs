//! End-to-end scenarios of the p2pcloud contracts on real chains.
//!
//! Scenarios are written once against [`chain::Chain`] and run on two backends:
//! [`embedded::EmbeddedChain`], an in-process runtime with pallet-contracts
//! whose clock the scenarios set, and [`node::NodeChain`], a
//! `substrate-contracts-node` driven through real extrinsics. The tests in
//! `tests/` run them; the `demo` binary runs the booking workflow and prints it.
pub mod bundles;
pub mod chain;
pub mod embedded;
pub mod events;
pub mod hostile;
pub mod market;
pub mod node;
pub mod protocol;
pub mod upgrade;
pub mod workflow;

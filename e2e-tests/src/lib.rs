//! End-to-end scenarios of the p2pcloud contracts on real chains.
//!
//! Scenarios are written once against the client's `Chain` and run on its two
//! backends: the embedded chain, an in-process runtime with pallet-contracts
//! whose clock the scenarios set, and a `substrate-contracts-node` driven
//! through real extrinsics. The tests in `tests/` run them; the `demo`
//! binary runs the booking workflow and prints it.
pub mod bundles;
pub mod hostile;
pub mod market;
pub mod names;
pub mod protocol;
pub mod upgrade;
pub mod verifying;
pub mod workflow;

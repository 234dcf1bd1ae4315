//! The `p2pcloud` CLI as a subprocess against a fresh `substrate-contracts-node
//! --dev`: the seed's whole workflow from the shell (deploy, an offer, a
//! deposit, a booking, a claim, a stop with a report, a withdrawal, the fee
//! collection and a vote that lowers the fee), then bad input, each refused
//! with a sentence, a non-zero exit code and no change. Needs the node
//! (`CONTRACTS_NODE` or `PATH`) and the bundles from `scripts/build.sh`;
//! `scripts/test.sh` runs it only where the node is installed.
//!
//! By feature: how a test runs the binary (`harness`), the whole workflow
//! (`workflow`, then its index in `indexing` and its bad input in
//! `bad_input`), the miner loop across a node restart (`restart`) and
//! funding by others (`funding`).
mod bad_input;
mod funding;
mod harness;
mod indexing;
mod restart;
mod workflow;

//! The scenarios on the embedded chain, and the ones only it can run quickly
//! because they need days to pass: the 7-day lock, a booking ended for
//! non-payment, and the fee fixed at booking time across a fee change.
//!
//! By feature: the scenarios every backend runs (`scenarios`), a user's
//! balance over days (`balances`), the community's fees (`fees`), its
//! governance (`governance`), what the embedded runtime itself reports
//! (`runtime`) and the broker's split into a contract and its library
//! (`split`).
mod balances;
mod fees;
mod governance;
mod runtime;
mod scenarios;
mod split;

use e2e_tests::bundles::contract_wasm;
use p2pcloud_client::embedded::EmbeddedChain;

const DAY_MS: u64 = 86_400_000;

fn chain() -> EmbeddedChain {
    EmbeddedChain::new(contract_wasm())
}

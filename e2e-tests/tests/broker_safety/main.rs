//! The broker's money rules on the embedded chain, each against the attack
//! or the bad sequence it stops: a price raised before a booking lands, a
//! user who runs short paying miners by claim order, a migration blocked by
//! dust, self-booked reports, a report pre-empted by the miner's own stop,
//! fees and offers across a stablecoin change, pages that skip, storage never
//! given back, and amounts past the bounds.
//!
//! By feature: offers, pages and bounds (`offers`), how bookings settle
//! (`settlement`), the stablecoin migration (`migration`) and the storage
//! deposit (`storage`).
mod migration;
mod offers;
mod settlement;
mod storage;

const DAY_MS: u64 = 86_400_000;

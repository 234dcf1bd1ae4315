//! Recognises contract events by their signature topic, so scenarios can pick
//! out the ones they check and the demo can print every one by name.
use crate::chain::Emitted;
use broker::events as broker_events;
use community::events as community_events;
use scale::Decode;
use std::fmt::Debug;

/// The first event of type `E` among `events`, with its topics.
pub fn find<E: ink::env::Event + Decode>(events: &[Emitted]) -> Option<(E, Vec<[u8; 32]>)> {
    events
        .iter()
        .find_map(|event| decode::<E>(event).map(|e| (e, event.topics.clone())))
}

/// `event` decoded as `E`, if `E`'s signature topic is its first topic.
pub fn decode<E: ink::env::Event + Decode>(event: &Emitted) -> Option<E> {
    let signature = E::SIGNATURE_TOPIC?;
    if event.topics.first() != Some(&signature) {
        return None;
    }
    E::decode(&mut &event.data[..]).ok()
}

fn show<E: ink::env::Event + Decode + Debug>(event: &Emitted) -> Option<String> {
    decode::<E>(event).map(|decoded| format!("{decoded:?}"))
}

// The psp22 crate's events do not derive `Debug`.
fn show_transfer(event: &Emitted) -> Option<String> {
    decode::<psp22::Transfer>(event).map(|t| {
        format!(
            "Transfer {{ from: {:?}, to: {:?}, value: {} }}",
            t.from, t.to, t.value
        )
    })
}

fn show_approval(event: &Emitted) -> Option<String> {
    decode::<psp22::Approval>(event).map(|a| {
        format!(
            "Approval {{ owner: {:?}, spender: {:?}, amount: {} }}",
            a.owner, a.spender, a.amount
        )
    })
}

/// One line naming the event and its fields.
pub fn describe(event: &Emitted) -> String {
    const KNOWN: &[fn(&Emitted) -> Option<String>] = &[
        show_transfer,
        show_approval,
        show::<broker_events::OfferAdded>,
        show::<broker_events::OfferUpdated>,
        show::<broker_events::OfferRemoved>,
        show::<broker_events::OfferClosed>,
        show::<broker_events::Deposited>,
        show::<broker_events::Withdrawn>,
        show::<broker_events::BookingStarted>,
        show::<broker_events::MinerPayout>,
        show::<broker_events::BookingStopped>,
        show::<broker_events::BookingReported>,
        show::<broker_events::MigrationStarted>,
        show::<broker_events::StablecoinChanged>,
        show::<broker_events::CommunityProposed>,
        show::<broker_events::CommunityChanged>,
        show::<broker_events::CommunityFeeChanged>,
        show::<broker_events::CodeUpgraded>,
        show::<broker_events::TokenCallLimitsChanged>,
        show::<broker::StorageMigrated>,
        show::<community_events::ProposalCreated>,
        show::<community_events::Voted>,
        show::<community_events::ProposalExecuted>,
        show::<community_events::MemberAdded>,
        show::<community_events::MemberRemoved>,
        show::<community_events::WeightChanged>,
        show::<community_events::ReleaseApproved>,
        show::<community_events::FeesCollected>,
        show::<community_events::ShareClaimed>,
        show::<community_events::BrokerCreated>,
        show::<community_events::CommunityCodeUpgraded>,
    ];
    KNOWN
        .iter()
        .find_map(|known| known(event))
        .unwrap_or_else(|| format!("unrecognised event of {:?}", event.contract))
}

pub use p2pcloud_common::testing::topic;

/// Replaces account ids in printed lines by the names of who they are.
#[derive(Default)]
pub struct Names(Vec<(String, String)>);

impl Names {
    pub fn add(&mut self, account: ink::primitives::AccountId, name: &str) {
        self.0.push((format!("{account:?}"), name.to_string()));
    }

    pub fn apply(&self, line: &str) -> String {
        self.0
            .iter()
            .fold(line.to_string(), |line, (id, name)| line.replace(id, name))
    }
}

/// An amount of the 6-decimal mock stablecoin, in mUSD.
pub fn musd(units: u128) -> String {
    format!("{}.{:06} mUSD", units / 1_000_000, units % 1_000_000)
}

/// An account as 0x-prefixed hex.
pub fn hex(account: &ink::primitives::AccountId) -> String {
    let bytes: &[u8; 32] = account.as_ref();
    bytes
        .iter()
        .fold(String::from("0x"), |hex, byte| hex + &format!("{byte:02x}"))
}

//! What the indexer keeps of a block: the broker's payments, stops and
//! complaints as records (the client's, which the SDK reads from the chain
//! the same way), and every event of the watched contracts whole.
use ink::primitives::AccountId;
use p2pcloud_client::chain::Emitted;
pub use p2pcloud_client::history::{Kind, Position, Record};

/// Any event of the watched contracts (the broker and the community), kept
/// whole: its name and fields as the contracts' metadata prints them, and its
/// SCALE data for whoever decodes it another way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractEvent {
    pub position: Position,
    pub contract: AccountId,
    /// The event's name, or `unnamed` where the metadata was not found.
    pub name: String,
    /// The event with its fields, as the metadata prints it.
    pub text: String,
    pub data: Vec<u8>,
}

/// `event` with its name and fields from the contracts' metadata.
pub fn contract_event(event: &Emitted, position: Position) -> ContractEvent {
    let text = p2pcloud_client::events::describe(event);
    let name = text
        .split([' ', '{'])
        .next()
        .filter(|word| word.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
        .unwrap_or("unnamed")
        .to_string();
    ContractEvent {
        position,
        contract: event.contract,
        name,
        text,
        data: event.data.clone(),
    }
}

//! What the indexer keeps of a block besides the broker's records (the
//! client's `history::Record`, which the SDK reads from the chain the same
//! way): every event of the watched contracts whole.
use ink::primitives::AccountId;
use p2pcloud_client::domain::{Emitted, Metadata, Position};

/// Any event of the watched contracts (the broker and the community), kept
/// whole: its name and fields as the contracts' metadata prints them, and its
/// SCALE data for whoever decodes it another way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractEvent {
    pub position: Position,
    pub contract: AccountId,
    /// The event's name, or [`UNNAMED`] where the metadata does not know it.
    pub name: String,
    /// The event with its fields, as the metadata prints it.
    pub text: String,
    pub data: Vec<u8>,
}

/// The name kept for an event the metadata does not know.
pub const UNNAMED: &str = "unnamed";

/// `event` with its name and fields from `metadata`.
pub fn contract_event(metadata: &Metadata, event: &Emitted, position: Position) -> ContractEvent {
    ContractEvent {
        position,
        contract: event.contract,
        name: metadata
            .event_name(event)
            .unwrap_or_else(|| UNNAMED.to_string()),
        text: metadata.describe(event),
        data: event.data.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_the_metadata_does_not_know_is_kept_unnamed_with_its_data() {
        let event = Emitted {
            contract: AccountId::from([7; 32]),
            topics: vec![[1; 32]],
            data: vec![1, 2, 3],
        };
        let position = Position {
            block_number: 3,
            block_time: 18_000,
            event_index: 2,
            extrinsic_index: Some(1),
        };
        let kept = contract_event(&Metadata::default(), &event, position);
        assert_eq!(kept.name, UNNAMED);
        assert!(kept.text.contains("does not name"), "{}", kept.text);
        assert_eq!((kept.position, kept.data), (position, vec![1, 2, 3]));
    }
}

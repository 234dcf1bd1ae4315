//! Contract events out of a node's runtime events: those an extrinsic
//! emitted, the contract an instantiation created, and a whole block's.
use super::{client, Config, NodeChain};
use crate::{
    chain::ChainError,
    domain::{Block, Emitted},
};
use ink::primitives::AccountId;
use scale::Decode;
use subxt::{
    blocks::ExtrinsicEvents,
    events::{EventDetails, Phase},
};

impl NodeChain {
    /// Block `number`'s contract events, and its time if it has any.
    pub(super) async fn read_block(&self, number: u64) -> Result<Block, ChainError> {
        let hash = self
            .rpc
            .chain_get_block_hash(Some(number.into()))
            .await
            .map_err(client)?
            .ok_or_else(|| client(format!("the node has no block {number}")))?;
        let all = self.api.events().at(hash).await.map_err(client)?;
        let mut events = Vec::new();
        for event in all.iter() {
            let event = event.map_err(client)?;
            let Some(emitted) = contract_emitted(&event)? else {
                continue;
            };
            let extrinsic = match event.phase() {
                Phase::ApplyExtrinsic(index) => Some(index),
                _ => None,
            };
            events.push((event.index(), extrinsic, emitted));
        }
        // Most blocks hold no contract event: their time is never asked for,
        // so it is not read (a request less per block walked).
        let time = if events.is_empty() {
            0
        } else {
            self.timestamp_at(hash).await?.unwrap_or_default()
        };
        Ok(Block {
            number,
            time,
            events,
        })
    }
}

/// The contract an instantiation by `deployer` created, from its
/// `Instantiated` event (a constructor may instantiate children, whose
/// deployer is the new contract).
pub(super) fn instantiated_account(
    events: &ExtrinsicEvents<Config>,
    deployer: AccountId,
) -> Result<AccountId, ChainError> {
    for event in events.iter() {
        let event = event.map_err(client)?;
        if event.pallet_name() == "Contracts" && event.variant_name() == "Instantiated" {
            let (by, contract) = <(AccountId, AccountId)>::decode(&mut event.field_bytes())
                .map_err(|e| ChainError::Undecodable(e.to_string()))?;
            if by == deployer {
                return Ok(contract);
            }
        }
    }
    Err(ChainError::Failed(
        "the instantiation emitted no Instantiated event".into(),
    ))
}

/// The contract events among an extrinsic's events, with their topics.
pub(super) fn contract_events(
    events: &ExtrinsicEvents<Config>,
) -> Result<Vec<Emitted>, ChainError> {
    let mut emitted = Vec::new();
    for event in events.iter() {
        if let Some(contract_event) = contract_emitted(&event.map_err(client)?)? {
            emitted.push(contract_event);
        }
    }
    Ok(emitted)
}

/// The contract event a runtime event carries, if it is pallet-contracts'
/// `ContractEmitted` (its topics are the runtime event's own).
fn contract_emitted(event: &EventDetails<Config>) -> Result<Option<Emitted>, ChainError> {
    if event.pallet_name() != "Contracts" || event.variant_name() != "ContractEmitted" {
        return Ok(None);
    }
    let (contract, data) = <(AccountId, Vec<u8>)>::decode(&mut event.field_bytes())
        .map_err(|e| ChainError::Undecodable(e.to_string()))?;
    Ok(Some(Emitted {
        contract,
        topics: event.topics().iter().map(|topic| topic.0).collect(),
        data,
    }))
}

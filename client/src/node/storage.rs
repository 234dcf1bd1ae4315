//! Storage as the node's best block has it: subxt reads the latest
//! finalized block by default, which lags on a dev node.
use super::{client, NodeChain};
use crate::chain::ChainError;
use ink::primitives::{AccountId, Hash};
use scale::{Decode, Encode};
use subxt::{
    dynamic::{DecodedValueThunk, Value},
    storage::DynamicAddress,
    utils::H256,
};

impl NodeChain {
    /// The best block's hash.
    pub(super) async fn best_block(&self) -> Result<H256, ChainError> {
        self.rpc
            .chain_get_block_hash(None)
            .await
            .map_err(client)?
            .ok_or_else(|| ChainError::Client("the node has no best block".into()))
    }

    /// A storage entry as the best block has it.
    async fn fetch_at_best(
        &self,
        address: &DynamicAddress<Vec<Value>>,
    ) -> Result<Option<DecodedValueThunk>, ChainError> {
        let best = self.best_block().await?;
        self.api
            .storage()
            .at(best)
            .fetch(address)
            .await
            .map_err(client)
    }

    /// The time of block `hash` (`Timestamp::Now`), in milliseconds, if it
    /// has one.
    pub(super) async fn timestamp_at(&self, hash: H256) -> Result<Option<u64>, ChainError> {
        self.api
            .storage()
            .at(hash)
            .fetch(&subxt::dynamic::storage("Timestamp", "Now", ()))
            .await
            .map_err(client)?
            .map(|value| value.as_type::<u64>())
            .transpose()
            .map_err(|e| ChainError::Undecodable(e.to_string()))
    }

    /// Whether the chain stores code with this hash already (an upload
    /// would pay its length fee for nothing).
    pub(super) async fn code_exists(&self, code_hash: Hash) -> Result<bool, ChainError> {
        let address = subxt::dynamic::storage(
            "Contracts",
            "CodeInfoOf",
            vec![Value::from_bytes(code_hash)],
        );
        Ok(self.fetch_at_best(&address).await?.is_some())
    }

    /// The hash of the code `contract` runs (`ContractInfoOf`), or none
    /// where no contract lives.
    pub(super) async fn contract_code_hash(
        &self,
        contract: AccountId,
    ) -> Result<Option<Hash>, ChainError> {
        let address = subxt::dynamic::storage(
            "Contracts",
            "ContractInfoOf",
            vec![Value::from_bytes(contract)],
        );
        let Some(info) = self.fetch_at_best(&address).await? else {
            return Ok(None);
        };
        // `ContractInfo` starts with the trie id (a byte vector), then the
        // code hash.
        let raw = info.encoded();
        let trie_id = Vec::<u8>::decode(&mut &raw[..])
            .map_err(|e| ChainError::Undecodable(format!("ContractInfoOf: {e}")))?;
        let at = trie_id.encoded_size();
        let hash: [u8; 32] = raw
            .get(at..at + 32)
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or_else(|| ChainError::Undecodable("ContractInfoOf is too short".into()))?;
        Ok(Some(Hash::from(hash)))
    }
}

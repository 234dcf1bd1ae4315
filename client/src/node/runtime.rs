//! What a node says about its runtime (its `RuntimeVersion`, genesis and the
//! contracts pallet's constants), so code is checked before it is paid for.
use super::{client, NodeChain};
use crate::{chain::ChainError, compat::Runtime};
use subxt::dynamic::{At, Value};

impl NodeChain {
    /// The runtime this node runs, read from the node and its metadata.
    pub async fn runtime(&self) -> Result<Runtime, ChainError> {
        let version = self
            .rpc
            .state_get_runtime_version(None)
            .await
            .map_err(client)?;
        let spec_name = version
            .other
            .get("specName")
            .and_then(|name| name.as_str())
            .ok_or_else(|| ChainError::Client("the node did not say its runtime's name".into()))?
            .to_string();
        let unstable_interface = self
            .contracts_constant("UnsafeUnstableInterface")?
            .as_bool()
            .ok_or_else(|| not_a("UnsafeUnstableInterface", "a bool"))?;
        let max_code_len = self
            .contracts_constant("MaxCodeLen")?
            .as_u128()
            .and_then(|bytes| u32::try_from(bytes).ok())
            .ok_or_else(|| not_a("MaxCodeLen", "a u32"))?;
        // The schedule's shape changes between pallet versions; its memory
        // limit has kept its name.
        let memory_pages = self
            .contracts_constant("Schedule")
            .ok()
            .and_then(|schedule| {
                schedule
                    .at("limits")
                    .and_then(|limits| limits.at("memory_pages"))
                    .and_then(Value::as_u128)
                    .and_then(|pages| u32::try_from(pages).ok())
            });
        Ok(Runtime {
            spec_name,
            spec_version: version.spec_version,
            genesis: self.api.genesis_hash().0,
            unstable_interface,
            max_code_len,
            memory_pages,
        })
    }

    /// A constant of the contracts pallet, from the node's metadata.
    fn contracts_constant(&self, name: &str) -> Result<Value<u32>, ChainError> {
        self.api
            .constants()
            .at(&subxt::dynamic::constant("Contracts", name))
            .and_then(|value| value.to_value())
            .map_err(|e| {
                ChainError::Client(format!(
                    "the node's metadata has no usable Contracts::{name} ({e}): is \
                     pallet-contracts in its runtime?"
                ))
            })
    }
}

fn not_a(constant: &str, kind: &str) -> ChainError {
    ChainError::Client(format!(
        "Contracts::{constant} in the node's metadata is not {kind}"
    ))
}

//! Calls run on the best block's state without submitting them, through
//! pallet-contracts' runtime API, and the runtime's errors described by
//! name from the node's metadata.
use super::{client, NodeChain};
use crate::{
    chain::{account_of, decode_answer, message_input, ChainError, Cost, Keypair, Message},
    domain::Balance,
};
use ink::primitives::{AccountId, Hash};
use pallet_contracts::{
    Code, CodeUploadResult, ContractExecResult, ContractInstantiateResult, Determinism,
};
use scale::{Decode, Encode};
use sp_runtime::DispatchError;
use sp_weights::Weight;

impl NodeChain {
    /// The runtime API at the best block.
    pub(super) async fn runtime_call<A: Encode, R: Decode>(
        &self,
        function: &str,
        args: A,
    ) -> Result<R, ChainError> {
        let bytes = self
            .rpc
            .state_call(function, Some(&args.encode()), None)
            .await
            .map_err(client)?;
        R::decode(&mut &bytes[..]).map_err(|e| ChainError::Undecodable(format!("{function}: {e}")))
    }

    /// Runs `message` on the best block's state without submitting it: its
    /// answer, whether it reverted, what it cost and the gas it needs.
    pub(super) async fn dry_run<Args, R>(
        &self,
        caller: &Keypair,
        message: &Message<Args, R>,
    ) -> Result<(R, bool, Cost, Weight), ChainError>
    where
        Args: Encode + Clone,
        R: Decode,
    {
        let (callee, input) = message_input(message);
        let dry_run = self.dry_run_call(caller, callee, input).await?;
        // A call the runtime aborted (a trap, an exhausted limit) has no answer.
        let executed = dry_run
            .result
            .as_ref()
            .map_err(|error| ChainError::Failed(self.describe(error, &dry_run.debug_message)))?;
        let value = decode_answer(&executed.data)?;
        let cost = Cost::of(dry_run.gas_consumed, &dry_run.storage_deposit);
        Ok((value, executed.did_revert(), cost, dry_run.gas_required))
    }

    /// Runs `input` on `callee` on the best block's state without submitting.
    async fn dry_run_call(
        &self,
        caller: &Keypair,
        callee: AccountId,
        input: Vec<u8>,
    ) -> Result<ContractExecResult<Balance, ()>, ChainError> {
        let origin = account_of(caller);
        let args = (
            origin,
            callee,
            Balance::default(),
            None::<Weight>,
            None::<Balance>,
            input,
        );
        self.runtime_call("ContractsApi_call", args).await
    }

    /// Uploads `code` on the best block's state without submitting it.
    pub(super) async fn dry_run_upload(
        &self,
        caller: &Keypair,
        code: Vec<u8>,
    ) -> Result<CodeUploadResult<[u8; 32], Balance>, ChainError> {
        let origin = account_of(caller);
        let args = (origin, code, None::<Balance>, Determinism::Enforced);
        self.runtime_call("ContractsApi_upload_code", args).await
    }

    /// Instantiates the uploaded `code_hash` with the constructor `input`
    /// and `salt` on the best block's state without submitting it.
    pub(super) async fn dry_run_instantiate(
        &self,
        caller: &Keypair,
        code_hash: Hash,
        input: Vec<u8>,
        salt: Vec<u8>,
    ) -> Result<ContractInstantiateResult<[u8; 32], Balance, ()>, ChainError> {
        let origin = account_of(caller);
        let args = (
            origin,
            Balance::default(),
            None::<Weight>,
            None::<Balance>,
            Code::<Hash>::Existing(code_hash),
            input,
            salt,
        );
        self.runtime_call("ContractsApi_instantiate", args).await
    }

    /// A runtime error with its pallet and error name from the node's
    /// metadata (errors decoded over RPC carry only indices), and the
    /// contract's debug message if it left one.
    pub(super) fn describe(&self, error: &DispatchError, debug_message: &[u8]) -> String {
        let named = match error {
            DispatchError::Module(module) => {
                let metadata = self.api.metadata();
                metadata.pallet_by_index(module.index).and_then(|pallet| {
                    pallet
                        .error_variant_by_index(module.error[0])
                        .map(|variant| format!("{}::{}", pallet.name(), variant.name))
                })
            }
            _ => None,
        };
        let named = named.unwrap_or_else(|| format!("{error:?}"));
        let debug = String::from_utf8_lossy(debug_message);
        if debug.trim().is_empty() {
            named
        } else {
            format!("{named} ({})", debug.trim())
        }
    }

    /// A subxt error, with a runtime error by its pallet and name.
    pub(super) fn describe_subxt(&self, error: subxt::Error) -> String {
        match error {
            subxt::Error::Runtime(subxt::error::DispatchError::Module(module)) => {
                match module.details() {
                    Ok(details) => format!("{}::{}", details.pallet.name(), details.variant.name),
                    Err(_) => format!("{module:?}"),
                }
            }
            other => other.to_string(),
        }
    }
}

//! pallet-contracts' three extrinsics: upload code, instantiate it, call a
//! contract. Each is dry-run first and submitted with the limits its dry
//! run measured plus `GAS_MARGIN_PERCENT`; a reverted call is answered from
//! its dry run and never submitted.
use super::{
    events::{contract_events, instantiated_account},
    NodeChain,
};
use crate::chain::{
    account_of, constructor_input, message_input, with_gas_margin, with_margin, Chain, ChainError,
    Constructor, Cost, Keypair, Message, Outcome,
};
use ink::primitives::{AccountId, Hash};
use pallet_contracts::StorageDeposit;
use scale::{Decode, Encode};
use sp_weights::Weight;
use subxt::dynamic::Value;

/// The bytes of one new storage item a submitted call's deposit limit always
/// leaves room for (the broker's largest record is under 200 bytes).
const ROOM_BYTES: u128 = 256;

impl NodeChain {
    /// Uploads the code of `contract` unless the chain has it already, and
    /// returns its hash.
    pub(super) async fn upload_code(
        &mut self,
        contract: &str,
        caller: &Keypair,
    ) -> Result<Hash, ChainError> {
        let code = self.contracts.code(contract)?;
        let dry_run = self.dry_run_upload(caller, code.clone()).await?;
        let uploaded = dry_run.map_err(|error| ChainError::Failed(self.describe(&error, &[])))?;
        let code_hash = Hash::from(uploaded.code_hash);
        if self.code_exists(code_hash).await? {
            return Ok(code_hash);
        }
        let fields = vec![
            Value::from_bytes(&code),
            Value::unnamed_variant("Some", [Value::u128(with_margin(uploaded.deposit))]),
            Value::unnamed_variant("Enforced", []),
        ];
        self.submit(caller, ("Contracts", "upload_code"), fields, None)
            .await?;
        Ok(code_hash)
    }

    /// Uploads `contract` if needed and instantiates it with `constructor`
    /// and a fresh salt.
    pub(super) async fn instantiate_contract<Ref, Args, R>(
        &mut self,
        contract: &str,
        caller: &Keypair,
        constructor: &mut Constructor<Ref, Args, R>,
    ) -> Result<Outcome<AccountId>, ChainError>
    where
        Ref: Clone,
        Args: Encode + Clone + Send + Sync,
    {
        let code_hash = self.upload_code(contract, caller).await?;
        let input = constructor_input(constructor.clone());
        let salt = fresh_salt();
        let dry_run = self
            .dry_run_instantiate(caller, code_hash, input.clone(), salt.clone())
            .await?;
        let cost = Cost::of(dry_run.gas_consumed, &dry_run.storage_deposit);
        let instantiated = dry_run
            .result
            .as_ref()
            .map_err(|error| ChainError::Failed(self.describe(error, &dry_run.debug_message)))?;
        if instantiated.result.did_revert() {
            return Err(ChainError::Failed(format!(
                "the constructor of {contract} reverted"
            )));
        }
        let gas_limit = with_gas_margin(dry_run.gas_required);
        let deposit_limit = match dry_run.storage_deposit {
            StorageDeposit::Charge(amount) => with_margin(amount),
            StorageDeposit::Refund(_) => 0,
        };
        let fields = vec![
            Value::u128(0),
            weight_value(gas_limit),
            Value::unnamed_variant("Some", [Value::u128(deposit_limit)]),
            Value::from_bytes(code_hash),
            Value::from_bytes(&input),
            Value::from_bytes(&salt),
        ];
        let limits = Some((gas_limit, deposit_limit));
        let events = self
            .submit(caller, ("Contracts", "instantiate"), fields, limits)
            .await?;
        Ok(Outcome {
            value: instantiated_account(&events, account_of(caller))?,
            events: contract_events(&events)?,
            cost,
        })
    }

    /// Submits `message` unless its dry run reverted; the value is the dry
    /// run's answer.
    pub(super) async fn call_contract<Args, R>(
        &mut self,
        caller: &Keypair,
        message: &Message<Args, R>,
    ) -> Result<Outcome<R>, ChainError>
    where
        Args: Encode + Clone + Sync,
        R: Decode + Send,
    {
        let (value, reverted, cost, gas_required) = self.dry_run(caller, message).await?;
        if reverted {
            return Ok(Outcome {
                value,
                events: Vec::new(),
                cost,
            });
        }
        let (callee, input) = message_input(message);
        // The same zero-seconds dry run writes nothing new, while the paying
        // path may store a first record (a miner's first earnings: one item):
        // the limit is never below one new item of `ROOM_BYTES`.
        let (per_item, per_byte) = self.storage_price().await?;
        let room = per_item.saturating_add(per_byte.saturating_mul(ROOM_BYTES));
        let charge = u128::try_from(cost.storage_deposit).unwrap_or(0);
        let (gas_limit, deposit_limit) =
            (with_gas_margin(gas_required), with_margin(charge).max(room));
        let fields = vec![
            Value::unnamed_variant("Id", [Value::from_bytes(callee)]),
            Value::u128(0),
            weight_value(gas_limit),
            Value::unnamed_variant("Some", [Value::u128(deposit_limit)]),
            Value::from_bytes(&input),
        ];
        let limits = Some((gas_limit, deposit_limit));
        let events = self
            .submit(caller, ("Contracts", "call"), fields, limits)
            .await?;
        Ok(Outcome {
            value,
            events: contract_events(&events)?,
            cost,
        })
    }
}

fn weight_value(weight: Weight) -> Value {
    Value::named_composite([
        ("ref_time", Value::u128(u128::from(weight.ref_time()))),
        ("proof_size", Value::u128(u128::from(weight.proof_size()))),
    ])
}

/// A salt no earlier instantiation used: the same code may be instantiated
/// again with the same input by the same account.
fn fresh_salt() -> Vec<u8> {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|since| since.as_nanos())
        .unwrap_or_default()
        .to_le_bytes()
        .to_vec()
}

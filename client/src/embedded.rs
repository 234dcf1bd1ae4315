//! The embedded chain: ink_sandbox's `DefaultSandbox`, an in-process runtime
//! with pallet-contracts, pallet-balances and pallet-timestamp (the runtime that
//! DRink 0.18 and ink_e2e's sandbox backend are built on). Driving it directly
//! lets scenarios set the block time and read every contract event, which
//! ink_e2e 5.1.1's sandbox backend exposes neither of.
use crate::chain::{
    account_of, constructor_input, decode_answer, dev_accounts, message_input, with_gas_margin,
    Chain, ChainError, Constructor, Cost, Keypair, Message, Outcome, WasmFiles,
};
use crate::{
    compat,
    domain::{Balance, Block, Emitted},
};
use ink::primitives::{AccountId, Hash};
use ink_sandbox::{
    api::prelude::{BalanceAPI, ContractAPI, SystemAPI, TimestampAPI},
    frame_support::{
        sp_runtime::DispatchError,
        storage::{storage_prefix, transactional::with_transaction, unhashed, TransactionOutcome},
        traits::{fungible::InspectHold, Get},
        StorageHasher, Twox64Concat,
    },
    macros::RuntimeEvent,
    pallet_balances, pallet_contracts,
    pallet_contracts::{Determinism, Event as ContractsEvent},
    AccountId32, DefaultSandbox, EventRecordOf, RuntimeOf, Sandbox,
};
use scale::{Decode, Encode};
use shares::CallTrace;
pub use shares::{CallShares, Charge};
use std::path::PathBuf;

mod shares;

/// Where the embedded chain's clock starts: 2026-01-01T00:00:00Z.
pub const GENESIS_MS: u64 = 1_767_225_600_000;
/// How often the pending storage changes are merged into the state
/// ([`EmbeddedChain::merge_pending_changes`]).
const MERGE_EVERY_BLOCKS: u64 = 1000;
/// Native balance given to each dev account, for storage deposits.
const ENDOWMENT: u128 = 1_000_000_000_000_000;

pub struct EmbeddedChain {
    sandbox: DefaultSandbox,
    contracts: WasmFiles,
    now_ms: u64,
    /// Block `n` (from 1) is `blocks[n - 1]`: the chain seals one block,
    /// final at once, for each call or instantiation that went through
    /// (uploads and time passing seal none, unlike on a dev node, so block
    /// numbers differ between the backends).
    blocks: Vec<Block>,
    /// What the last call ran, for [`EmbeddedChain::last_call_shares`].
    last_call: CallTrace,
}

impl EmbeddedChain {
    /// A fresh chain that knows the given contract Wasm files by their stems
    /// and has funded the dev accounts Alice to Ferdie.
    pub fn new(wasm_files: impl IntoIterator<Item = PathBuf>) -> Self {
        let mut sandbox = DefaultSandbox::default();
        for keypair in dev_accounts() {
            sandbox
                .mint_into(&runtime_account(&account_of(&keypair)), ENDOWMENT)
                .expect("minting to a dev account cannot fail");
        }
        sandbox.set_timestamp(GENESIS_MS);
        let contracts = WasmFiles::new(wasm_files);
        Self {
            sandbox,
            contracts,
            now_ms: GENESIS_MS,
            blocks: Vec::new(),
            last_call: CallTrace::default(),
        }
    }

    /// Gives `account` the native balance a dev account starts with, for its
    /// fees and storage deposits.
    pub fn endow(&mut self, account: AccountId) -> Result<(), ChainError> {
        self.sandbox
            .mint_into(&runtime_account(&account), ENDOWMENT)
            .map(|_| ())
            .map_err(|error| ChainError::Failed(format!("{error:?}")))
    }

    /// What `contract` holds as storage deposit for what it stores.
    pub fn storage_deposit(&mut self, contract: AccountId) -> Balance {
        let held = runtime_account(&contract);
        self.sandbox.execute_with(|| {
            <pallet_balances::Pallet<RuntimeOf<DefaultSandbox>> as InspectHold<AccountId32>>::balance_on_hold(
                &pallet_contracts::HoldReason::StorageDepositReserve.into(),
                &held,
            )
        })
    }

    /// `owner` removes the code it uploaded (`remove_code`), which the pallet
    /// refuses while a contract runs it: how a test sees that the broker's
    /// library is pinned.
    pub fn remove_code(&mut self, owner: &Keypair, code_hash: Hash) -> Result<(), ChainError> {
        let owner = runtime_account(&account_of(owner));
        let code_hash = <[u8; 32]>::from(code_hash).into();
        self.sandbox
            .execute_with(|| {
                pallet_contracts::Pallet::<Runtime>::remove_code(
                    ink_sandbox::frame_system::RawOrigin::Signed(owner).into(),
                    code_hash,
                )
            })
            .map(|_| ())
            .map_err(|error| ChainError::Failed(format!("{error:?}")))
    }

    /// How many bytes and items `contract` stores, as pallet-contracts counts
    /// them for its storage deposit (read from its `ContractInfoOf` entry,
    /// whose fields the pallet does not export).
    pub fn storage_usage(&mut self, contract: AccountId) -> Result<(u32, u32), ChainError> {
        let id: [u8; 32] = *contract.as_ref();
        let raw = self.sandbox.execute_with(|| {
            let mut key = storage_prefix(b"Contracts", b"ContractInfoOf").to_vec();
            key.extend(Twox64Concat::hash(&id));
            unhashed::get_raw(&key)
        });
        let raw = raw.ok_or_else(|| ChainError::Failed("no such contract".into()))?;
        // trie_id, code_hash, then storage_bytes and storage_items.
        let (_, _, bytes, items) = <(Vec<u8>, [u8; 32], u32, u32)>::decode(&mut &raw[..])
            .map_err(|e| ChainError::Undecodable(e.to_string()))?;
        Ok((bytes, items))
    }

    /// The block time contracts see now, in milliseconds.
    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    /// Merges the pending storage changes into the chain's state. The chain
    /// does it every 1000 blocks by itself: pending changes pile up from
    /// genesis, and every call grows slower with them.
    pub fn merge_pending_changes(&mut self) {
        // ink_sandbox's dry run, with nothing to run, restores the state with
        // the pending changes merged in.
        self.sandbox.dry_run(|_| ());
    }

    /// Seals the block of the transaction that just went through, whose
    /// runtime events are `records`: its contract events, which it returns.
    fn seal_block(&mut self, records: Vec<EventRecordOf<Runtime>>) -> Vec<Emitted> {
        let events: Vec<Emitted> = records.into_iter().filter_map(contract_event).collect();
        self.sandbox.reset_events();
        let number = u64::try_from(self.blocks.len()).map_or(u64::MAX, |n| n.saturating_add(1));
        if number % MERGE_EVERY_BLOCKS == 0 {
            self.merge_pending_changes();
        }
        self.blocks.push(Block {
            number,
            time: self.now_ms,
            events: (0u32..)
                .zip(&events)
                .map(|(index, event)| (index, Some(0), event.clone()))
                .collect(),
        });
        events
    }
}

impl EmbeddedChain {
    /// Where the last call's weight went, in part: see [`CallShares`].
    /// Lower bounds: a call that failed or reverted reports nothing, and an
    /// inner call that reverted is not counted (the pallet's events of both
    /// are rolled back). A frame's code is the contract's after the call (a
    /// `set_code` counts the new code). The chain's own instantiations are
    /// not traced: their code comes with them and is not loaded.
    pub fn last_call_shares(&mut self) -> CallShares {
        // Code lengths are read only here, not on every call.
        let code_hashes = self.last_call.code_hashes.clone();
        let code_lengths: Vec<u64> = code_hashes
            .iter()
            .map(|code_hash| self.code_length(code_hash))
            .collect();
        shares::priced(code_lengths, &self.last_call)
    }

    /// The frames and topics among a call's runtime events.
    fn trace(&mut self, records: &[EventRecordOf<Runtime>]) -> CallTrace {
        self.sandbox.execute_with(|| {
            let mut trace = CallTrace::default();
            for record in records {
                let code_hash = match &record.event {
                    RuntimeEvent::Contracts(ContractsEvent::Called { contract, .. }) => {
                        trace.called = trace.called.saturating_add(1);
                        pallet_contracts::Pallet::<Runtime>::code_hash(contract)
                    }
                    RuntimeEvent::Contracts(ContractsEvent::Instantiated { contract, .. }) => {
                        trace.instantiations = trace.instantiations.saturating_add(1);
                        pallet_contracts::Pallet::<Runtime>::code_hash(contract)
                    }
                    RuntimeEvent::Contracts(ContractsEvent::DelegateCalled {
                        code_hash, ..
                    }) => {
                        trace.delegate_calls = trace.delegate_calls.saturating_add(1);
                        Some(*code_hash)
                    }
                    RuntimeEvent::Contracts(ContractsEvent::ContractEmitted { .. }) => {
                        trace.topics = trace
                            .topics
                            .saturating_add(u64::try_from(record.topics.len()).unwrap_or(u64::MAX));
                        None
                    }
                    _ => None,
                };
                trace
                    .code_hashes
                    .extend(code_hash.map(|code_hash| code_hash.0));
            }
            trace
        })
    }

    /// The length of the code stored under `code_hash` (read from
    /// pallet-contracts' `PristineCode`, which the pallet does not export).
    fn code_length(&mut self, code_hash: &impl AsRef<[u8]>) -> u64 {
        let mut key = storage_prefix(b"Contracts", b"PristineCode").to_vec();
        key.extend(code_hash.as_ref());
        let stored = self.sandbox.execute_with(|| unhashed::get_raw(&key));
        // The stored code is a SCALE vector: its length comes first.
        stored
            .and_then(|raw| scale::Compact::<u64>::decode(&mut &raw[..]).ok())
            .map_or(0, |length| length.0)
    }
}

impl Chain for EmbeddedChain {
    fn backend(&self) -> &'static str {
        "embedded chain (ink_sandbox DefaultSandbox)"
    }

    /// The embedded runtime has no table (it is no live chain): its own
    /// pallet's limits and Wasm features are checked.
    async fn check_code(&mut self, contracts: &[&str]) -> Result<Vec<String>, ChainError> {
        type Schedule = <Runtime as pallet_contracts::Config>::Schedule;
        let runtime = compat::Runtime {
            spec_name: "ink-sandbox".into(),
            spec_version: 0,
            genesis: [0; 32],
            unstable_interface:
                <<Runtime as pallet_contracts::Config>::UnsafeUnstableInterface as Get<bool>>::get(),
            max_code_len: <<Runtime as pallet_contracts::Config>::MaxCodeLen as Get<u32>>::get(),
            memory_pages: Some(
                <Schedule as Get<pallet_contracts::Schedule<Runtime>>>::get()
                    .limits
                    .memory_pages,
            ),
        };
        let code = self.contracts.code_of(contracts)?;
        compat::verdict_for(&runtime, true, &code).map_err(ChainError::Refused)
    }

    async fn upload(&mut self, contract: &str, caller: &Keypair) -> Result<Hash, ChainError> {
        let code = self.contracts.code(contract)?;
        let uploaded = self
            .sandbox
            .upload_contract(
                code,
                runtime_account(&account_of(caller)),
                None,
                Determinism::Enforced,
            )
            .map_err(|error| ChainError::Failed(format!("{error:?}")))?;
        self.sandbox.reset_events();
        Ok(Hash::from(uploaded.code_hash.0))
    }

    async fn instantiate<Ref, Args, R>(
        &mut self,
        contract: &str,
        caller: &Keypair,
        constructor: &mut Constructor<Ref, Args, R>,
    ) -> Result<Outcome<AccountId>, ChainError>
    where
        Ref: Clone,
        Args: Encode + Clone + Send + Sync,
    {
        let code = self.contracts.code(contract)?;
        self.sandbox.reset_events();
        self.last_call = CallTrace::default();
        let input = constructor_input(constructor.clone());
        let origin = runtime_account(&account_of(caller));
        let dry_run = self.sandbox.dry_run(|sandbox| {
            sandbox.deploy_contract(
                code.clone(),
                0,
                input.clone(),
                Vec::new(),
                origin.clone(),
                DefaultSandbox::default_gas_limit(),
                None,
            )
        });
        let result = self.sandbox.deploy_contract(
            code,
            0,
            input,
            Vec::new(),
            origin,
            with_gas_margin(dry_run.gas_required),
            None,
        );
        let debug = String::from_utf8_lossy(&result.debug_message).into_owned();
        let cost = Cost::of(result.gas_consumed, &result.storage_deposit);
        let instantiated = result
            .result
            .map_err(|error| ChainError::Failed(format!("{error:?} {debug}")))?;
        if instantiated.result.did_revert() {
            return Err(ChainError::Failed(format!("constructor reverted {debug}")));
        }
        let records = self.sandbox.events();
        Ok(Outcome {
            value: ink_account(&instantiated.account_id),
            events: self.seal_block(records),
            cost,
        })
    }

    async fn call<Args, R>(
        &mut self,
        caller: &Keypair,
        message: &Message<Args, R>,
    ) -> Result<Outcome<R>, ChainError>
    where
        Args: Encode + Clone + Sync,
        R: Decode + Send,
    {
        let (callee, input) = message_input(message);
        self.sandbox.reset_events();
        self.last_call = CallTrace::default();
        let Executed {
            data,
            reverted,
            cost,
        } = exec(&mut self.sandbox, caller, callee, input)?;
        let events = if reverted {
            Vec::new()
        } else {
            let records = self.sandbox.events();
            self.last_call = self.trace(&records);
            self.seal_block(records)
        };
        Ok(Outcome {
            value: decode_answer(&data)?,
            events,
            cost,
        })
    }

    async fn estimate<Args, R>(
        &mut self,
        caller: &Keypair,
        message: &Message<Args, R>,
    ) -> Result<(R, Cost), ChainError>
    where
        Args: Encode + Clone + Sync,
        R: Decode + Send,
    {
        let (callee, input) = message_input(message);
        let result = rolled_back(&mut self.sandbox, || {
            bare_call(caller, callee, input, DefaultSandbox::default_gas_limit())
        });
        let executed = executed(result)?;
        Ok((decode_answer(&executed.data)?, executed.cost))
    }

    async fn pass_time(&mut self, ms: u64) -> Result<(), ChainError> {
        self.now_ms = self
            .now_ms
            .checked_add(ms)
            .ok_or_else(|| ChainError::Failed("the clock overflows".into()))?;
        self.sandbox.set_timestamp(self.now_ms);
        Ok(())
    }

    async fn now(&mut self) -> Result<u64, ChainError> {
        Ok(self.now_ms)
    }

    async fn code_hash(&mut self, contract: AccountId) -> Result<Option<Hash>, ChainError> {
        let account = runtime_account(&contract);
        let hash = self
            .sandbox
            .execute_with(|| pallet_contracts::Pallet::<Runtime>::code_hash(&account));
        Ok(hash.map(|hash| Hash::from(<[u8; 32]>::from(hash))))
    }

    async fn storage_price(&mut self) -> Result<(Balance, Balance), ChainError> {
        type Runtime = RuntimeOf<DefaultSandbox>;
        Ok((
            <<Runtime as pallet_contracts::Config>::DepositPerItem as Get<Balance>>::get(),
            <<Runtime as pallet_contracts::Config>::DepositPerByte as Get<Balance>>::get(),
        ))
    }

    async fn finalized_block(&mut self) -> Result<u64, ChainError> {
        u64::try_from(self.blocks.len()).map_err(|e| ChainError::Failed(e.to_string()))
    }

    async fn block(&mut self, number: u64) -> Result<Block, ChainError> {
        let missing = || ChainError::Failed(format!("the chain has no block {number}"));
        if number == 0 {
            return Ok(Block {
                number,
                time: GENESIS_MS,
                events: Vec::new(),
            });
        }
        let index = usize::try_from(number - 1).map_err(|_| missing())?;
        self.blocks.get(index).cloned().ok_or_else(missing)
    }
}

/// What running a message gave.
struct Executed {
    data: Vec<u8>,
    reverted: bool,
    cost: Cost,
}

/// Runs a message: a dry run for its gas, then the call with that gas plus
/// the margin.
fn exec(
    sandbox: &mut DefaultSandbox,
    caller: &Keypair,
    callee: AccountId,
    input: Vec<u8>,
) -> Result<Executed, ChainError> {
    let dry_run = rolled_back(sandbox, || {
        bare_call(
            caller,
            callee,
            input.clone(),
            DefaultSandbox::default_gas_limit(),
        )
    });
    let result = sandbox
        .execute_with(|| bare_call(caller, callee, input, with_gas_margin(dry_run.gas_required)));
    executed(result)
}

/// What a call answered and cost, or the runtime's error.
fn executed(
    result: pallet_contracts::ContractExecResult<Balance, EventRecordOf<Runtime>>,
) -> Result<Executed, ChainError> {
    let debug = String::from_utf8_lossy(&result.debug_message).into_owned();
    let cost = Cost::of(result.gas_consumed, &result.storage_deposit);
    let answer = result
        .result
        .map_err(|error| ChainError::Failed(format!("{error:?} {debug}")))?;
    Ok(Executed {
        reverted: answer.did_revert(),
        data: answer.data,
        cost,
    })
}

type Runtime = RuntimeOf<DefaultSandbox>;

/// pallet-contracts' own call, inside the sandbox's externalities.
fn bare_call(
    caller: &Keypair,
    callee: AccountId,
    input: Vec<u8>,
    gas_limit: ink_sandbox::frame_support::weights::Weight,
) -> pallet_contracts::ContractExecResult<Balance, EventRecordOf<Runtime>> {
    pallet_contracts::Pallet::<Runtime>::bare_call(
        runtime_account(&account_of(caller)),
        runtime_account(&callee),
        0,
        gas_limit,
        None,
        input,
        pallet_contracts::DebugInfo::UnsafeDebug,
        pallet_contracts::CollectEvents::UnsafeCollect,
        Determinism::Enforced,
    )
}

/// Runs `action` in the sandbox and rolls every change back: a dry run as a
/// storage transaction. (ink_sandbox's own `dry_run` copies the whole state
/// first, which makes every call cost more as the market grows.)
fn rolled_back<T>(sandbox: &mut DefaultSandbox, action: impl FnOnce() -> T) -> T {
    sandbox.execute_with(|| {
        let mut answer = None;
        let _ = with_transaction(|| {
            answer = Some(action());
            TransactionOutcome::Rollback(Ok::<(), DispatchError>(()))
        });
        answer.expect("the action ran inside the transaction")
    })
}

fn runtime_account(account: &AccountId) -> AccountId32 {
    AccountId32::new(*account.as_ref())
}

fn ink_account(account: &AccountId32) -> AccountId {
    AccountId::from(*<AccountId32 as AsRef<[u8; 32]>>::as_ref(account))
}

fn contract_event(record: EventRecordOf<RuntimeOf<DefaultSandbox>>) -> Option<Emitted> {
    match record.event {
        RuntimeEvent::Contracts(ContractsEvent::ContractEmitted { contract, data }) => {
            Some(Emitted {
                contract: ink_account(&contract),
                topics: record.topics.iter().map(|topic| topic.0).collect(),
                data,
            })
        }
        _ => None,
    }
}

//! A `substrate-contracts-node` (or any chain with pallet-contracts) reached
//! over RPC with subxt: a fresh `--dev` node started for a test, or any node
//! given by URL. Every call is dry-run first (`ContractsApi_call`); a message
//! that reverts is answered from its dry run and never submitted, and a
//! submitted one gets the dry run's gas and storage deposit plus
//! `GAS_MARGIN_PERCENT`. Time passes in real time here.
use crate::chain::{
    account_of, constructor_input, decode_answer, dev, message_input, with_gas_margin, with_margin,
    Chain, ChainError, Constructor, Cost, Keypair, Message, Outcome, WasmFiles,
};
use crate::{
    compat,
    domain::{Balance, Block, Emitted},
};
use ink::primitives::{AccountId, Hash};
use pallet_contracts::{
    Code, CodeUploadResult, ContractExecResult, ContractInstantiateResult, Determinism,
    StorageDeposit,
};
use scale::{Decode, Encode};
use sp_runtime::DispatchError;
use sp_weights::Weight;
use std::{
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::Duration,
};
use subxt::{
    backend::{legacy::LegacyRpcMethods, rpc::RpcClient},
    blocks::ExtrinsicEvents,
    config::DefaultExtrinsicParamsBuilder,
    dynamic::Value,
    events::{EventDetails, Phase},
    tx::{TxProgress, TxStatus},
    OnlineClient, PolkadotConfig,
};

mod runtime;

type Config = PolkadotConfig;

/// The bytes of one new storage item a submitted call's deposit limit always
/// leaves room for (the broker's largest record is under 200 bytes).
const ROOM_BYTES: u128 = 256;

/// How a submitted extrinsic is reported while it waits.
pub type Progress = Box<dyn FnMut(&str) + Send>;

/// What an extrinsic will cost, shown before it is submitted.
pub struct Submission<'a> {
    /// The pallet call, such as `Contracts::call`.
    pub call: &'a str,
    /// The gas and storage deposit limits it carries (contract calls).
    pub limits: Option<(Weight, Balance)>,
    /// The transaction fee the node estimates, in the native token's
    /// smallest unit (`native_decimals` decimals).
    pub fee: Balance,
    pub native_symbol: &'a str,
    pub native_decimals: u8,
}

/// Asked before each submission; `false` submits nothing.
pub type Confirm = Box<dyn FnMut(&Submission) -> bool + Send>;

pub struct NodeChain {
    api: OnlineClient<Config>,
    /// The node's RPC methods: its best block (subxt's "latest" is the latest
    /// finalized one, which lags on a dev node) and runtime API calls there.
    rpc: LegacyRpcMethods<Config>,
    contracts: WasmFiles,
    /// Called with each status of a submitted extrinsic (the CLI prints them).
    progress: Option<Progress>,
    /// Asked before each submission (the CLI asks the person at the keyboard).
    confirm: Option<Confirm>,
    /// Wait for finality, not only inclusion in the best block.
    finalized: bool,
    /// Deploy to a runtime that has no table in `chains/`.
    unlisted_chain_ok: bool,
    /// The node this chain started, stopped when the chain is dropped.
    _node: Option<DevNode>,
}

impl NodeChain {
    /// Starts a fresh `--dev` node (`CONTRACTS_NODE`, or
    /// `substrate-contracts-node` on `PATH`) and connects to it.
    pub async fn spawn(wasm_files: Vec<PathBuf>) -> Result<Self, ChainError> {
        let node = DevNode::start()?;
        let mut chain = Self::connect_retrying(&node.url, wasm_files).await?;
        chain._node = Some(node);
        Ok(chain)
    }

    /// Connects to the node at `url` (for example `ws://127.0.0.1:9944`) and
    /// knows the given contract Wasm files by their stems.
    pub async fn connect(url: &str, wasm_files: Vec<PathBuf>) -> Result<Self, ChainError> {
        let rpc = RpcClient::from_url(url)
            .await
            .map_err(|e| ChainError::Client(format!("cannot reach the node at {url}: {e}")))?;
        let api = OnlineClient::<Config>::from_rpc_client(rpc.clone())
            .await
            .map_err(|e| ChainError::Client(format!("{url}: {e}")))?;
        let contracts = WasmFiles::new(wasm_files);
        Ok(Self {
            api,
            rpc: LegacyRpcMethods::new(rpc),
            contracts,
            progress: None,
            confirm: None,
            finalized: false,
            unlisted_chain_ok: false,
            _node: None,
        })
    }

    /// A node just started takes a few seconds to open its RPC port.
    async fn connect_retrying(url: &str, wasm_files: Vec<PathBuf>) -> Result<Self, ChainError> {
        let mut last = None;
        for _ in 0..120 {
            match Self::connect(url, wasm_files.clone()).await {
                Ok(chain) => return Ok(chain),
                Err(error) => last = Some(error),
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        Err(last.unwrap_or_else(|| ChainError::Client(format!("{url} never answered"))))
    }

    /// Accepts a runtime that has no table in `chains/`: its code length,
    /// memory and Wasm features are still checked, its host functions not.
    pub fn accept_unlisted_chain(mut self, accept: bool) -> Self {
        self.unlisted_chain_ok = accept;
        self
    }

    /// Knows the given contract Wasm files instead of those given at connect.
    pub fn with_wasm_files(mut self, wasm_files: Vec<PathBuf>) -> Self {
        self.contracts = WasmFiles::new(wasm_files);
        self
    }

    /// Reports each status of submitted extrinsics to `progress`.
    pub fn with_progress(mut self, progress: Progress) -> Self {
        self.progress = Some(progress);
        self
    }

    /// Asks `confirm` before each submission, with its limits and fee.
    pub fn confirm_with(mut self, confirm: Confirm) -> Self {
        self.confirm = Some(confirm);
        self
    }

    /// The native token's symbol and decimals, from the node's properties.
    async fn native_token(&self) -> (String, u8) {
        let properties = self.rpc.system_properties().await.unwrap_or_default();
        let symbol = properties
            .get("tokenSymbol")
            .and_then(|symbol| symbol.as_str())
            .unwrap_or("native units")
            .to_string();
        let decimals = properties
            .get("tokenDecimals")
            .and_then(|decimals| decimals.as_u64())
            .and_then(|decimals| u8::try_from(decimals).ok())
            .unwrap_or(0);
        (symbol, decimals)
    }

    /// Waits for each submitted extrinsic to be finalized, not only included.
    pub fn wait_for_finality(mut self, finalized: bool) -> Self {
        self.finalized = finalized;
        self
    }

    /// The runtime API at the best block.
    async fn runtime_call<A: Encode, R: Decode>(
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

    /// Runs `message` on the best block's state without submitting it: its
    /// answer, whether it reverted, what it cost and the gas it needs.
    async fn dry_run<Args, R>(
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

    /// Signs `call` with `signer`, submits it and waits until it is in a block
    /// (or finalized); its events, or the runtime's error by name.
    async fn submit(
        &mut self,
        signer: &Keypair,
        (pallet, call): (&str, &str),
        fields: Vec<Value>,
        limits: Option<(Weight, Balance)>,
    ) -> Result<ExtrinsicEvents<Config>, ChainError> {
        let payload = subxt::dynamic::tx(pallet, call, fields);
        // The nonce as the node's pool sees it: subxt's default reads it at
        // the last finalized block, which a dev node does not advance.
        let signer_id = subxt::tx::Signer::<Config>::account_id(signer);
        let nonce = self
            .rpc
            .system_account_next_index(&signer_id)
            .await
            .map_err(client)?;
        let params = DefaultExtrinsicParamsBuilder::<Config>::new()
            .nonce(nonce)
            .build();
        let extrinsic = self
            .api
            .tx()
            .create_signed_offline(&payload, signer, params)
            .map_err(|e| ChainError::Failed(self.describe_subxt(e)))?;
        if self.confirm.is_some() {
            let fee = extrinsic.partial_fee_estimate().await.map_err(client)?;
            let (native_symbol, native_decimals) = self.native_token().await;
            let call = format!("{pallet}::{call}");
            let submission = Submission {
                call: &call,
                limits,
                fee,
                native_symbol: &native_symbol,
                native_decimals,
            };
            if let Some(confirm) = self.confirm.as_mut() {
                if !confirm(&submission) {
                    return Err(ChainError::Declined);
                }
            }
        }
        let progress = extrinsic
            .submit_and_watch()
            .await
            .map_err(|e| ChainError::Failed(self.describe_subxt(e)))?;
        let events = self.follow(progress).await?;
        Ok(events)
    }

    /// Follows a submitted extrinsic to the block that includes it (and, if
    /// asked, to finality), reporting each step.
    async fn follow(
        &mut self,
        mut progress: TxProgress<Config, OnlineClient<Config>>,
    ) -> Result<ExtrinsicEvents<Config>, ChainError> {
        self.report("submitted; waiting for a block");
        // Once in a best block the transaction may have run: a later failure
        // to finalize must not read as "not included" (a retry would repeat it).
        let mut seen_in = None;
        while let Some(status) = progress.next().await {
            let status = status.map_err(|e| ChainError::Client(e.to_string()))?;
            let in_block = match status {
                TxStatus::InBestBlock(in_block) if !self.finalized => in_block,
                TxStatus::InBestBlock(in_block) => {
                    seen_in = Some(in_block.block_hash());
                    self.report(&format!(
                        "in block {:?}; waiting for finality",
                        in_block.block_hash()
                    ));
                    continue;
                }
                TxStatus::InFinalizedBlock(in_block) => in_block,
                TxStatus::Error { message }
                | TxStatus::Invalid { message }
                | TxStatus::Dropped { message } => {
                    return Err(ChainError::Failed(match seen_in {
                        Some(block) => format!(
                            "the transaction was included in block {block:?} but not finalized \
                             ({message}): check that block before trying again"
                        ),
                        None => format!("the node did not include the transaction: {message}"),
                    }))
                }
                _ => continue,
            };
            let block = in_block.block_hash();
            let events = in_block
                .wait_for_success()
                .await
                .map_err(|e| ChainError::Failed(self.describe_subxt(e)))?;
            let number = self
                .rpc
                .chain_get_header(Some(block))
                .await
                .ok()
                .flatten()
                .map(|header| header.number);
            let state = if self.finalized {
                "finalized"
            } else {
                "included"
            };
            match number {
                Some(number) => self.report(&format!("{state} in block #{number}")),
                None => self.report(&format!("{state} in block {block:?}")),
            }
            return Ok(events);
        }
        Err(ChainError::Client(
            "the node closed the subscription before the transaction was included".into(),
        ))
    }

    fn report(&mut self, status: &str) {
        if let Some(progress) = self.progress.as_mut() {
            progress(status);
        }
    }

    /// A runtime error with its pallet and error name from the node's
    /// metadata (errors decoded over RPC carry only indices), and the
    /// contract's debug message if it left one.
    fn describe(&self, error: &DispatchError, debug_message: &[u8]) -> String {
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
    fn describe_subxt(&self, error: subxt::Error) -> String {
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

    /// Whether the chain stores code with this hash already (an upload
    /// would pay its length fee for nothing).
    async fn code_exists(&self, code_hash: Hash) -> Result<bool, ChainError> {
        let address = subxt::dynamic::storage(
            "Contracts",
            "CodeInfoOf",
            vec![Value::from_bytes(code_hash)],
        );
        Ok(self.fetch_at_best(&address).await?.is_some())
    }

    /// A storage entry as the best block has it (subxt's default is the
    /// latest finalized block, which lags on a dev node).
    async fn fetch_at_best(
        &self,
        address: &subxt::storage::DynamicAddress<Vec<Value>>,
    ) -> Result<Option<subxt::dynamic::DecodedValueThunk>, ChainError> {
        let best = self.best_block().await?;
        self.api
            .storage()
            .at(best)
            .fetch(address)
            .await
            .map_err(client)
    }

    /// The best block's hash.
    async fn best_block(&self) -> Result<subxt::utils::H256, ChainError> {
        self.rpc
            .chain_get_block_hash(None)
            .await
            .map_err(client)?
            .ok_or_else(|| ChainError::Client("the node has no best block".into()))
    }
}

impl Chain for NodeChain {
    fn backend(&self) -> &'static str {
        "substrate-contracts-node"
    }

    async fn check_code(&mut self, contracts: &[&str]) -> Result<Vec<String>, ChainError> {
        let runtime = self.runtime().await?;
        let code = self.contracts.code_of(contracts)?;
        compat::verdict_for(&runtime, self.unlisted_chain_ok, &code).map_err(ChainError::Refused)
    }

    async fn upload(&mut self, contract: &str, caller: &Keypair) -> Result<Hash, ChainError> {
        let code = self.contracts.code(contract)?;
        let origin = account_of(caller);
        let dry_run: CodeUploadResult<[u8; 32], Balance> = self
            .runtime_call(
                "ContractsApi_upload_code",
                (origin, code.clone(), None::<Balance>, Determinism::Enforced),
            )
            .await?;
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
        let code_hash = self.upload(contract, caller).await?;
        let input = constructor_input(constructor.clone());
        let origin = account_of(caller);
        let salt = fresh_salt();
        let dry_run: ContractInstantiateResult<[u8; 32], Balance, ()> = self
            .runtime_call(
                "ContractsApi_instantiate",
                (
                    origin,
                    Balance::default(),
                    None::<Weight>,
                    None::<Balance>,
                    Code::<Hash>::Existing(code_hash),
                    input.clone(),
                    salt.clone(),
                ),
            )
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
        let account = instantiated_account(&events, account_of(caller))?;
        Ok(Outcome {
            value: account,
            events: contract_events(&events)?,
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

    async fn estimate<Args, R>(
        &mut self,
        caller: &Keypair,
        message: &Message<Args, R>,
    ) -> Result<(R, Cost), ChainError>
    where
        Args: Encode + Clone + Sync,
        R: Decode + Send,
    {
        let (value, _, cost, _) = self.dry_run(caller, message).await?;
        Ok((value, cost))
    }

    async fn pass_time(&mut self, ms: u64) -> Result<(), ChainError> {
        tokio::time::sleep(Duration::from_millis(ms)).await;
        // A dev node seals a block only when a transaction arrives, and dry
        // runs see the time of the last block: seal one now.
        let remark = vec![Value::from_bytes(b"p2pcloud: time passes")];
        self.submit(&dev::alice(), ("System", "remark"), remark, None)
            .await?;
        Ok(())
    }

    async fn now(&mut self) -> Result<u64, ChainError> {
        let address = subxt::dynamic::storage("Timestamp", "Now", ());
        let best = self.best_block().await?;
        self.api
            .storage()
            .at(best)
            .fetch(&address)
            .await
            .map_err(client)?
            .ok_or_else(|| ChainError::Failed("the node has no block time yet".into()))?
            .as_type::<u64>()
            .map_err(|e| ChainError::Undecodable(e.to_string()))
    }

    async fn code_hash(&mut self, contract: AccountId) -> Result<Option<Hash>, ChainError> {
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

    async fn storage_price(&mut self) -> Result<(Balance, Balance), ChainError> {
        let constant = |name: &'static str| -> Result<Balance, ChainError> {
            self.api
                .constants()
                .at(&subxt::dynamic::constant("Contracts", name))
                .map_err(client)?
                .as_type::<Balance>()
                .map_err(|e| ChainError::Undecodable(e.to_string()))
        };
        Ok((constant("DepositPerItem")?, constant("DepositPerByte")?))
    }

    async fn finalized_block(&mut self) -> Result<u64, ChainError> {
        let hash = self.rpc.chain_get_finalized_head().await.map_err(client)?;
        let header = self
            .rpc
            .chain_get_header(Some(hash))
            .await
            .map_err(client)?
            .ok_or_else(|| client("the finalized head has no header"))?;
        Ok(u64::from(header.number))
    }

    async fn block(&mut self, number: u64) -> Result<Block, ChainError> {
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
            self.api
                .storage()
                .at(hash)
                .fetch(&subxt::dynamic::storage("Timestamp", "Now", ()))
                .await
                .map_err(client)?
                .map(|value| value.as_type::<u64>())
                .transpose()
                .map_err(|e| ChainError::Undecodable(e.to_string()))?
                .unwrap_or_default()
        };
        Ok(Block {
            number,
            time,
            events,
        })
    }
}

fn client(error: impl std::fmt::Display) -> ChainError {
    ChainError::Client(error.to_string())
}

fn weight_value(weight: Weight) -> Value {
    Value::named_composite([
        ("ref_time", Value::u128(u128::from(weight.ref_time()))),
        ("proof_size", Value::u128(u128::from(weight.proof_size()))),
    ])
}

/// The contract an instantiation by `deployer` created, from its
/// `Instantiated` event (a constructor may instantiate children, whose
/// deployer is the new contract).
fn instantiated_account(
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
fn contract_events(events: &ExtrinsicEvents<Config>) -> Result<Vec<Emitted>, ChainError> {
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

/// A `--dev` node on free ports, killed when dropped. Its database is
/// temporary, or kept in a folder so the node can be restarted with its
/// state. Its log goes to a temporary file.
pub struct DevNode {
    child: Child,
    rpc_port: u16,
    base_path: Option<PathBuf>,
    url: String,
}

impl DevNode {
    /// Starts `CONTRACTS_NODE`, or `substrate-contracts-node` on `PATH`, with
    /// a temporary database.
    pub fn start() -> Result<Self, ChainError> {
        Self::launch(free_port()?, None)
    }

    /// As `start`, keeping the chain in `base_path` across `restart`s.
    pub fn start_in(base_path: PathBuf) -> Result<Self, ChainError> {
        Self::launch(free_port()?, Some(base_path))
    }

    /// Stops the node and starts it again on the same port and database.
    pub fn restart(&mut self) -> Result<(), ChainError> {
        self.stop();
        *self = Self::launch(self.rpc_port, self.base_path.take())?;
        Ok(())
    }

    /// Stops the node: its RPC port closes until `restart`.
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn launch(rpc_port: u16, base_path: Option<PathBuf>) -> Result<Self, ChainError> {
        let binary =
            std::env::var("CONTRACTS_NODE").unwrap_or_else(|_| "substrate-contracts-node".into());
        let log = std::env::temp_dir().join(format!("p2pcloud-node-{rpc_port}.log"));
        let log_file = std::fs::File::create(&log)
            .map_err(|e| ChainError::Client(format!("{}: {e}", log.display())))?;
        let mut command = Command::new(&binary);
        command
            .args(["--dev", "--rpc-port", &rpc_port.to_string()])
            .args(["--port", &free_port()?.to_string()]);
        match &base_path {
            Some(path) => command.arg("--base-path").arg(path),
            None => command.arg("--tmp"),
        };
        let child = command
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .map_err(|e| ChainError::Client(format!("starting {binary}: {e}")))?;
        Ok(Self {
            child,
            rpc_port,
            base_path,
            url: format!("ws://127.0.0.1:{rpc_port}"),
        })
    }
}

impl DevNode {
    /// Its WebSocket RPC address.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Blocks until the node answers a JSON-RPC request on its port (a minute
    /// at most). An open port is not enough: while it starts, another
    /// process may hold a port the node was about to take.
    pub fn wait_until_ready(&self) -> Result<(), ChainError> {
        let address = self.url.trim_start_matches("ws://");
        for _ in 0..120 {
            if answers_json_rpc(address) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(500));
        }
        Err(ChainError::Client(format!("{} never answered", self.url)))
    }
}

/// Whether a JSON-RPC server answers `system_health` at `address` (the
/// node serves HTTP and WebSocket on one port).
fn answers_json_rpc(address: &str) -> bool {
    use std::io::{Read, Write};
    let body = r#"{"jsonrpc":"2.0","id":1,"method":"system_health","params":[]}"#;
    let request = format!(
        "POST / HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let Ok(mut stream) = std::net::TcpStream::connect(address) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let mut answer = String::new();
    stream.write_all(request.as_bytes()).is_ok()
        && stream.read_to_string(&mut answer).is_ok()
        && answer.contains("\"result\"")
}

impl Drop for DevNode {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A port nothing listens on now (the OS picks it).
fn free_port() -> Result<u16, ChainError> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|e| ChainError::Client(format!("no free port: {e}")))
}

//! A `substrate-contracts-node` (or any chain with pallet-contracts) reached
//! over RPC with subxt: a fresh `--dev` node started for a test, or any node
//! given by URL. Every call is dry-run first (`ContractsApi_call`); a message
//! that reverts is answered from its dry run and never submitted, and a
//! submitted one gets the dry run's gas and storage deposit plus
//! `GAS_MARGIN_PERCENT`. Time passes in real time here.
//!
//! By concern: `dev_node` starts a node of our own, `dry_run` runs calls
//! without submitting them, `contracts` submits pallet-contracts'
//! extrinsics, `submission` signs and follows an extrinsic to its block,
//! `events` reads contract events, `storage` reads the best block's state
//! and `runtime` what the node runs.
use crate::chain::{
    dev, Chain, ChainError, Constructor, Cost, Keypair, Message, Outcome, WasmFiles,
};
use crate::{
    compat,
    domain::{Balance, Block},
};
use ink::primitives::{AccountId, Hash};
use scale::{Decode, Encode};
use std::{path::PathBuf, time::Duration};
use subxt::{
    backend::{legacy::LegacyRpcMethods, rpc::RpcClient},
    dynamic::Value,
    OnlineClient, PolkadotConfig,
};

mod contracts;
mod dev_node;
mod dry_run;
mod events;
mod runtime;
mod storage;
mod submission;

pub use dev_node::DevNode;
pub use submission::{Confirm, Progress, Submission};

type Config = PolkadotConfig;

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
        let mut node = DevNode::start()?;
        node.wait_until_ready()?;
        let mut chain = Self::connect_retrying(node.url(), wasm_files).await?;
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

    /// Waits for each submitted extrinsic to be finalized, not only included.
    pub fn wait_for_finality(mut self, finalized: bool) -> Self {
        self.finalized = finalized;
        self
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
        self.upload_code(contract, caller).await
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
        self.instantiate_contract(contract, caller, constructor)
            .await
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
        self.call_contract(caller, message).await
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
        let best = self.best_block().await?;
        self.timestamp_at(best)
            .await?
            .ok_or_else(|| ChainError::Failed("the node has no block time yet".into()))
    }

    async fn code_hash(&mut self, contract: AccountId) -> Result<Option<Hash>, ChainError> {
        self.contract_code_hash(contract).await
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
        self.read_block(number).await
    }
}

fn client(error: impl std::fmt::Display) -> ChainError {
    ChainError::Client(error.to_string())
}

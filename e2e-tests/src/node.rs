//! A `substrate-contracts-node` reached over RPC through ink_e2e's client:
//! a fresh node started for a test, or any node given by URL (the demo's
//! `--url`). Time passes in real time here.
use crate::chain::{
    decode_answer, Balance, Chain, ChainError, Constructor, Cost, Emitted, Env, Keypair, Message,
    Outcome, GAS_MARGIN_PERCENT,
};
use ink::primitives::{AccountId, Hash};
use ink_e2e::{
    events::ContractEmitted,
    subxt::{
        backend::legacy::LegacyRpcMethods, blocks::ExtrinsicEvents, dynamic::Value, OnlineClient,
    },
    ChainBackend, ContractsBackend, PolkadotConfig, TestNodeProcess,
};
use ink_sandbox::frame_support::sp_runtime::DispatchError;
use scale::{Decode, Encode};
use std::path::PathBuf;

pub type NodeClient = ink_e2e::Client<PolkadotConfig, Env>;

pub struct NodeChain {
    client: NodeClient,
    /// The same node through subxt directly, for the runtime's constants.
    runtime: OnlineClient<PolkadotConfig>,
    /// The node's RPC methods, for its best block (subxt's "latest" is the
    /// latest finalized one, which can lag the block a call landed in).
    rpc: LegacyRpcMethods<PolkadotConfig>,
    /// The node this chain started, stopped when the chain is dropped.
    _node: Option<TestNodeProcess<PolkadotConfig>>,
}

impl NodeChain {
    /// Starts a fresh `--dev` node (`CONTRACTS_NODE`, or
    /// `substrate-contracts-node` on `PATH`) and connects to it.
    pub async fn spawn(wasm_files: Vec<PathBuf>) -> Result<Self, ChainError> {
        let node = TestNodeProcess::<PolkadotConfig>::build_with_env_or_default()
            .spawn()
            .await
            .map_err(|e| ChainError::Client(format!("starting the node: {e}")))?;
        let client = NodeClient::new(node.rpc(), wasm_files)
            .await
            .map_err(|e| ChainError::Client(e.to_string()))?;
        let runtime = OnlineClient::from_rpc_client(node.rpc())
            .await
            .map_err(|e| ChainError::Client(e.to_string()))?;
        Ok(Self {
            client,
            runtime,
            rpc: LegacyRpcMethods::new(node.rpc()),
            _node: Some(node),
        })
    }

    /// Connects to the node at `url` (for example `ws://127.0.0.1:9944`) and
    /// knows the given contract Wasm files by their stems.
    pub async fn connect(url: &str, wasm_files: Vec<PathBuf>) -> Result<Self, ChainError> {
        let rpc = ink_e2e::RpcClient::from_url(url)
            .await
            .map_err(|e| ChainError::Client(format!("{url}: {e}")))?;
        let client = NodeClient::new(rpc.clone(), wasm_files)
            .await
            .map_err(|e| ChainError::Client(format!("{url}: {e}")))?;
        let runtime = OnlineClient::from_rpc_client(rpc.clone())
            .await
            .map_err(|e| ChainError::Client(format!("{url}: {e}")))?;
        Ok(Self {
            client,
            runtime,
            rpc: LegacyRpcMethods::new(rpc),
            _node: None,
        })
    }
}

impl NodeChain {
    /// Runs `message` on the node's current state without submitting it:
    /// its answer, whether it reverted, and what it cost.
    async fn dry_run<Args, R>(
        &mut self,
        caller: &Keypair,
        message: &Message<Args, R>,
    ) -> Result<(R, bool, Cost), ChainError>
    where
        Args: Encode + Clone + Sync,
        R: Decode + Send,
    {
        let dry_run = self
            .client
            .call(caller, message)
            .dry_run()
            .await
            .map_err(failed)?;
        // A call the runtime aborted (a trap, an exhausted limit) has no answer.
        let executed = dry_run
            .exec_result
            .result
            .as_ref()
            .map_err(|error| ChainError::Failed(self.describe(error)))?;
        let value = decode_answer(&executed.data)?;
        let cost = Cost::of(
            dry_run.exec_result.gas_consumed,
            &dry_run.exec_result.storage_deposit,
        );
        Ok((value, executed.did_revert(), cost))
    }
}

impl NodeChain {
    /// A runtime error with its pallet and error name from the node's
    /// metadata: errors decoded over RPC carry only indices.
    fn describe(&self, error: &DispatchError) -> String {
        let named = match error {
            DispatchError::Module(module) => {
                let metadata = self.runtime.metadata();
                metadata.pallet_by_index(module.index).and_then(|pallet| {
                    pallet
                        .error_variant_by_index(module.error[0])
                        .map(|variant| format!("{}::{}", pallet.name(), variant.name))
                })
            }
            _ => None,
        };
        named.unwrap_or_else(|| format!("{error:?}"))
    }
}

fn failed(error: impl std::fmt::Debug) -> ChainError {
    ChainError::Failed(format!("{error:?}"))
}

fn contract_events(events: &ExtrinsicEvents<PolkadotConfig>) -> Result<Vec<Emitted>, ChainError> {
    let mut emitted = Vec::new();
    for event in events.iter() {
        let event = event.map_err(|e| ChainError::Client(e.to_string()))?;
        let decoded = event
            .as_event::<ContractEmitted<Env>>()
            .map_err(|e| ChainError::Client(e.to_string()))?;
        if let Some(ContractEmitted { contract, data }) = decoded {
            emitted.push(Emitted {
                contract,
                topics: event.topics().iter().map(|topic| topic.0).collect(),
                data,
            });
        }
    }
    Ok(emitted)
}

impl Chain for NodeChain {
    fn backend(&self) -> &'static str {
        "substrate-contracts-node"
    }

    async fn upload(&mut self, contract: &str, caller: &Keypair) -> Result<Hash, ChainError> {
        let uploaded = self
            .client
            .upload(contract, caller)
            .submit()
            .await
            .map_err(failed)?;
        Ok(uploaded.code_hash)
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
        let instantiated = self
            .client
            .instantiate(contract, caller, constructor)
            .extra_gas_portion(GAS_MARGIN_PERCENT)
            .submit()
            .await
            .map_err(failed)?;
        Ok(Outcome {
            value: instantiated.account_id,
            events: contract_events(&instantiated.events)?,
            cost: Cost::of(
                instantiated.dry_run.contract_result.gas_consumed,
                &instantiated.dry_run.contract_result.storage_deposit,
            ),
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
        let (value, reverted, cost) = self.dry_run(caller, message).await?;
        if reverted {
            return Ok(Outcome {
                value,
                events: Vec::new(),
                cost,
            });
        }
        let submitted = self
            .client
            .call(caller, message)
            .extra_gas_portion(GAS_MARGIN_PERCENT)
            .submit()
            .await
            .map_err(failed)?;
        Ok(Outcome {
            value,
            events: contract_events(&submitted.events)?,
            cost,
        })
    }

    async fn query<Args, R>(
        &mut self,
        caller: &Keypair,
        message: &Message<Args, R>,
    ) -> Result<R, ChainError>
    where
        Args: Encode + Clone + Sync,
        R: Decode + Send,
    {
        Ok(self.dry_run(caller, message).await?.0)
    }

    async fn pass_time(&mut self, ms: u64) -> Result<(), ChainError> {
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
        // A dev node seals a block only when a transaction arrives, and dry
        // runs see the time of the last block: seal one now.
        let remark = vec![Value::from_bytes(b"p2pcloud: time passes")];
        self.client
            .runtime_call(&ink_e2e::alice(), "System", "remark", remark)
            .await
            .map_err(failed)?;
        Ok(())
    }

    async fn now(&mut self) -> Result<u64, ChainError> {
        let address = ink_e2e::subxt::dynamic::storage("Timestamp", "Now", ());
        let best = self
            .rpc
            .chain_get_block_hash(None)
            .await
            .map_err(failed)?
            .ok_or_else(|| ChainError::Failed("the node has no best block".into()))?;
        self.runtime
            .storage()
            .at(best)
            .fetch(&address)
            .await
            .map_err(failed)?
            .ok_or_else(|| ChainError::Failed("the node has no block time yet".into()))?
            .as_type::<u64>()
            .map_err(|e| ChainError::Undecodable(e.to_string()))
    }

    async fn storage_price(&mut self) -> Result<(Balance, Balance), ChainError> {
        let constant = |name: &'static str| -> Result<Balance, ChainError> {
            self.runtime
                .constants()
                .at(&ink_e2e::subxt::dynamic::constant("Contracts", name))
                .map_err(|e| ChainError::Client(e.to_string()))?
                .as_type::<Balance>()
                .map_err(|e| ChainError::Undecodable(e.to_string()))
        };
        Ok((constant("DepositPerItem")?, constant("DepositPerByte")?))
    }
}

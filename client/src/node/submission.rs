//! An extrinsic from signing to its block: its nonce as the node's pool
//! sees it, the caller's confirmation with its limits and fee, and each
//! status until it is included (or finalized), reported as it comes.
use super::{client, Config, NodeChain};
use crate::{
    chain::{ChainError, Keypair},
    domain::Balance,
};
use sp_weights::Weight;
use subxt::{
    blocks::ExtrinsicEvents,
    config::DefaultExtrinsicParamsBuilder,
    dynamic::Value,
    tx::{SubmittableExtrinsic, TxProgress, TxStatus},
    utils::H256,
    OnlineClient,
};

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

type Extrinsic = SubmittableExtrinsic<Config, OnlineClient<Config>>;

impl NodeChain {
    /// Signs `call` with `signer`, submits it and waits until it is in a block
    /// (or finalized); its events, or the runtime's error by name.
    pub(super) async fn submit(
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
            self.confirm(&extrinsic, &format!("{pallet}::{call}"), limits)
                .await?;
        }
        let progress = extrinsic
            .submit_and_watch()
            .await
            .map_err(|e| ChainError::Failed(self.describe_subxt(e)))?;
        self.follow(progress).await
    }

    /// Asks the caller's `Confirm` about `extrinsic` with its limits and
    /// the node's fee estimate; declined, nothing is submitted.
    async fn confirm(
        &mut self,
        extrinsic: &Extrinsic,
        call: &str,
        limits: Option<(Weight, Balance)>,
    ) -> Result<(), ChainError> {
        let fee = extrinsic.partial_fee_estimate().await.map_err(client)?;
        let (native_symbol, native_decimals) = self.native_token().await;
        let submission = Submission {
            call,
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
        Ok(())
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
            self.report_inclusion(block).await;
            return Ok(events);
        }
        Err(ChainError::Client(
            "the node closed the subscription before the transaction was included".into(),
        ))
    }

    /// Reports the block that includes (or finalized) the extrinsic, by its
    /// number if the node still has its header.
    async fn report_inclusion(&mut self, block: H256) {
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
    }

    fn report(&mut self, status: &str) {
        if let Some(progress) = self.progress.as_mut() {
            progress(status);
        }
    }
}

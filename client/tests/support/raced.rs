//! The embedded chain as a node behaves when another transaction lands
//! between a message's dry run and its submission.
use ink::primitives::{AccountId, Hash};
use p2pcloud_client::{
    chain::{Chain, ChainError, Constructor, Cost, Keypair, Message, Outcome},
    domain::{Balance, Block},
    embedded::EmbeddedChain,
};
use scale::{Decode, Encode};

/// Every submitted message lands twice, the copy first, and the outcome
/// keeps the answer of the dry run made before both: what `NodeChain::call`
/// returns when another transaction takes the id the dry run saw.
pub struct Raced(pub EmbeddedChain);

impl Chain for Raced {
    fn backend(&self) -> &'static str {
        "embedded chain, raced"
    }

    async fn check_code(&mut self, contracts: &[&str]) -> Result<Vec<String>, ChainError> {
        self.0.check_code(contracts).await
    }

    async fn upload(&mut self, contract: &str, caller: &Keypair) -> Result<Hash, ChainError> {
        self.0.upload(contract, caller).await
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
        self.0.instantiate(contract, caller, constructor).await
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
        let (stale, _) = self.0.estimate(caller, message).await?;
        self.0.call(caller, message).await?;
        let landed = self.0.call(caller, message).await?;
        Ok(Outcome {
            value: stale,
            events: landed.events,
            cost: landed.cost,
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
        self.0.estimate(caller, message).await
    }

    async fn pass_time(&mut self, ms: u64) -> Result<(), ChainError> {
        self.0.pass_time(ms).await
    }

    async fn now(&mut self) -> Result<u64, ChainError> {
        self.0.now().await
    }

    async fn code_hash(&mut self, contract: AccountId) -> Result<Option<Hash>, ChainError> {
        self.0.code_hash(contract).await
    }

    async fn storage_price(&mut self) -> Result<(Balance, Balance), ChainError> {
        self.0.storage_price().await
    }

    async fn finalized_block(&mut self) -> Result<u64, ChainError> {
        self.0.finalized_block().await
    }

    async fn block(&mut self, number: u64) -> Result<Block, ChainError> {
        self.0.block(number).await
    }
}

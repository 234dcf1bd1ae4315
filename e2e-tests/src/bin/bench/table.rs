//! The measured messages: what each cost, and how it splits where the chain
//! can tell (`BenchChain::Shares`). The cost is what `Chain::call` reports:
//! on the embedded chain the call's own, on a node its dry run's
//! (`ContractsApi_call` on the best block, just before it is submitted).
use crate::backend::BenchChain;
use e2e_tests::protocol::{Failure, OrFail};
use p2pcloud_client::chain::{Cost, Keypair, Message};
use scale::{Decode, Encode};
use std::fmt::Debug;

/// One measured message.
pub struct Row<S> {
    pub message: String,
    pub cost: Cost,
    pub shares: S,
}

/// The measured rows, each checked to have succeeded.
pub struct Table<S>(pub Vec<Row<S>>);

impl<S> Default for Table<S> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<S> Table<S> {
    /// Sends `call` as `caller`, which must answer `Ok`, and records what it
    /// cost; returns what is inside the `Ok`.
    pub async fn run<C, Args, T, E>(
        &mut self,
        chain: &mut C,
        message: &str,
        caller: &Keypair,
        call: &Message<Args, Result<T, E>>,
    ) -> Result<T, Failure>
    where
        C: BenchChain<Shares = S>,
        Args: Encode + Clone + Sync,
        T: Decode + Send,
        E: Decode + Send + Debug,
    {
        let outcome = chain.call(caller, call).await?;
        let answer = outcome.value.or_fail(&format!("{message} failed"))?;
        self.push(chain, message, outcome.cost);
        Ok(answer)
    }

    /// [`Table::run`] for a message whose answer is not needed.
    pub async fn record<C, Args, T, E>(
        &mut self,
        chain: &mut C,
        message: &str,
        caller: &Keypair,
        call: &Message<Args, Result<T, E>>,
    ) -> Result<(), Failure>
    where
        C: BenchChain<Shares = S>,
        Args: Encode + Clone + Sync,
        T: Decode + Send,
        E: Decode + Send + Debug,
    {
        self.run(chain, message, caller, call).await.map(drop)
    }

    /// Sends a getter whose answer is a plain value, with no error to
    /// refuse, and records what it cost.
    pub async fn read<C, Args, R>(
        &mut self,
        chain: &mut C,
        message: &str,
        caller: &Keypair,
        call: &Message<Args, R>,
    ) -> Result<(), Failure>
    where
        C: BenchChain<Shares = S>,
        Args: Encode + Clone + Sync,
        R: Decode + Send,
    {
        let outcome = chain.call(caller, call).await?;
        self.push(chain, message, outcome.cost);
        Ok(())
    }

    /// Records the call `chain` ran last, which cost `cost`.
    fn push<C: BenchChain<Shares = S>>(&mut self, chain: &mut C, message: &str, cost: Cost) {
        self.0.push(Row {
            message: message.into(),
            cost,
            shares: chain.last_shares(),
        });
    }
}

/// One run of every message on a market of `population`.
pub struct Measured<S> {
    pub population: u32,
    /// The yardstick: what a PSP22 transfer cost.
    pub transfer: Cost,
    pub table: Table<S>,
}

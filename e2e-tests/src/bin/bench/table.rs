//! The measured messages: what each cost, and how it splits.
use e2e_tests::protocol::{Failure, OrFail};
use p2pcloud_client::{
    chain::{Chain, Cost, Keypair, Message},
    embedded::{CallShares, EmbeddedChain},
};
use scale::{Decode, Encode};
use std::fmt::Debug;

/// One measured message.
pub struct Row {
    pub message: String,
    pub cost: Cost,
    pub shares: CallShares,
}

/// The measured rows, each checked to have succeeded.
#[derive(Default)]
pub struct Table(pub Vec<Row>);

impl Table {
    /// Sends `call` as `caller`, which must answer `Ok`, and records what it
    /// cost; returns what is inside the `Ok`.
    pub async fn run<Args, T, E>(
        &mut self,
        chain: &mut EmbeddedChain,
        message: &str,
        caller: &Keypair,
        call: &Message<Args, Result<T, E>>,
    ) -> Result<T, Failure>
    where
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
    pub async fn record<Args, T, E>(
        &mut self,
        chain: &mut EmbeddedChain,
        message: &str,
        caller: &Keypair,
        call: &Message<Args, Result<T, E>>,
    ) -> Result<(), Failure>
    where
        Args: Encode + Clone + Sync,
        T: Decode + Send,
        E: Decode + Send + Debug,
    {
        self.run(chain, message, caller, call).await.map(drop)
    }

    /// Sends a getter whose answer is a plain value, with no error to
    /// refuse, and records what it cost.
    pub async fn read<Args, R>(
        &mut self,
        chain: &mut EmbeddedChain,
        message: &str,
        caller: &Keypair,
        call: &Message<Args, R>,
    ) -> Result<(), Failure>
    where
        Args: Encode + Clone + Sync,
        R: Decode + Send,
    {
        let outcome = chain.call(caller, call).await?;
        self.push(chain, message, outcome.cost);
        Ok(())
    }

    /// Records the call `chain` ran last, which cost `cost`.
    fn push(&mut self, chain: &mut EmbeddedChain, message: &str, cost: Cost) {
        self.0.push(Row {
            message: message.into(),
            cost,
            shares: chain.last_call_shares(),
        });
    }
}

/// One run of every message on a market of `population`.
pub struct Measured {
    pub population: u32,
    /// The yardstick: what a PSP22 transfer cost.
    pub transfer: Cost,
    pub table: Table,
}

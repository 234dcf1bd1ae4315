//! A market on a fresh embedded chain: the protocol deployed with mock USD,
//! Bob offering machines, and helpers to fund users and book, for scenarios
//! that need days to pass.
use crate::{
    bundles::contract_wasm,
    chain::{Chain, Keypair},
    embedded::EmbeddedChain,
    protocol::{Failure, OrFail, Protocol},
    workflow::{deploy_with_mock_usd, Cast, MockUsdCalls},
};
use broker::types::{BookingId, OfferId};
use psp22::{PSP22Mintable, PSP22};

/// Bob's price per second, in mock USD units.
pub const PRICE: u128 = 1_000;

pub struct Market {
    pub chain: EmbeddedChain,
    pub cast: Cast,
    pub token: MockUsdCalls,
    pub protocol: Protocol,
    /// Bob's offer of VM type 1 at `PRICE`.
    pub offer: OfferId,
}

impl Market {
    /// The protocol on a fresh embedded chain, with Bob offering `machines`
    /// machines of VM type 1 at `PRICE`.
    pub async fn open(machines: u32) -> Result<Self, Failure> {
        let mut chain = EmbeddedChain::new(contract_wasm());
        let cast = Cast::default();
        let (_, token, protocol) = deploy_with_mock_usd(&mut chain, &cast).await?;
        let mut market = Self {
            chain,
            cast,
            token,
            protocol,
            offer: 0,
        };
        let bob = market.cast.bob.clone();
        market.offer = market.add_offer(&bob, PRICE, machines).await?;
        Ok(market)
    }

    /// `miner` offers `machines` machines of VM type 1 at `price`.
    pub async fn add_offer(
        &mut self,
        miner: &Keypair,
        price: u128,
        machines: u32,
    ) -> Result<OfferId, Failure> {
        let message = self.protocol.broker.add_offer(1, price, machines, [0; 32]);
        self.chain
            .call(miner, &message)
            .await?
            .value
            .or_fail("add_offer")
    }

    /// Mints `amount` to `user`, approves the broker and deposits it.
    pub async fn fund(&mut self, user: &Keypair, amount: u128) -> Result<(), Failure> {
        let Self {
            chain,
            token,
            protocol,
            ..
        } = self;
        chain
            .call(user, &token.mint(amount))
            .await?
            .value
            .or_fail("mint")?;
        chain
            .call(user, &token.approve(protocol.broker_id, amount))
            .await?
            .value
            .or_fail("approve")?;
        chain
            .call(user, &protocol.broker.deposit_coin(amount))
            .await?
            .value
            .or_fail("deposit")
    }

    /// `user` books Bob's offer.
    pub async fn book(&mut self, user: &Keypair) -> Result<BookingId, Failure> {
        self.book_offer(user, self.offer, PRICE).await
    }

    /// `user` books `offer`, paying at most `max_price` per second.
    pub async fn book_offer(
        &mut self,
        user: &Keypair,
        offer: OfferId,
        max_price: u128,
    ) -> Result<BookingId, Failure> {
        let message = self.protocol.broker.book_vm(offer, max_price);
        self.chain
            .call(user, &message)
            .await?
            .value
            .or_fail("book_vm")
    }
}

//! A market on a fresh embedded chain: the protocol deployed with mock USD,
//! Bob offering machines, and helpers to fund users and book, for scenarios
//! that need days to pass.
use crate::{
    bundles::contract_wasm,
    protocol::{Failure, OrFail, Protocol},
    workflow::{deploy_with_mock_usd, fund, Cast, MockUsdCalls},
};
use broker::types::{BookingId, OfferId, WEEK_SECONDS};
use p2pcloud_client::{
    chain::{Chain, Keypair},
    embedded::EmbeddedChain,
};

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
        fund(
            &mut self.chain,
            &mut self.token,
            &mut self.protocol,
            user,
            amount,
        )
        .await
    }

    /// Charlie books Bob's offer for a week's deposit and runs the VM for an
    /// hour; Bob claims, so the community's fee for that hour waits in the
    /// broker.
    pub async fn earn_an_hour_of_fees(&mut self) -> Result<(), Failure> {
        let (charlie, bob) = (self.cast.charlie.clone(), self.cast.bob.clone());
        self.fund(&charlie, PRICE * WEEK_SECONDS).await?;
        let booking = self.book(&charlie).await?;
        self.chain.pass_time(3_600_000).await?;
        self.chain
            .call(&bob, &self.protocol.broker.claim_payment(booking))
            .await?
            .value
            .or_fail("claim_payment")
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

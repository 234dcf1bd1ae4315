//! The market opens: the users fund their balances, Bob offers machines, and
//! calls that break a rule are refused with their typed errors.
use super::{Cast, Stage, DEPOSIT, PRICE_PER_SECOND};
use crate::names::musd;
use crate::protocol::{check_eq, Failure, OrFail};
use broker::{types::OfferId, BrokerError};
use p2pcloud_client::chain::{Chain, Keypair, Message};
use psp22::{PSP22Mintable, PSP22};
use scale::{Decode, Encode};

impl<C: Chain> Stage<'_, C> {
    /// Charlie and Dave fund their broker balances.
    pub(super) async fn users_deposit(
        &mut self,
        say: &mut impl FnMut(String),
    ) -> Result<(), Failure> {
        let Cast {
            alice,
            charlie,
            dave,
            ..
        } = &self.cast;
        let broker_id = self.protocol.broker_id;
        for (name, user) in [("Charlie", charlie), ("Dave", dave)] {
            self.chain
                .call(user, &self.token.mint(DEPOSIT * 2))
                .await?
                .value
                .or_fail("mint")?;
            self.chain
                .call(user, &self.token.approve(broker_id, DEPOSIT))
                .await?
                .value
                .or_fail("approve")?;
            let deposit = self
                .chain
                .call(user, &self.protocol.broker.deposit_coin(DEPOSIT))
                .await?;
            check_eq(deposit.value, Ok(()), "deposit")?;
            say(format!("{name} deposits {}", musd(DEPOSIT)));
        }
        check_eq(
            self.chain
                .query(alice, &self.token.balance_of(broker_id))
                .await?,
            DEPOSIT * 2,
            "tokens held by the broker",
        )
    }

    /// Bob offers two machines, then raises the price, and publishes a URL;
    /// returns the offer.
    pub(super) async fn bob_offers(
        &mut self,
        say: &mut impl FnMut(String),
    ) -> Result<OfferId, Failure> {
        let Cast { bob, charlie, .. } = &self.cast;
        let broker = &mut self.protocol.broker;
        let offer = self
            .chain
            .call(bob, &broker.add_offer(1, PRICE_PER_SECOND / 2, 2, [7; 32]))
            .await?
            .value
            .or_fail("add_offer")?;
        self.chain
            .call(bob, &broker.update_offer(offer, PRICE_PER_SECOND, 2))
            .await?
            .value
            .or_fail("update_offer")?;
        self.chain
            .call(bob, &broker.set_miner_url("https://bob.example/vm".into()))
            .await?
            .value
            .or_fail("set_miner_url")?;
        let available = self
            .chain
            .query(charlie, &broker.get_available_offers(Some(1), None, 10))
            .await?
            .or_fail("get_available_offers")?;
        check_eq(available.items.len(), 1, "available offers of VM type 1")?;
        let (offer_id, listed) = &available.items[0];
        say(format!(
            "Bob offers #{offer_id}: VM type {}, {}/s, {} machines, URL https://bob.example/vm",
            listed.vm_type_id,
            musd(listed.price_per_second),
            listed.machines
        ));
        Ok(offer)
    }

    /// Calls that break a rule end in their typed errors, and nothing moves.
    pub(super) async fn refuse_wrong_calls(
        &mut self,
        offer: OfferId,
        say: &mut impl FnMut(String),
    ) -> Result<(), Failure> {
        let Cast {
            alice,
            bob,
            charlie,
            ferdie,
            ..
        } = &self.cast;
        let (chain, broker) = (&mut *self.chain, &mut self.protocol.broker);
        let refusals = [
            (
                "Charlie updates Bob's offer",
                refusal(chain, charlie, &broker.update_offer(offer, 1, 2)).await?,
                BrokerError::NotOfferOwner,
            ),
            (
                "Ferdie sets the community fee",
                refusal(chain, ferdie, &broker.set_community_fee(0)).await?,
                BrokerError::NotCommunity,
            ),
            (
                "Ferdie books with no balance",
                refusal(chain, ferdie, &broker.book_vm(offer, PRICE_PER_SECOND)).await?,
                BrokerError::InsufficientBalance,
            ),
            (
                "Charlie books below Bob's price (he raised it to 1 000/s)",
                refusal(chain, charlie, &broker.book_vm(offer, PRICE_PER_SECOND - 1)).await?,
                BrokerError::PriceAboveLimit,
            ),
            (
                "Bob books his own offer",
                refusal(chain, bob, &broker.book_vm(offer, PRICE_PER_SECOND)).await?,
                BrokerError::OwnOffer,
            ),
            (
                "Charlie withdraws more than she has",
                refusal(chain, charlie, &broker.withdraw_coin(DEPOSIT + 1)).await?,
                BrokerError::InsufficientFreeBalance,
            ),
            (
                "Ferdie deposits without an allowance",
                refusal(chain, ferdie, &broker.deposit_coin(5)).await?,
                BrokerError::TokenTransferRejected,
            ),
        ];
        for (what, refused, expected) in refusals {
            check_eq(refused, Some(expected), what)?;
            say(format!("refused: {what}: {expected}"));
        }
        check_eq(
            chain
                .query(alice, &self.token.balance_of(self.protocol.broker_id))
                .await?,
            DEPOSIT * 2,
            "tokens held by the broker after the refusals",
        )
    }
}

/// The error the broker refused `caller`'s `message` with, if it did.
async fn refusal<C: Chain, Args, T>(
    chain: &mut C,
    caller: &Keypair,
    message: &Message<Args, Result<T, BrokerError>>,
) -> Result<Option<BrokerError>, Failure>
where
    Args: Encode + Clone + Sync,
    T: Decode + Send,
{
    Ok(chain.call(caller, message).await?.value.err())
}

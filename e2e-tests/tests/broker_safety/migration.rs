//! A stablecoin migration past a dust deposit: nobody can block it, every
//! unit of the old token goes to its owner, no offer outlives it, the
//! community shares what it was paid in the old token, and the new token
//! works from the first deposit on.
use super::DAY_MS;
use broker::{
    events::Withdrawn,
    types::{OfferId, WEEK_SECONDS},
    BrokerError,
};
use community::{
    events::FeeBookOpened,
    types::{Action, BrokerCall},
};
use e2e_tests::{
    market::{Market, PRICE},
    protocol::{check, check_eq, Failure, OrFail},
    workflow::{pass_proposal, Cast, MockUsdCalls},
};
use ink::primitives::AccountId;
use p2pcloud_client::{
    chain::{account_of, contract_calls, Chain, Keypair},
    domain::{decode, find, Emitted},
    history::payouts,
};
use psp22::{PSP22Mintable, PSP22};
use psp22_mock::{Psp22Mock, Psp22MockRef};
use std::collections::BTreeMap;

/// Every payout (`MinerPayout`, and the settlement a `BookingStopped` tells)
/// and `Withdrawn` among `events`, summed per account:
/// what users were charged, what miners and the community earned, and what
/// the migration paid back.
#[derive(Default)]
struct Flows {
    charged: BTreeMap<AccountId, u128>,
    earned: BTreeMap<AccountId, u128>,
    fees: u128,
    paid_back: BTreeMap<AccountId, u128>,
}

impl Flows {
    fn add(&mut self, events: &[Emitted]) {
        for payout in payouts(events) {
            *self.charged.entry(payout.user).or_default() += payout.amount + payout.fee;
            *self.earned.entry(payout.miner).or_default() += payout.amount;
            self.fees += payout.fee;
        }
        for event in events {
            if let Some(withdrawn) = decode::<Withdrawn>(event) {
                *self.paid_back.entry(withdrawn.account).or_default() += withdrawn.amount;
            }
        }
    }
}

/// What each user funded: Charlie two weeks of Bob's price and an odd
/// amount, Dave a week of both his bookings, Ferdie a single unit of dust.
fn funded(cast: &Cast) -> [(&Keypair, u128); 3] {
    [
        (&cast.charlie, 2 * PRICE * WEEK_SECONDS + 12_345),
        (&cast.dave, 3 * PRICE * WEEK_SECONDS),
        (&cast.ferdie, 1),
    ]
}

/// A market two days into three bookings, and what its payouts and refunds
/// moved so far.
struct BusyMarket {
    market: Market,
    cast: Cast,
    /// Eve's offer, which Dave booked.
    eve_offer: OfferId,
    flows: Flows,
}

/// The stablecoin the broker leaves and the one it moves to.
struct Stablecoins {
    old: MockUsdCalls,
    new_id: AccountId,
}

#[tokio::test]
async fn a_dust_deposit_cannot_block_a_migration_and_every_unit_goes_to_its_owner(
) -> Result<(), Failure> {
    // Given bookings under way and Ferdie's deposit of one unit,
    let mut busy = BusyMarket::open().await?;
    // when the community votes to move to a second stablecoin
    let coins = busy.community_votes_a_second_stablecoin().await?;
    // and anyone drives the migration to its end,
    busy.anyone_drives_the_migration_to_its_end(&coins).await?;
    // then every unit of the old token is with its owner, no offer is left
    // at an old-token price, the community shares its old-token fees, and
    // the new token works.
    busy.every_old_unit_is_with_its_owner(&coins).await?;
    busy.no_offer_outlives_the_old_token().await?;
    busy.the_community_shares_its_old_token_fees(&coins).await?;
    busy.the_new_token_works(&coins).await
}

impl BusyMarket {
    /// Bob's and Eve's offers booked by Charlie and Dave, Ferdie's dust
    /// deposited, Bob's claim a day in, and a second day passed.
    async fn open() -> Result<Self, Failure> {
        let mut market = Market::open(2).await?;
        let cast = market.cast.clone();
        let eve_offer = market.add_offer(&cast.eve, 2 * PRICE, 1).await?;
        for (user, amount) in funded(&cast) {
            market.fund(user, amount).await?;
        }
        let charlie_booking = market.book(&cast.charlie).await?;
        market.book(&cast.dave).await?;
        market.book_offer(&cast.dave, eve_offer, 2 * PRICE).await?;
        let mut flows = Flows::default();
        let Market {
            chain, protocol, ..
        } = &mut market;
        chain.pass_time(DAY_MS).await?;
        let claim = chain
            .call(&cast.bob, &protocol.broker.claim_payment(charlie_booking))
            .await?;
        claim.value.or_fail("claim_payment")?;
        flows.add(&claim.events);
        chain.pass_time(DAY_MS).await?;
        Ok(Self {
            market,
            cast,
            eve_offer,
            flows,
        })
    }

    /// The community votes to move to a second stablecoin; deposits and
    /// bookings wait while the migration runs.
    async fn community_votes_a_second_stablecoin(&mut self) -> Result<Stablecoins, Failure> {
        let cast = &self.cast;
        let Market {
            chain, protocol, ..
        } = &mut self.market;
        let mut new_ctor = Psp22MockRef::new(0, Some("Mock USD 2".into()), Some("mUSD2".into()), 6);
        let new_token_id = chain
            .instantiate("psp22-mock", &cast.alice, &mut new_ctor)
            .await?
            .value;
        let old_token_id = chain
            .query(&cast.alice, &protocol.broker.get_stablecoin_address())
            .await?;
        let action = Action::Broker(BrokerCall::SetStablecoin(new_token_id));
        pass_proposal(chain, &mut protocol.community, &cast.alice, action).await?;
        let broker = &mut protocol.broker;
        check_eq(
            chain.query(&cast.alice, &broker.get_migration()).await?,
            Some(new_token_id),
            "the migration under way",
        )?;
        check_eq(
            chain
                .call(&cast.ferdie, &broker.deposit_coin(1))
                .await?
                .value,
            Err(BrokerError::MigrationInProgress),
            "a deposit during the migration",
        )?;
        check_eq(
            chain
                .call(&cast.ferdie, &broker.book_vm(self.eve_offer, u128::MAX))
                .await?
                .value,
            Err(BrokerError::MigrationInProgress),
            "a booking during the migration",
        )?;
        Ok(Stablecoins {
            old: contract_calls::<Psp22Mock>(old_token_id),
            new_id: new_token_id,
        })
    }

    /// Anyone drives it, two items a step, to its end.
    async fn anyone_drives_the_migration_to_its_end(
        &mut self,
        coins: &Stablecoins,
    ) -> Result<(), Failure> {
        let cast = &self.cast;
        let Market {
            chain, protocol, ..
        } = &mut self.market;
        let broker = &mut protocol.broker;
        let mut steps = 0;
        while chain
            .query(&cast.ferdie, &broker.get_migration())
            .await?
            .is_some()
        {
            let step = chain.call(&cast.ferdie, &broker.migrate(2)).await?;
            step.value.or_fail("migrate")?;
            self.flows.add(&step.events);
            steps += 1;
            check(steps <= 10, "the migration ends in a few steps")?;
        }
        check_eq(
            chain
                .query(&cast.alice, &broker.get_stablecoin_address())
                .await?,
            coins.new_id,
            "the broker's stablecoin",
        )
    }

    /// Every unit of the old token is with its owner: users hold what they
    /// funded less what they were charged, miners what they earned, the
    /// community its fees, the broker nothing.
    async fn every_old_unit_is_with_its_owner(
        &mut self,
        coins: &Stablecoins,
    ) -> Result<(), Failure> {
        let (cast, flows, old_token) = (&self.cast, &self.flows, &coins.old);
        let Market {
            chain, protocol, ..
        } = &mut self.market;
        for (user, amount) in funded(cast) {
            let id = account_of(user);
            let charged = flows.charged.get(&id).copied().unwrap_or(0);
            check_eq(
                chain.query(user, &old_token.balance_of(id)).await?,
                amount - charged,
                "a user's old tokens",
            )?;
        }
        for miner in [&cast.bob, &cast.eve] {
            let id = account_of(miner);
            let earned = flows.earned.get(&id).copied().unwrap_or(0);
            check(earned > 0, "each miner earned")?;
            check_eq(
                chain.query(miner, &old_token.balance_of(id)).await?,
                earned,
                "a miner's old tokens",
            )?;
        }
        check_eq(
            chain
                .query(&cast.alice, &old_token.balance_of(protocol.community_id))
                .await?,
            flows.fees,
            "the community's old tokens",
        )?;
        check_eq(
            chain
                .query(&cast.alice, &old_token.balance_of(protocol.broker_id))
                .await?,
            0,
            "old tokens left in the broker",
        )?;
        check_eq(
            flows.paid_back.get(&account_of(&cast.ferdie)).copied(),
            Some(1),
            "Ferdie's dust, paid back",
        )
    }

    /// No offer outlives the old token: miners price anew in the new one.
    async fn no_offer_outlives_the_old_token(&mut self) -> Result<(), Failure> {
        let Market {
            chain, protocol, ..
        } = &mut self.market;
        check_eq(
            chain
                .query(&self.cast.alice, &protocol.broker.get_offer(self.eve_offer))
                .await?,
            None,
            "Eve's offer, priced in the old token",
        )
    }

    /// The community shares the fees the migration paid it in the old
    /// token's book, opens one in the new token, and its members are paid
    /// in the old token.
    async fn the_community_shares_its_old_token_fees(
        &mut self,
        coins: &Stablecoins,
    ) -> Result<(), Failure> {
        let cast = &self.cast;
        let Market {
            chain, protocol, ..
        } = &mut self.market;
        let collect = chain
            .call(&cast.ferdie, &protocol.community.collect_fees())
            .await?;
        collect.value.or_fail("collect_fees after the migration")?;
        let (opened, _) = find::<FeeBookOpened>(&collect.events).ok_or("no FeeBookOpened")?;
        check_eq(opened.token, coins.new_id, "the new book's token")?;
        for member in [&cast.alice, &cast.eve] {
            chain
                .call(member, &protocol.community.claim_closed_share(0))
                .await?
                .value
                .or_fail("claim_closed_share")?;
        }
        let left = chain
            .query(&cast.alice, &coins.old.balance_of(protocol.community_id))
            .await?;
        check(
            left <= 2,
            format!("old tokens left in the community: {left}"),
        )
    }

    /// The new token works from the first deposit on.
    async fn the_new_token_works(&mut self, coins: &Stablecoins) -> Result<(), Failure> {
        let cast = &self.cast;
        let Market {
            chain,
            token,
            protocol,
            ..
        } = &mut self.market;
        let broker = &mut protocol.broker;
        let mut new_token = contract_calls::<Psp22Mock>(coins.new_id);
        chain
            .call(&cast.ferdie, &new_token.mint(500))
            .await?
            .value
            .or_fail("mint")?;
        chain
            .call(&cast.ferdie, &new_token.approve(protocol.broker_id, 500))
            .await?
            .value
            .or_fail("approve")?;
        chain
            .call(&cast.ferdie, &broker.deposit_coin(500))
            .await?
            .value
            .or_fail("deposit in the new token")?;
        check_eq(
            chain
                .query(&cast.alice, &new_token.balance_of(protocol.broker_id))
                .await?,
            500,
            "new tokens held by the broker",
        )?;
        check_eq(
            chain
                .query(&cast.alice, &token.balance_of(protocol.broker_id))
                .await?,
            0,
            "old tokens held by the broker",
        )
    }
}

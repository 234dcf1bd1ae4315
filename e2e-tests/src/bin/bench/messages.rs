//! The measured messages, in groups, in the order the table lists them. Each
//! group measures on the state the ones before it left.
use crate::{backend::BenchChain, market::Bench};
use broker::{
    types::{OfferId, WEEK_SECONDS},
    StopReason,
};
use community::types::{Action, BrokerCall};
use e2e_tests::{
    protocol::{Failure, OrFail},
    workflow::{PRICE_PER_SECOND, VOTING_PERIOD_MS},
};
use p2pcloud_client::chain::{account_of, Cost};
use psp22::{PSP22Mintable, PSP22};

/// What Charlie and Dave each deposit: four weeks of Bob's offer.
const DEPOSIT: u128 = PRICE_PER_SECOND * WEEK_SECONDS * 4;

impl<C: BenchChain> Bench<C> {
    /// The yardstick: a PSP22 transfer between two accounts that hold
    /// tokens, the table's first row. Returns what it cost.
    pub async fn psp22_transfer(&mut self) -> Result<Cost, Failure> {
        let Self {
            chain,
            cast,
            token,
            table,
            ..
        } = self;
        for user in [&cast.charlie, &cast.dave] {
            chain
                .call(user, &token.mint(DEPOSIT * 2))
                .await?
                .value
                .or_fail("mint")?;
        }
        let transfer = token.transfer(account_of(&cast.dave), 1, Vec::new());
        table
            .record(
                chain,
                "psp22-mock PSP22::transfer",
                &cast.charlie,
                &transfer,
            )
            .await?;
        Ok(table.0[0].cost)
    }

    /// Deposits into a new account and into an existing one.
    pub async fn balances(&mut self) -> Result<(), Failure> {
        let Self {
            chain,
            cast,
            token,
            protocol,
            table,
            ..
        } = self;
        let (charlie, dave) = (&cast.charlie, &cast.dave);
        for user in [charlie, dave] {
            chain
                .call(user, &token.approve(protocol.broker_id, DEPOSIT))
                .await?
                .value
                .or_fail("approve")?;
        }
        let broker = &mut protocol.broker;
        let half = broker.deposit_coin(DEPOSIT / 2);
        table
            .record(chain, "broker deposit_coin (new account)", charlie, &half)
            .await?;
        table
            .record(
                chain,
                "broker deposit_coin (existing account)",
                charlie,
                &half,
            )
            .await?;
        chain
            .call(dave, &broker.deposit_coin(DEPOSIT))
            .await?
            .value
            .or_fail("deposit")
    }

    /// Bob's offers: added, updated, his URL, and a spare one removed.
    /// Returns the offer the bookings use.
    pub async fn offers(&mut self) -> Result<OfferId, Failure> {
        let Self {
            chain,
            cast,
            protocol,
            table,
            ..
        } = self;
        let (bob, broker) = (&cast.bob, &mut protocol.broker);
        let offer = table
            .run(
                chain,
                "broker add_offer",
                bob,
                &broker.add_offer(1, PRICE_PER_SECOND, 4, [1; 32]),
            )
            .await?;
        let update = broker.update_offer(offer, PRICE_PER_SECOND, 5);
        table
            .record(chain, "broker update_offer", bob, &update)
            .await?;
        let url = broker.set_miner_url("wss://bob.example".into());
        table
            .record(chain, "broker set_miner_url", bob, &url)
            .await?;
        let spare = chain
            .call(bob, &broker.add_offer(2, PRICE_PER_SECOND, 1, [2; 32]))
            .await?
            .value
            .or_fail("add_offer")?;
        let remove = broker.remove_offer(spare);
        table
            .record(chain, "broker remove_offer (no bookings)", bob, &remove)
            .await?;
        Ok(offer)
    }

    /// Charlie and Dave book `offer`; after `C::CLOCK.usage_ms` (an hour on
    /// the embedded chain) Bob claims, `until_stop_ms` later one stops
    /// normally and the other reports Bob, and Charlie withdraws all she has.
    pub async fn bookings(&mut self, offer: OfferId) -> Result<(), Failure> {
        let Self {
            chain,
            cast,
            protocol,
            table,
            ..
        } = self;
        let (bob, charlie, dave) = (&cast.bob, &cast.charlie, &cast.dave);
        let broker = &mut protocol.broker;
        let book = broker.book_vm(offer, PRICE_PER_SECOND);
        let charlie_booking = table.run(chain, "broker book_vm", charlie, &book).await?;
        let dave_booking = chain.call(dave, &book).await?.value.or_fail("book_vm")?;
        let clock = C::CLOCK;
        chain.pass_time(clock.usage_ms).await?;
        let claim = broker.claim_payment(charlie_booking);
        let message = format!("broker claim_payment ({} accrued)", clock.usage);
        table.record(chain, &message, bob, &claim).await?;
        chain.pass_time(clock.until_stop_ms).await?;
        let stop = broker.stop_booking(charlie_booking, StopReason::Ok);
        table
            .record(chain, "broker stop_booking (Ok)", charlie, &stop)
            .await?;
        let report = broker.stop_booking(dave_booking, StopReason::MinerMisbehaviour);
        table
            .record(chain, "broker stop_booking (report)", dave, &report)
            .await?;
        let free = chain
            .query(charlie, &broker.check_balance(account_of(charlie)))
            .await?
            .or_fail("check_balance")?
            .free;
        let withdraw = broker.withdraw_coin(free);
        table
            .record(chain, "broker withdraw_coin (all)", charlie, &withdraw)
            .await
    }

    /// The broker's getters, run as calls so their weight is measured like
    /// the rest; the paging ones at the first and at the last page.
    pub async fn getters(&mut self, offer: OfferId) -> Result<(), Failure> {
        let Self {
            chain,
            cast,
            protocol,
            population,
            table,
            ..
        } = self;
        let (eve, broker) = (&cast.eve, &mut protocol.broker);
        let (ferdie, dave) = (account_of(&cast.ferdie), account_of(&cast.dave));
        let last = u64::from(*population);
        table
            .read(chain, "broker get_offer", eve, &broker.get_offer(offer))
            .await?;
        let first_page = broker.get_available_offers(None, None, 10);
        table
            .record(
                chain,
                "broker get_available_offers (first page)",
                eve,
                &first_page,
            )
            .await?;
        let last_page = broker.get_available_offers(None, Some(last - 9), 10);
        table
            .record(
                chain,
                "broker get_available_offers (last page)",
                eve,
                &last_page,
            )
            .await?;
        let first_page = broker.get_miners_offers(ferdie, None, 10);
        table
            .record(
                chain,
                "broker get_miners_offers (first page)",
                eve,
                &first_page,
            )
            .await?;
        let last_page = broker.get_miners_offers(ferdie, Some(last - 10), 10);
        table
            .record(
                chain,
                "broker get_miners_offers (last page)",
                eve,
                &last_page,
            )
            .await?;
        let balance = broker.check_balance(dave);
        table
            .record(chain, "broker check_balance", eve, &balance)
            .await?;
        let bookings = broker.get_user_bookings(dave, None, 10);
        table
            .record(chain, "broker get_user_bookings (10)", eve, &bookings)
            .await?;
        let fee = broker.get_community_fee();
        table
            .read(chain, "broker get_community_fee", eve, &fee)
            .await
    }

    /// The community: a vote that sets the fee through the broker, fees,
    /// shares.
    pub async fn community(&mut self) -> Result<(), Failure> {
        let Self {
            chain,
            cast,
            protocol,
            table,
            ..
        } = self;
        let (alice, dave, eve) = (&cast.alice, &cast.dave, &cast.eve);
        let community = &mut protocol.community;
        let fee = Action::Broker(BrokerCall::SetCommunityFee(400));
        let propose = community.propose(fee, "lower the fee".into());
        let proposal = table
            .run(chain, "community propose", alice, &propose)
            .await?;
        let vote = community.vote(proposal, true);
        table.record(chain, "community vote", alice, &vote).await?;
        chain.pass_time(VOTING_PERIOD_MS + 1).await?;
        let execute = community.execute(proposal);
        let message = "community execute (SetCommunityFee on the broker)";
        table.record(chain, message, eve, &execute).await?;
        let collect = community.collect_fees();
        table
            .record(chain, "community collect_fees", eve, &collect)
            .await?;
        let claim = community.claim_share();
        table
            .record(chain, "community claim_share", alice, &claim)
            .await?;
        let pay_out = community.pay_out_shares(0, 8);
        table
            .record(chain, "community pay_out_shares (8)", dave, &pay_out)
            .await?;
        let claimable = community.get_claimable(account_of(eve));
        table
            .read(chain, "community get_claimable", dave, &claimable)
            .await
    }
}

//! Upgrades by community vote. The broker's code is swapped for a second
//! build (`broker-next`, storage layout 2) while offers, balances and a
//! running booking live in it: the vote's execution swaps the code and
//! migrates the storage in one transaction, once, and is refused while the
//! new code's library is not on chain. The community swaps its own code the
//! same way.
use crate::{
    protocol::{balance_report, check, check_eq, Failure, OrFail, Protocol},
    workflow::{
        deploy_with_mock_usd, fund, pass_proposal, pass_vote, Cast, MockUsdCalls, PRICE_PER_SECOND,
    },
};
use broker::StorageMigrated;
use broker::{
    events::CodeUpgraded,
    layout::LAYOUT_VERSION,
    types::{Booking, BookingId, Offer, OfferId, WEEK_SECONDS},
};
use community::{
    errors::CommunityError,
    events::CommunityCodeUpgraded,
    types::{Action, BrokerCall},
};
use p2pcloud_client::{
    chain::{account_of, Chain},
    domain::decode,
};

/// Charlie's deposit: two weeks of Bob's machine.
const DEPOSIT: u128 = PRICE_PER_SECOND * WEEK_SECONDS * 2;

/// What every step of the upgrade acts on: the chain, who plays on it and
/// the contracts deployed there.
struct Stage<'a, C> {
    chain: &'a mut C,
    cast: Cast,
    token: MockUsdCalls,
    protocol: Protocol,
}

/// What the first build stored and answered, to compare after the swap.
struct FirstBuild {
    offer: OfferId,
    booking: BookingId,
    offer_answer: Option<Offer>,
    booking_answer: Option<Booking>,
    fee_bps: u16,
}

/// Runs the upgrade on `chain` and checks what it kept and changed.
pub async fn upgrade_by_vote<C: Chain>(chain: &mut C) -> Result<(), Failure> {
    let cast = Cast::default();
    let (_, token, protocol) = deploy_with_mock_usd(chain, &cast).await?;
    let mut stage = Stage {
        chain,
        cast,
        token,
        protocol,
    };
    let first_build = stage.store_state_in_layout_1().await?;
    stage.vote_swaps_the_broker_and_migrates_once().await?;
    stage.second_build_keeps_the_state(&first_build).await?;
    stage.booking_runs_on(first_build.booking).await?;
    stage.neither_contract_takes_the_others_code().await?;
    stage.community_swaps_its_own_code().await
}

impl<C: Chain> Stage<'_, C> {
    /// State in layout 1: Bob's offer, Charlie's deposit and booking.
    async fn store_state_in_layout_1(&mut self) -> Result<FirstBuild, Failure> {
        let Cast {
            alice,
            bob,
            charlie,
            ..
        } = &self.cast;
        let broker = &mut self.protocol.broker;
        let offer = self
            .chain
            .call(bob, &broker.add_offer(1, PRICE_PER_SECOND, 2, [7; 32]))
            .await?
            .value
            .or_fail("add_offer")?;
        fund(
            self.chain,
            &mut self.token,
            &mut self.protocol,
            charlie,
            DEPOSIT,
        )
        .await?;
        let broker = &mut self.protocol.broker;
        let booking = self
            .chain
            .call(charlie, &broker.book_vm(offer, PRICE_PER_SECOND))
            .await?
            .value
            .or_fail("book_vm")?;
        check_eq(
            self.chain
                .query(alice, &broker.get_layout_version())
                .await?,
            LAYOUT_VERSION,
            "the first build's layout",
        )?;
        Ok(FirstBuild {
            offer,
            booking,
            offer_answer: self.chain.query(alice, &broker.get_offer(offer)).await?,
            booking_answer: self
                .chain
                .query(alice, &broker.get_booking(booking))
                .await?,
            fee_bps: self.chain.query(alice, &broker.get_community_fee()).await?,
        })
    }

    /// The vote swaps the code and migrates the storage, in one transaction;
    /// not before the new code's library is on chain, which the new code
    /// pins in that transaction (broker/src/split.rs).
    async fn vote_swaps_the_broker_and_migrates_once(&mut self) -> Result<(), Failure> {
        let alice = &self.cast.alice;
        let next = self.chain.upload("broker_next", alice).await?;
        let upgrade = Action::Broker(BrokerCall::UpgradeCode(next));
        let community = &mut self.protocol.community;
        let proposal = pass_vote(self.chain, community, alice, upgrade).await?;
        let early = self.chain.call(alice, &community.execute(proposal)).await?;
        check_eq(
            early.value,
            Err(CommunityError::BrokerCallFailed),
            "the swap before the new code's library is on chain",
        )?;
        check_eq(
            self.chain
                .query(alice, &self.protocol.broker.get_layout_version())
                .await?,
            LAYOUT_VERSION,
            "the old code kept after the refused swap",
        )?;
        self.chain.upload("broker_next_library", alice).await?;
        let executed = self.chain.call(alice, &community.execute(proposal)).await?;
        executed.value.or_fail("execute")?;
        let events = executed.events;
        let migrations: Vec<StorageMigrated> = events.iter().filter_map(decode).collect();
        check_eq(
            migrations,
            vec![StorageMigrated {
                from: LAYOUT_VERSION,
                to: LAYOUT_VERSION + 1,
            }],
            "one migration, from layout 1 to 2",
        )?;
        let upgraded: Vec<CodeUpgraded> = events.iter().filter_map(decode).collect();
        check_eq(
            upgraded,
            vec![CodeUpgraded { code_hash: next }],
            "the code swap",
        )
    }

    /// The new build reads layout 2, with everything the old one stored.
    async fn second_build_keeps_the_state(&mut self, first: &FirstBuild) -> Result<(), Failure> {
        let Cast { alice, bob, .. } = &self.cast;
        let broker = &mut self.protocol.broker;
        check_eq(
            self.chain
                .query(alice, &broker.get_layout_version())
                .await?,
            LAYOUT_VERSION + 1,
            "the second build's layout",
        )?;
        check_eq(
            self.chain
                .query(alice, &broker.get_offer(first.offer))
                .await?,
            first.offer_answer.clone(),
            "the offer kept",
        )?;
        check_eq(
            self.chain
                .query(alice, &broker.get_booking(first.booking))
                .await?,
            first.booking_answer.clone(),
            "the booking kept",
        )?;
        check_eq(
            self.chain.query(alice, &broker.get_community_fee()).await?,
            first.fee_bps,
            "the config kept",
        )?;
        // A second migration finds nothing to do and emits nothing.
        let again = self.chain.call(bob, &broker.migrate_storage()).await?;
        check_eq(again.value, Ok(()), "migrate_storage on layout 2")?;
        check(
            again.events.is_empty(),
            "the second migration emits nothing",
        )
    }

    /// The booking runs on under the new code: the miner is paid, the user's
    /// balance answers.
    async fn booking_runs_on(&mut self, booking: BookingId) -> Result<(), Failure> {
        let Cast { bob, charlie, .. } = &self.cast;
        let broker = &mut self.protocol.broker;
        self.chain.pass_time(10_000).await?;
        self.chain
            .call(bob, &broker.claim_payment(booking))
            .await?
            .value
            .or_fail("claim_payment after the upgrade")?;
        let report = balance_report(self.chain, broker, account_of(charlie)).await?;
        check(
            report.deposited < DEPOSIT && report.deposited >= DEPOSIT - PRICE_PER_SECOND * 60,
            "Charlie paid for the seconds since booking",
        )
    }

    /// With the broker on layout 2, the community's own layout number, a
    /// swap of either contract to the other's hot code would pass every
    /// layout check: each is refused by the hot message the swap asks last,
    /// which the two contracts answer under different selectors.
    async fn neither_contract_takes_the_others_code(&mut self) -> Result<(), Failure> {
        let alice = &self.cast.alice;
        let community_code = self.chain.upload("community", alice).await?;
        let broker_code = self.chain.upload("broker_next", alice).await?;
        let community = &mut self.protocol.community;
        for (action, refusal, what) in [
            (
                Action::Broker(BrokerCall::UpgradeCode(community_code)),
                CommunityError::BrokerCallFailed,
                "the broker's swap to the community's code",
            ),
            (
                Action::UpgradeCommunity(broker_code),
                CommunityError::CodeUpgradeFailed,
                "the community's swap to the broker's code",
            ),
        ] {
            let proposal = pass_vote(self.chain, community, alice, action).await?;
            let executed = self.chain.call(alice, &community.execute(proposal)).await?;
            check_eq(executed.value, Err(refusal), what)?;
        }
        check_eq(
            self.chain
                .query(alice, &self.protocol.broker.get_layout_version())
                .await?,
            LAYOUT_VERSION + 1,
            "the broker's code kept",
        )?;
        check_eq(
            self.chain
                .query(alice, &community.get_layout_version())
                .await?,
            community::layout::LAYOUT_VERSION,
            "the community's code kept",
        )
    }

    /// The community replaces its own code by vote and keeps its members and
    /// proposals (the same build here: the swap, not a layout, is under test).
    async fn community_swaps_its_own_code(&mut self) -> Result<(), Failure> {
        let alice = &self.cast.alice;
        let community_code = self.chain.upload("community", alice).await?;
        let community = &mut self.protocol.community;
        let proposals_before = self
            .chain
            .query(alice, &community.get_proposals(None, 10))
            .await?;
        let upgrade = Action::UpgradeCommunity(community_code);
        let events = pass_proposal(self.chain, community, alice, upgrade).await?;
        let upgraded: Vec<CommunityCodeUpgraded> = events.iter().filter_map(decode).collect();
        check_eq(
            upgraded,
            vec![CommunityCodeUpgraded {
                code_hash: community_code,
            }],
            "the community's code swap",
        )?;
        check_eq(
            self.chain
                .query(alice, &community.get_total_weight())
                .await?,
            4,
            "the members' weight kept",
        )?;
        let proposals_after = self
            .chain
            .query(alice, &community.get_proposals(None, 10))
            .await?;
        check_eq(
            proposals_after.map(|page| page.items.len()),
            proposals_before.map(|page| page.items.len() + 1),
            "the proposals kept, the upgrade's own added",
        )?;
        check_eq(
            self.chain
                .query(alice, &community.migrate_storage())
                .await?,
            Ok(()),
            "nothing to migrate on the same layout",
        )
    }
}

//! Upgrades by community vote. The broker's code is swapped for a second
//! build (`broker-next`, storage layout 2) while offers, balances and a
//! running booking live in it: the vote's execution swaps the code and
//! migrates the storage in one transaction, once. The community swaps its own
//! code the same way.
use crate::{
    protocol::{balance_report, check, check_eq, Failure, OrFail},
    workflow::{deploy_with_mock_usd, fund, pass_proposal, Cast, PRICE_PER_SECOND},
};
use broker::StorageMigrated;
use broker::{events::CodeUpgraded, layout::LAYOUT_VERSION, types::WEEK_SECONDS};
use community::{
    events::CommunityCodeUpgraded,
    types::{Action, BrokerCall},
};
use p2pcloud_client::{
    chain::{account_of, Chain},
    domain::decode,
};

/// Runs the upgrade on `chain` and checks what it kept and changed.
pub async fn upgrade_by_vote<C: Chain>(chain: &mut C) -> Result<(), Failure> {
    let cast = Cast::default();
    let (_, mut token, mut protocol) = deploy_with_mock_usd(chain, &cast).await?;
    let (alice, bob, charlie) = (&cast.alice, &cast.bob, &cast.charlie);
    let deposit = PRICE_PER_SECOND * WEEK_SECONDS * 2;

    // State in layout 1: Bob's offer, Charlie's deposit and booking.
    let broker = &mut protocol.broker;
    let offer = chain
        .call(bob, &broker.add_offer(1, PRICE_PER_SECOND, 2, [7; 32]))
        .await?
        .value
        .or_fail("add_offer")?;
    fund(chain, &mut token, &mut protocol, charlie, deposit).await?;
    let broker = &mut protocol.broker;
    let booking = chain
        .call(charlie, &broker.book_vm(offer, PRICE_PER_SECOND))
        .await?
        .value
        .or_fail("book_vm")?;
    check_eq(
        chain.query(alice, &broker.get_layout_version()).await?,
        LAYOUT_VERSION,
        "the first build's layout",
    )?;
    let offer_before = chain.query(alice, &broker.get_offer(offer)).await?;
    let booking_before = chain.query(alice, &broker.get_booking(booking)).await?;
    let fee_before = chain.query(alice, &broker.get_community_fee()).await?;

    // The vote swaps the code and migrates the storage, in one transaction.
    let next = chain.upload("broker_next", alice).await?;
    let upgrade = Action::Broker(BrokerCall::UpgradeCode(next));
    let events = pass_proposal(chain, &mut protocol.community, alice, upgrade).await?;
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
    )?;

    // The new build reads layout 2, with everything the old one stored.
    let broker = &mut protocol.broker;
    check_eq(
        chain.query(alice, &broker.get_layout_version()).await?,
        LAYOUT_VERSION + 1,
        "the second build's layout",
    )?;
    check_eq(
        chain.query(alice, &broker.get_offer(offer)).await?,
        offer_before,
        "the offer kept",
    )?;
    check_eq(
        chain.query(alice, &broker.get_booking(booking)).await?,
        booking_before,
        "the booking kept",
    )?;
    check_eq(
        chain.query(alice, &broker.get_community_fee()).await?,
        fee_before,
        "the config kept",
    )?;
    // A second migration finds nothing to do and emits nothing.
    let again = chain.call(bob, &broker.migrate_storage()).await?;
    check_eq(again.value, Ok(()), "migrate_storage on layout 2")?;
    check(
        again.events.is_empty(),
        "the second migration emits nothing",
    )?;

    // The booking runs on under the new code: the miner is paid, the user's
    // balance answers.
    chain.pass_time(10_000).await?;
    chain
        .call(bob, &broker.claim_payment(booking))
        .await?
        .value
        .or_fail("claim_payment after the upgrade")?;
    let report = balance_report(chain, broker, account_of(charlie)).await?;
    check(
        report.deposited < deposit && report.deposited >= deposit - PRICE_PER_SECOND * 60,
        "Charlie paid for the seconds since booking",
    )?;

    // The community replaces its own code by vote and keeps its members and
    // proposals (the same build here: the swap, not a layout, is under test).
    let community_code = chain.upload("community", alice).await?;
    let community = &mut protocol.community;
    let proposals_before = chain
        .query(alice, &community.get_proposals(None, 10))
        .await?;
    let upgrade = Action::UpgradeCommunity(community_code);
    let events = pass_proposal(chain, community, alice, upgrade).await?;
    let upgraded: Vec<CommunityCodeUpgraded> = events.iter().filter_map(decode).collect();
    check_eq(
        upgraded,
        vec![CommunityCodeUpgraded {
            code_hash: community_code,
        }],
        "the community's code swap",
    )?;
    check_eq(
        chain.query(alice, &community.get_total_weight()).await?,
        4,
        "the members' weight kept",
    )?;
    let proposals_after = chain
        .query(alice, &community.get_proposals(None, 10))
        .await?;
    check_eq(
        proposals_after.map(|page| page.items.len()),
        proposals_before.map(|page| page.items.len() + 1),
        "the proposals kept, the upgrade's own added",
    )?;
    check_eq(
        chain.query(alice, &community.migrate_storage()).await?,
        Ok(()),
        "nothing to migrate on the same layout",
    )
}

//! The booking workflow between a miner, two users and the community, written
//! once for every backend: the e2e tests run it on the embedded chain and on
//! substrate-contracts-node, and the demo runs it and prints what happened.
//! Every step checks its result against the PSP22 token itself, not only the
//! broker's view.
use crate::protocol::{balance_report, check, check_eq, CommunityCalls, Failure, OrFail, Protocol};
use broker::{
    events::{BookingReported, BookingStopped, CommunityFeeChanged, MinerPayout},
    types::{BalanceReport, BPS_DENOMINATOR, DEFAULT_FEE_BPS, WEEK_SECONDS},
    BrokerError, StopReason,
};
use community::{
    types::{Action, BrokerCall, ProposalId, ProposalState, VotingRules},
    CommunityError,
};
use ink::{codegen::ContractCallBuilder, primitives::AccountId};
use p2pcloud_client::{
    chain::{account_of, contract_calls, dev, Chain, Emitted, Keypair},
    events::{decode, describe, find, hex, musd, topic, Names},
    history::{read_records, Filter, Kind},
};
use psp22::{PSP22Mintable, PSP22};
use psp22_mock::{Psp22Mock, Psp22MockRef};

/// The price of the offered VM, in the token's smallest unit per second.
pub const PRICE_PER_SECOND: u128 = 1_000;
/// Enough for a week of one booking, plus some.
pub const DEPOSIT: u128 = PRICE_PER_SECOND * WEEK_SECONDS + 1_000_000;
/// Short enough to wait for on a node in real time.
pub const VOTING_PERIOD_MS: u64 = 4_000;
const EXECUTION_PERIOD_MS: u64 = 600_000;

/// Reads the broker's complaints and payments back from the chain's
/// blocks, as the SDK's `complaints` and `payments` do: the one report, and
/// Charlie's payouts, each once; a block range before the report holds no
/// complaint. A node finalizes a second after each block, so this waits up
/// to ten seconds of block time for the report's block.
async fn read_back_history<C: Chain>(
    chain: &mut C,
    broker_id: AccountId,
    report: &BookingReported,
    payouts: &[MinerPayout],
    say: &mut impl FnMut(String),
) -> Result<(), Failure> {
    let complaints_about_bob = Filter {
        kind: Some(Kind::Complaint),
        miner: Some(report.miner),
        ..Filter::default()
    };
    let mut complaints = Vec::new();
    for _ in 0..20 {
        complaints = read_records(chain, broker_id, &complaints_about_bob).await?;
        if !complaints.is_empty() {
            break;
        }
        chain.pass_time(500).await?;
    }
    check_eq(
        complaints
            .iter()
            .map(|c| (c.booking_id, c.user, c.seconds, c.amount))
            .collect::<Vec<_>>(),
        vec![(
            report.booking_id,
            report.user,
            report.seconds_used,
            report.amount_paid,
        )],
        "the complaints about Bob, read from the chain",
    )?;
    let report_block = complaints[0].position.block_number;
    let before_the_report = Filter {
        to_block: Some(report_block - 1),
        ..complaints_about_bob.clone()
    };
    check(
        read_records(chain, broker_id, &before_the_report)
            .await?
            .is_empty(),
        "no complaint in the blocks before the report",
    )?;
    let the_reports_block = Filter {
        from_block: Some(report_block),
        to_block: Some(report_block),
        ..complaints_about_bob.clone()
    };
    check_eq(
        read_records(chain, broker_id, &the_reports_block).await?,
        complaints.clone(),
        "the complaint, in its own block",
    )?;
    let charlies_payments = Filter {
        kind: Some(Kind::Payment),
        user: payouts.first().map(|payout| payout.user),
        ..Filter::default()
    };
    let read = read_records(chain, broker_id, &charlies_payments).await?;
    check_eq(
        read.iter()
            .map(|p| (p.booking_id, p.seconds, p.amount))
            .collect::<Vec<_>>(),
        payouts
            .iter()
            .map(|p| (p.booking_id, p.seconds, p.amount))
            .collect::<Vec<_>>(),
        "Charlie's payments, read from the chain",
    )?;
    say(format!(
        "history: the complaint is in block {report_block}; {} payments for Charlie's booking",
        read.len()
    ));
    Ok(())
}

/// Who plays which part: dev accounts, funded on every backend.
#[derive(Clone)]
pub struct Cast {
    /// Community member with weight 3, deploys everything.
    pub alice: Keypair,
    /// The miner.
    pub bob: Keypair,
    /// A user who stops normally.
    pub charlie: Keypair,
    /// A user who reports the miner.
    pub dave: Keypair,
    /// Community member with weight 1.
    pub eve: Keypair,
    /// Belongs to nothing.
    pub ferdie: Keypair,
}

impl Default for Cast {
    fn default() -> Self {
        Self {
            alice: dev::alice(),
            bob: dev::bob(),
            charlie: dev::charlie(),
            dave: dev::dave(),
            eve: dev::eve(),
            ferdie: dev::ferdie(),
        }
    }
}

pub fn voting_rules() -> VotingRules {
    VotingRules {
        quorum_bps: 5_000,
        voting_period: VOTING_PERIOD_MS,
        execution_period: EXECUTION_PERIOD_MS,
    }
}

pub type MockUsdCalls = <Psp22Mock as ContractCallBuilder>::Type;

/// Deploys the stablecoin, then the community (Alice weight 3, Eve weight 1)
/// and has it create the broker.
pub async fn deploy_with_mock_usd<C: Chain>(
    chain: &mut C,
    cast: &Cast,
) -> Result<(AccountId, MockUsdCalls, Protocol), Failure> {
    let mut token_ctor = Psp22MockRef::new(0, Some("Mock USD".into()), Some("mUSD".into()), 6);
    let token_id = chain
        .instantiate("psp22-mock", &cast.alice, &mut token_ctor)
        .await?
        .value;
    let token = contract_calls::<Psp22Mock>(token_id);
    let members = vec![(&cast.alice, 3), (&cast.eve, 1)];
    let protocol = Protocol::deploy(chain, &cast.alice, members, voting_rules(), token_id).await?;
    Ok((token_id, token, protocol))
}

/// Mints `amount` of mock USD to `user`, approves the broker and deposits it.
pub async fn fund<C: Chain>(
    chain: &mut C,
    token: &mut MockUsdCalls,
    protocol: &mut Protocol,
    user: &Keypair,
    amount: u128,
) -> Result<(), Failure> {
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

/// `proposer` proposes setting the broker's fee to `fee_bps` and votes yes.
pub async fn propose_fee_change<C: Chain>(
    chain: &mut C,
    community: &mut CommunityCalls,
    proposer: &Keypair,
    fee_bps: u16,
) -> Result<ProposalId, Failure> {
    let action = Action::Broker(BrokerCall::SetCommunityFee(fee_bps));
    let description = format!("community fee to {fee_bps} bps");
    propose_and_vote(chain, community, proposer, action, description).await
}

/// `proposer`, whose weight alone reaches the quorum, passes `action`: proposes
/// it, votes yes, lets the vote end and executes it; returns what the
/// execution emitted.
pub async fn pass_proposal<C: Chain>(
    chain: &mut C,
    community: &mut CommunityCalls,
    proposer: &Keypair,
    action: Action,
) -> Result<Vec<Emitted>, Failure> {
    let description = format!("{action:?}");
    let proposal = propose_and_vote(chain, community, proposer, action, description).await?;
    chain.pass_time(VOTING_PERIOD_MS + 1).await?;
    let executed = chain.call(proposer, &community.execute(proposal)).await?;
    executed.value.or_fail("execute")?;
    Ok(executed.events)
}

/// `proposer` proposes `action` and votes yes.
pub async fn propose_and_vote<C: Chain>(
    chain: &mut C,
    community: &mut CommunityCalls,
    proposer: &Keypair,
    action: Action,
    description: String,
) -> Result<ProposalId, Failure> {
    let proposal = chain
        .call(proposer, &community.propose(action, description))
        .await?
        .value
        .or_fail("propose")?;
    chain
        .call(proposer, &community.vote(proposal, true))
        .await?
        .value
        .or_fail("vote yes")?;
    Ok(proposal)
}

/// A balance report as one line: held, owed, locked, free, and when it runs out.
fn describe_balance(report: &BalanceReport) -> String {
    let runs_out = match report.runs_out_at {
        Some(at) => format!("runs out at {at} ms"),
        None => "no bookings".into(),
    };
    format!(
        "{} held, {} owed, {} locked for 7 days, {} free, {runs_out}",
        musd(report.deposited),
        musd(report.owed),
        musd(report.locked),
        musd(report.free)
    )
}

/// Runs the whole workflow; `usage_ms` is how long the VMs run before the
/// miner claims. `say` receives one line per step.
pub async fn booking_workflow<C: Chain>(
    chain: &mut C,
    usage_ms: u64,
    print: &mut impl FnMut(String),
) -> Result<(), Failure> {
    let cast = Cast::default();
    let (alice, bob, charlie, dave, eve, ferdie) = (
        &cast.alice,
        &cast.bob,
        &cast.charlie,
        &cast.dave,
        &cast.eve,
        &cast.ferdie,
    );

    let (token_id, mut token, protocol) = deploy_with_mock_usd(chain, &cast).await?;
    let Protocol {
        community_id,
        broker_id,
        mut community,
        mut broker,
    } = protocol;
    let mut names = Names::default();
    for (name, who) in [
        ("Alice", alice),
        ("Bob", bob),
        ("Charlie", charlie),
        ("Dave", dave),
        ("Eve", eve),
        ("Ferdie", ferdie),
    ] {
        names.add(account_of(who), name);
    }
    names.add(token_id, "psp22-mock");
    names.add(community_id, "community");
    names.add(broker_id, "broker");
    let mut say = |line: String| print(names.apply(&line));
    say(format!("backend: {}", chain.backend()));
    say(format!("deployed psp22-mock at {}", hex(&token_id)));
    say(format!(
        "deployed community at {}: Alice weight 3, Eve weight 1",
        hex(&community_id)
    ));
    say(format!(
        "the community instantiated the broker at {}",
        hex(&broker_id)
    ));

    // Users fund their broker balances.
    for (name, user) in [("Charlie", charlie), ("Dave", dave)] {
        chain
            .call(user, &token.mint(DEPOSIT * 2))
            .await?
            .value
            .or_fail("mint")?;
        chain
            .call(user, &token.approve(broker_id, DEPOSIT))
            .await?
            .value
            .or_fail("approve")?;
        let deposit = chain.call(user, &broker.deposit_coin(DEPOSIT)).await?;
        check_eq(deposit.value, Ok(()), "deposit")?;
        say(format!("{name} deposits {}", musd(DEPOSIT)));
    }
    check_eq(
        chain.query(alice, &token.balance_of(broker_id)).await?,
        DEPOSIT * 2,
        "tokens held by the broker",
    )?;

    // The miner offers two machines, then raises the price, and publishes a URL.
    let offer = chain
        .call(bob, &broker.add_offer(1, PRICE_PER_SECOND / 2, 2, [7; 32]))
        .await?
        .value
        .or_fail("add_offer")?;
    chain
        .call(bob, &broker.update_offer(offer, PRICE_PER_SECOND, 2))
        .await?
        .value
        .or_fail("update_offer")?;
    chain
        .call(bob, &broker.set_miner_url("https://bob.example/vm".into()))
        .await?
        .value
        .or_fail("set_miner_url")?;
    let available = chain
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

    // Refusals: typed errors, nothing moves.
    let refusals = [
        (
            "Charlie updates Bob's offer",
            chain
                .call(charlie, &broker.update_offer(offer, 1, 2))
                .await?
                .value
                .err(),
            BrokerError::NotOfferOwner,
        ),
        (
            "Ferdie sets the community fee",
            chain
                .call(ferdie, &broker.set_community_fee(0))
                .await?
                .value
                .err(),
            BrokerError::NotCommunity,
        ),
        (
            "Ferdie books with no balance",
            chain
                .call(ferdie, &broker.book_vm(offer, PRICE_PER_SECOND))
                .await?
                .value
                .err(),
            BrokerError::InsufficientBalance,
        ),
        (
            "Charlie books below Bob's price (he raised it to 1 000/s)",
            chain
                .call(charlie, &broker.book_vm(offer, PRICE_PER_SECOND - 1))
                .await?
                .value
                .err(),
            BrokerError::PriceAboveLimit,
        ),
        (
            "Bob books his own offer",
            chain
                .call(bob, &broker.book_vm(offer, PRICE_PER_SECOND))
                .await?
                .value
                .err(),
            BrokerError::OwnOffer,
        ),
        (
            "Charlie withdraws more than she has",
            chain
                .call(charlie, &broker.withdraw_coin(DEPOSIT + 1))
                .await?
                .value
                .err(),
            BrokerError::InsufficientFreeBalance,
        ),
        (
            "Ferdie deposits without an allowance",
            chain
                .call(ferdie, &broker.deposit_coin(5))
                .await?
                .value
                .err(),
            BrokerError::TokenTransferRejected,
        ),
    ];
    for (what, refused, expected) in refusals {
        check_eq(refused, Some(expected), what)?;
        say(format!("refused: {what}: {expected}"));
    }
    check_eq(
        chain.query(alice, &token.balance_of(broker_id)).await?,
        DEPOSIT * 2,
        "tokens held by the broker after the refusals",
    )?;

    // Both users book; the VMs run; the miner claims.
    let charlie_booking = chain
        .call(charlie, &broker.book_vm(offer, PRICE_PER_SECOND))
        .await?
        .value
        .or_fail("Charlie books")?;
    let booked_at = chain.now().await?;
    let dave_booking = chain
        .call(dave, &broker.book_vm(offer, PRICE_PER_SECOND))
        .await?
        .value
        .or_fail("Dave books")?;
    let report = balance_report(chain, &broker, account_of(charlie)).await?;
    check_eq(
        report.locked,
        PRICE_PER_SECOND * WEEK_SECONDS,
        "Charlie's 7-day lock",
    )?;
    say(format!(
        "Charlie books #{charlie_booking}, Dave books #{dave_booking}; Charlie: {}",
        describe_balance(&report)
    ));
    let booking = chain
        .query(alice, &broker.get_booking(charlie_booking))
        .await?
        .ok_or("Charlie's booking is missing")?;
    check_eq(
        booking.started_at,
        booked_at,
        "the booking starts at its block's time",
    )?;
    chain.pass_time(usage_ms).await?;
    let claim = chain
        .call(bob, &broker.claim_payment(charlie_booking))
        .await?;
    claim.value.or_fail("claim_payment")?;
    let claimed_at = chain.now().await?;
    let (payout, topics) = find::<MinerPayout>(&claim.events).ok_or("no MinerPayout event")?;
    // The seconds paid are the whole seconds of block time between the booking
    // and the claim, as the chain's own clock says.
    check(
        claimed_at >= booked_at + usage_ms,
        "the claim's block is at least the usage time after the booking",
    )?;
    check_eq(
        payout.seconds,
        (claimed_at - booked_at) / 1_000,
        "seconds paid by the claim",
    )?;
    check_eq(
        payout.amount + payout.fee,
        PRICE_PER_SECOND * u128::from(payout.seconds),
        "payout + fee == price × seconds",
    )?;
    check_eq(
        payout.fee,
        PRICE_PER_SECOND * u128::from(payout.seconds) * u128::from(DEFAULT_FEE_BPS)
            / BPS_DENOMINATOR,
        "the 5% community fee",
    )?;
    check_eq(
        topics[1..].to_vec(),
        vec![topic(&account_of(bob)), topic(&account_of(charlie))],
        "MinerPayout topics (miner, user)",
    )?;
    say(format!("Bob claims {payout:?}"));

    // Charlie stops normally; Dave reports the miner.
    let stopped = chain
        .call(
            charlie,
            &broker.stop_booking(charlie_booking, StopReason::Ok),
        )
        .await?;
    stopped.value.or_fail("stop with reason 0")?;
    check(
        find::<BookingStopped>(&stopped.events).is_some(),
        "BookingStopped",
    )?;
    check(
        find::<BookingReported>(&stopped.events).is_none(),
        "no report on reason 0",
    )?;
    let reported = chain
        .call(
            dave,
            &broker.stop_booking(dave_booking, StopReason::MinerMisbehaviour),
        )
        .await?;
    reported.value.or_fail("stop with reason 1")?;
    let (report, topics) =
        find::<BookingReported>(&reported.events).ok_or("no BookingReported event")?;
    check_eq(
        (report.booking_id, report.price_per_second),
        (dave_booking, PRICE_PER_SECOND),
        "the report",
    )?;
    check_eq(
        topics[1..].to_vec(),
        vec![topic(&account_of(dave)), topic(&account_of(bob))],
        "BookingReported topics (user, miner)",
    )?;
    for event in stopped.events.iter().chain(&reported.events) {
        say(format!("stop: {}", describe(event)));
    }
    let payouts: Vec<MinerPayout> = claim
        .events
        .iter()
        .chain(&stopped.events)
        .filter_map(decode::<MinerPayout>)
        .collect();
    read_back_history(chain, broker_id, &report, &payouts, &mut say).await?;

    // Everyone withdraws what is free; the token agrees.
    for (name, who) in [("Bob", bob), ("Charlie", charlie), ("Dave", dave)] {
        let BalanceReport { free, locked, .. } =
            balance_report(chain, &broker, account_of(who)).await?;
        check_eq(locked, 0, "nothing locked once every booking stopped")?;
        let before = chain.query(who, &token.balance_of(account_of(who))).await?;
        chain
            .call(who, &broker.withdraw_coin(free))
            .await?
            .value
            .or_fail("withdraw_coin")?;
        check_eq(
            chain.query(who, &token.balance_of(account_of(who))).await?,
            before + free,
            "tokens after the withdrawal",
        )?;
        say(format!("{name} withdraws {}", musd(free)));
    }

    // The community collects its fees; members claim in proportion to weight.
    let fees = balance_report(chain, &broker, community_id).await?.free;
    check(fees > 0, "the community earned fees")?;
    chain
        .call(alice, &community.collect_fees())
        .await?
        .value
        .or_fail("collect_fees")?;
    check_eq(
        chain.query(alice, &token.balance_of(community_id)).await?,
        fees,
        "tokens the community collected",
    )?;
    check_eq(
        chain.query(alice, &token.balance_of(broker_id)).await?,
        0,
        "tokens left in the broker",
    )?;
    let mut claimed = 0;
    for (name, member, weight) in [("Alice", alice, 3), ("Eve", eve, 1)] {
        chain
            .call(member, &community.claim_share())
            .await?
            .value
            .or_fail("claim_share")?;
        let share = chain
            .query(member, &token.balance_of(account_of(member)))
            .await?;
        check_eq(share, fees * weight / 4, "a member's share")?;
        claimed += share;
        say(format!(
            "{name} (weight {weight}) claims {} of {} in fees",
            musd(share),
            musd(fees)
        ));
    }
    check(
        claimed <= fees && fees - claimed < 4,
        "shares add up to the fees, less dust",
    )?;
    check_eq(
        chain.call(ferdie, &community.claim_share()).await?.value,
        Err(CommunityError::NotMember),
        "a stranger's claim",
    )?;

    // Governance: a proposal lowers the fee to 1%; it passes and executes on the broker.
    let proposal = propose_fee_change(chain, &mut community, alice, 100).await?;
    chain
        .call(eve, &community.vote(proposal, false))
        .await?
        .value
        .or_fail("Eve votes")?;
    check_eq(
        chain.call(alice, &community.execute(proposal)).await?.value,
        Err(CommunityError::VotingOpen),
        "executing during the vote",
    )?;
    chain.pass_time(VOTING_PERIOD_MS + 1_000).await?;
    check_eq(
        chain
            .query(alice, &community.get_proposal_state(proposal))
            .await?,
        Some(ProposalState::Passed),
        "the proposal's state",
    )?;
    let executed = chain.call(ferdie, &community.execute(proposal)).await?;
    executed.value.or_fail("execute")?;
    let (changed, _) =
        find::<CommunityFeeChanged>(&executed.events).ok_or("no CommunityFeeChanged event")?;
    check_eq(
        (changed.old_bps, changed.new_bps),
        (500, 100),
        "the fee change",
    )?;
    check_eq(
        chain.query(alice, &broker.get_community_fee()).await?,
        100,
        "the broker's fee",
    )?;
    say(format!(
        "proposal #{proposal} passed 3 to 1 and executed: {changed:?}"
    ));
    Ok(())
}

//! The scenarios on the embedded chain, and the ones only it can run quickly
//! because they need days to pass: the 7-day lock, a booking ended for
//! non-payment, and the fee fixed at booking time across a fee change.
use broker::{
    events::{BookingStopped, MinerPayout},
    types::{BalanceReport, BPS_DENOMINATOR, WEEK_SECONDS},
    BrokerError, StopReason,
};
use e2e_tests::{
    bundles::contract_wasm,
    hostile::hostile_tokens,
    market::{Market, PRICE},
    protocol::{balance_report, check, check_eq, Failure, OrFail},
    workflow::{
        booking_workflow, pass_proposal, propose_fee_change, voting_rules, Cast, VOTING_PERIOD_MS,
    },
};
use p2pcloud_client::{
    chain::{account_of, contract_calls, Chain, Keypair},
    domain::find,
    embedded::EmbeddedChain,
};
use psp22::{PSP22Mintable, PSP22};

const DAY_SECONDS: u128 = 86_400;
const DAY_MS: u64 = 86_400_000;

fn chain() -> EmbeddedChain {
    EmbeddedChain::new(contract_wasm())
}

fn quiet(_: String) {}

#[tokio::test]
async fn the_booking_workflow_on_the_embedded_chain() -> Result<(), Failure> {
    booking_workflow(&mut chain(), DAY_MS, &mut quiet).await
}

#[tokio::test]
async fn hostile_tokens_on_the_embedded_chain() -> Result<(), Failure> {
    hostile_tokens(&mut chain(), &mut quiet).await
}

#[tokio::test]
async fn the_seven_day_lock_holds_all_bookings_and_withdrawals() -> Result<(), Failure> {
    let mut market = Market::open(2).await?;
    let (bob, charlie) = (market.cast.bob.clone(), market.cast.charlie.clone());
    let charlie_id = account_of(&charlie);

    // One unit short of a week: no booking.
    market.fund(&charlie, PRICE * WEEK_SECONDS - 1).await?;
    let Market {
        chain,
        protocol,
        offer,
        ..
    } = &mut market;
    check_eq(
        chain
            .call(&charlie, &protocol.broker.book_vm(*offer, PRICE))
            .await?
            .value,
        Err(BrokerError::InsufficientBalance),
        "booking with a unit less than a week",
    )?;
    market.fund(&charlie, 1).await?;
    let booking = market.book(&charlie).await?;
    let Market {
        chain,
        protocol,
        offer,
        ..
    } = &mut market;
    let broker = &mut protocol.broker;
    check_eq(
        free_locked(chain, broker, charlie_id).await?,
        (0, PRICE * WEEK_SECONDS),
        "a week locked, nothing free",
    )?;
    check_eq(
        chain.call(&charlie, &broker.withdraw_coin(1)).await?.value,
        Err(BrokerError::InsufficientFreeBalance),
        "withdrawing under the lock",
    )?;
    check_eq(
        chain
            .call(&charlie, &broker.book_vm(*offer, PRICE))
            .await?
            .value,
        Err(BrokerError::InsufficientBalance),
        "a second booking needs a week of both",
    )?;

    // A day later the miner is paid for the day; only a top-up beyond the lock is free.
    chain.pass_time(DAY_MS).await?;
    chain
        .call(&bob, &broker.claim_payment(booking))
        .await?
        .value
        .or_fail("claim")?;
    check_eq(
        free_locked(chain, broker, charlie_id).await?,
        (0, PRICE * WEEK_SECONDS),
        "six days of balance under a 7-day lock",
    )?;
    market.fund(&charlie, PRICE * DAY_SECONDS * 2).await?;
    let Market {
        chain,
        token,
        protocol,
        ..
    } = &mut market;
    let broker = &mut protocol.broker;
    check_eq(
        free_locked(chain, broker, charlie_id).await?,
        (PRICE * DAY_SECONDS, PRICE * WEEK_SECONDS),
        "free beyond the lock after the top-up",
    )?;
    check_eq(
        chain
            .call(&charlie, &broker.withdraw_coin(PRICE * DAY_SECONDS + 1))
            .await?
            .value,
        Err(BrokerError::InsufficientFreeBalance),
        "withdrawing a unit more than is free",
    )?;
    chain
        .call(&charlie, &broker.withdraw_coin(PRICE * DAY_SECONDS))
        .await?
        .value
        .or_fail("withdraw")?;
    check_eq(
        chain.query(&charlie, &token.balance_of(charlie_id)).await?,
        PRICE * DAY_SECONDS,
        "Charlie's tokens",
    )
}

/// `(free, locked)` of `account`.
async fn free_locked(
    chain: &mut EmbeddedChain,
    broker: &e2e_tests::protocol::BrokerCalls,
    account: ink::primitives::AccountId,
) -> Result<(u128, u128), Failure> {
    let report = balance_report(chain, broker, account).await?;
    Ok((report.free, report.locked))
}

#[tokio::test]
async fn a_booking_ends_for_non_payment_when_the_balance_runs_out() -> Result<(), Failure> {
    let mut market = Market::open(1).await?;
    let (bob, charlie) = (market.cast.bob.clone(), market.cast.charlie.clone());
    market.fund(&charlie, PRICE * WEEK_SECONDS).await?;
    let booked_at = market.chain.now_ms();
    let booking = market.book(&charlie).await?;
    let Market {
        chain,
        token,
        protocol,
        offer,
        ..
    } = &mut market;
    let broker = &mut protocol.broker;

    // Eight days later the week's balance is long gone, and the broker says so.
    chain.pass_time(8 * DAY_MS).await?;
    let runs_out_at = booked_at + WEEK_SECONDS as u64 * 1_000;
    check_eq(
        balance_report(chain, broker, account_of(&charlie)).await?,
        BalanceReport {
            deposited: PRICE * WEEK_SECONDS,
            owed: PRICE * WEEK_SECONDS,
            locked: 0,
            free: 0,
            runs_out_at: Some(runs_out_at),
        },
        "Charlie's balance, run out",
    )?;
    let claim = chain.call(&bob, &broker.claim_payment(booking)).await?;
    claim.value.or_fail("claim")?;
    let (payout, _) = find::<MinerPayout>(&claim.events).ok_or("no MinerPayout")?;
    // Paid in full up to the moment the balance ran out, and no further.
    check_eq(payout.seconds, WEEK_SECONDS as u64, "seconds paid")?;
    check_eq(
        payout.amount + payout.fee,
        PRICE * WEEK_SECONDS,
        "the user paid their balance",
    )?;
    let (stopped, _) = find::<BookingStopped>(&claim.events).ok_or("no BookingStopped")?;
    check_eq(stopped.reason, StopReason::NonPayment, "end reason")?;
    check_eq(
        (stopped.seconds_used, stopped.amount_paid),
        (WEEK_SECONDS as u64, PRICE * WEEK_SECONDS),
        "what the ended booking cost",
    )?;
    check_eq(
        chain.query(&bob, &broker.get_booking(booking)).await?,
        None,
        "the ended booking is deleted",
    )?;
    check_eq(
        free_locked(chain, broker, account_of(&charlie)).await?,
        (0, 0),
        "Charlie's balance after the booking ended",
    )?;
    // The machine is free again, and the broker holds exactly what it owes.
    let offer_now = chain
        .query(&bob, &broker.get_offer(*offer))
        .await?
        .ok_or("offer gone")?;
    check_eq(offer_now.booked, 0, "machines booked")?;
    let bob_free = free_locked(chain, broker, account_of(&bob)).await?.0;
    let fees = free_locked(chain, broker, protocol.community_id).await?.0;
    check_eq(
        bob_free + fees,
        PRICE * WEEK_SECONDS,
        "miner and community got everything",
    )?;
    check_eq(
        chain
            .query(&bob, &token.balance_of(protocol.broker_id))
            .await?,
        PRICE * WEEK_SECONDS,
        "tokens held by the broker",
    )
}

#[tokio::test]
async fn a_booking_keeps_the_fee_it_started_with() -> Result<(), Failure> {
    let mut market = Market::open(2).await?;
    let Cast {
        alice,
        bob,
        charlie,
        dave,
        ..
    } = Cast::default();
    market.fund(&charlie, PRICE * WEEK_SECONDS).await?;
    market.fund(&dave, PRICE * WEEK_SECONDS).await?;
    let before = market.book(&charlie).await?;

    // The community lowers the fee from 5% to 1%.
    let Market {
        chain, protocol, ..
    } = &mut market;
    let proposal = propose_fee_change(chain, &mut protocol.community, &alice, 100).await?;
    chain.pass_time(VOTING_PERIOD_MS + 1).await?;
    chain
        .call(&alice, &protocol.community.execute(proposal))
        .await?
        .value
        .or_fail("execute")?;
    let after = market.book(&dave).await?;

    let Market {
        chain, protocol, ..
    } = &mut market;
    chain.pass_time(DAY_MS).await?;
    let mut fees = Vec::new();
    for booking in [before, after] {
        let claim = chain
            .call(&bob, &protocol.broker.claim_payment(booking))
            .await?;
        claim.value.or_fail("claim")?;
        let (payout, _) = find::<MinerPayout>(&claim.events).ok_or("no MinerPayout")?;
        let charged = payout.amount + payout.fee;
        fees.push((payout.fee * BPS_DENOMINATOR / charged, payout.seconds));
    }
    check_eq(fees[0].0, 500, "fee of the booking made at 5%")?;
    check_eq(fees[1].0, 100, "fee of the booking made at 1%")?;
    check(fees[0].1 > fees[1].1, "the older booking ran longer")
}

#[tokio::test]
async fn the_longest_allowed_release_is_approved_and_found_on_chain() -> Result<(), Failure> {
    use community::types::{Action, Release, ReleaseKind, MAX_RELEASE_FIELD_LEN};
    let mut market = Market::open(1).await?;
    let alice = market.cast.alice.clone();
    // 64 + 64 bytes of names: keyed by the names themselves, this passed
    // pallet-contracts' 128-byte storage key limit and trapped.
    let release = Release {
        kind: ReleaseKind::Protocol,
        name: "n".repeat(MAX_RELEASE_FIELD_LEN),
        version: "v".repeat(MAX_RELEASE_FIELD_LEN),
        content_hash: [7; 32].into(),
    };
    let Market {
        chain, protocol, ..
    } = &mut market;
    let action = Action::ApproveRelease(release.clone());
    pass_proposal(chain, &mut protocol.community, &alice, action).await?;
    let community = &protocol.community;
    check_eq(
        chain
            .query(
                &alice,
                &community.is_release_approved(
                    release.name.clone(),
                    release.version.clone(),
                    release.content_hash,
                ),
            )
            .await?,
        true,
        "the longest release, approved",
    )?;
    let page = chain
        .query(&alice, &community.get_releases(None, 10))
        .await?
        .or_fail("get_releases")?;
    check_eq(page.items, vec![(0, release)], "the approved releases")
}

#[tokio::test]
async fn fees_that_arrived_before_a_member_joined_are_not_theirs() -> Result<(), Failure> {
    use community::types::Action;
    let mut market = Market::open(1).await?;
    let cast = market.cast.clone();
    market.earn_an_hour_of_fees().await?;
    let Market {
        chain, protocol, ..
    } = &mut market;
    // An hour of fees waits in the broker while Alice (3) and Eve (1) govern.
    let fees = balance_report(chain, &protocol.broker, protocol.community_id)
        .await?
        .free;
    check_eq(fees, PRICE * 3_600 * 5 / 100, "the fees waiting")?;
    let join = Action::AddMember {
        account: account_of(&cast.dave),
        weight: 4,
    };
    pass_proposal(chain, &mut protocol.community, &cast.alice, join).await?;
    let community = &protocol.community;
    let claimable = |who: &Keypair| community.get_claimable(account_of(who));
    check_eq(
        chain.query(&cast.dave, &claimable(&cast.dave)).await?,
        0,
        "Dave's share of fees from before he joined",
    )?;
    check_eq(
        (
            chain.query(&cast.alice, &claimable(&cast.alice)).await?,
            chain.query(&cast.eve, &claimable(&cast.eve)).await?,
        ),
        (fees * 3 / 4, fees / 4),
        "Alice's and Eve's shares",
    )
}

#[tokio::test]
async fn the_broker_moves_to_a_successor_community_only_when_it_accepts() -> Result<(), Failure> {
    use community::{
        types::{Action, BrokerCall},
        Community, CommunityRef,
    };
    let mut market = Market::open(1).await?;
    let cast = market.cast.clone();
    let Market {
        chain, protocol, ..
    } = &mut market;
    // Dave alone governs the successor, which adopts the running broker.
    let mut adopt = CommunityRef::adopt(
        vec![(account_of(&cast.dave), 1)],
        voting_rules(),
        protocol.broker_id,
    );
    let successor_id = chain
        .instantiate("community", &cast.dave, &mut adopt)
        .await?
        .value;
    let mut successor = contract_calls::<Community>(successor_id);
    let broker = &protocol.broker;

    // Accepting before the offer is refused, and changes nothing.
    let accept = Action::Broker(BrokerCall::AcceptCommunity);
    let refused = pass_proposal(chain, &mut successor, &cast.dave, accept.clone()).await;
    check(
        refused.is_err_and(|e| e.to_string().contains("NotProposedCommunity")),
        "an acceptance without an offer is refused",
    )?;
    let offer = Action::Broker(BrokerCall::SetCommunityContract(successor_id));
    pass_proposal(chain, &mut protocol.community, &cast.alice, offer).await?;
    check_eq(
        chain
            .query(&cast.alice, &broker.get_community_contract())
            .await?,
        protocol.community_id,
        "the community until the successor accepts",
    )?;
    check_eq(
        chain
            .query(&cast.alice, &broker.get_proposed_community())
            .await?,
        Some(successor_id),
        "the proposed successor",
    )?;
    pass_proposal(chain, &mut successor, &cast.dave, accept).await?;
    check_eq(
        chain
            .query(&cast.alice, &broker.get_community_contract())
            .await?,
        successor_id,
        "the community after the successor accepted",
    )?;
    // The old community has lost every right; the successor holds them.
    let fee = Action::Broker(BrokerCall::SetCommunityFee(100));
    let stale = pass_proposal(chain, &mut protocol.community, &cast.alice, fee.clone()).await;
    check(
        stale.is_err_and(|e| e.to_string().contains("NotCommunity")),
        "the old community's fee change is refused",
    )?;
    pass_proposal(chain, &mut successor, &cast.dave, fee).await?;
    check_eq(
        chain
            .query(&cast.alice, &broker.get_community_fee())
            .await?,
        100,
        "the fee the successor set",
    )
}

#[tokio::test]
async fn anyone_pays_out_the_shares_of_members_who_never_claim() -> Result<(), Failure> {
    let mut market = Market::open(1).await?;
    let cast = market.cast.clone();
    market.earn_an_hour_of_fees().await?;
    let Market {
        chain,
        protocol,
        token,
        ..
    } = &mut market;
    let community = &mut protocol.community;
    chain
        .call(&cast.ferdie, &community.collect_fees())
        .await?
        .value
        .or_fail("collect_fees")?;
    let fees = PRICE * 3_600 * 5 / 100;
    // Ferdie, no member, pays Alice (weight 3) and Eve (1) in two batches.
    let first = chain
        .call(&cast.ferdie, &community.pay_out_shares(0, 1))
        .await?;
    check_eq(first.value, Ok(1), "the next record after the first batch")?;
    let second = chain
        .call(&cast.ferdie, &community.pay_out_shares(1, 16))
        .await?;
    check_eq(second.value, Ok(2), "the end of the records")?;
    check_eq(
        (
            chain
                .query(&cast.alice, &token.balance_of(account_of(&cast.alice)))
                .await?,
            chain
                .query(&cast.eve, &token.balance_of(account_of(&cast.eve)))
                .await?,
            chain
                .query(&cast.eve, &token.balance_of(protocol.community_id))
                .await?,
        ),
        (fees * 3 / 4, fees / 4, 0),
        "Alice's and Eve's tokens, and what the community still holds",
    )
}

#[tokio::test]
async fn the_broker_is_upgraded_by_vote_and_its_storage_migrated_once() -> Result<(), Failure> {
    e2e_tests::upgrade::upgrade_by_vote(&mut chain()).await
}

#[tokio::test]
async fn members_pass_proposals_before_the_broker_is_created() -> Result<(), Failure> {
    use community::{
        types::{Action, BrokerCall},
        Community, CommunityRef,
    };
    let mut chain = chain();
    let cast = Cast::default();
    let broker_code = chain.upload("broker", &cast.alice).await?;
    let mut new = CommunityRef::new(
        vec![(account_of(&cast.alice), 1)],
        voting_rules(),
        broker_code,
        account_of(&cast.bob),
    );
    let community_id = chain
        .instantiate("community", &cast.alice, &mut new)
        .await?
        .value;
    let mut community = contract_calls::<Community>(community_id);
    let join = Action::AddMember {
        account: account_of(&cast.dave),
        weight: 1,
    };
    pass_proposal(&mut chain, &mut community, &cast.alice, join).await?;
    check(
        chain
            .query(&cast.alice, &community.get_member(account_of(&cast.dave)))
            .await?
            .is_some(),
        "Dave joined before any broker exists",
    )?;
    let fee = Action::Broker(BrokerCall::SetCommunityFee(100));
    let refused = pass_proposal(&mut chain, &mut community, &cast.alice, fee).await;
    check(
        refused.is_err_and(|e| e.to_string().contains("NoBroker")),
        "a broker call before create_broker is refused with NoBroker",
    )
}

/// The size of the Wasm file `stem` (`broker`, `psp22_mock`).
fn wasm_len(stem: &str) -> Result<u64, Failure> {
    let path = contract_wasm()
        .into_iter()
        .find(|path| path.file_stem().is_some_and(|s| s == stem))
        .ok_or_else(|| format!("no {stem}.wasm"))?;
    Ok(std::fs::metadata(&path)?.len())
}

#[tokio::test]
async fn a_call_reports_the_code_it_loaded_and_the_topics_it_emitted() -> Result<(), Failure> {
    let mut market = Market::open(1).await?;
    let (charlie, dave) = (market.cast.charlie.clone(), market.cast.dave.clone());
    let (token_len, broker_len) = (wasm_len("psp22_mock")?, wasm_len("broker")?);
    let Market {
        chain,
        token,
        protocol,
        ..
    } = &mut market;
    chain
        .call(&charlie, &token.mint(10_000))
        .await?
        .value
        .or_fail("mint")?;

    // A transfer runs the token alone and emits one `Transfer`.
    let transfer = chain
        .call(&charlie, &token.transfer(account_of(&dave), 1, Vec::new()))
        .await?;
    transfer.value.or_fail("transfer")?;
    let shares = chain.last_call_shares();
    let topics: usize = transfer.events.iter().map(|e| e.topics.len()).sum();
    check_eq(
        (shares.frames, shares.code_bytes, shares.topics),
        (1, token_len, u64::try_from(topics)?),
        "a transfer's frames, code bytes and topics",
    )?;
    check_eq(
        shares.code.proof_size,
        token_len,
        "code is in the proof byte for byte",
    )?;
    check(
        shares.topic_charge.proof_size > 0
            && shares.code.proof_size + shares.topic_charge.proof_size < transfer.cost.proof_size
            && shares.code.ref_time + shares.topic_charge.ref_time < transfer.cost.ref_time,
        "the parts are less than the whole",
    )?;

    // A deposit runs the broker and three token calls: the balance read
    // before, `transfer_from`, the balance read after.
    chain
        .call(&charlie, &token.approve(protocol.broker_id, 100))
        .await?
        .value
        .or_fail("approve")?;
    chain
        .call(&charlie, &protocol.broker.deposit_coin(100))
        .await?
        .value
        .or_fail("deposit")?;
    let shares = chain.last_call_shares();
    check_eq(
        (shares.frames, shares.code_bytes),
        (4, broker_len + 3 * token_len),
        "a deposit's frames and code bytes",
    )?;

    // A refused call reverts: nothing it ran counts.
    check_eq(
        chain
            .call(&charlie, &protocol.broker.withdraw_coin(101))
            .await?
            .value,
        Err(BrokerError::InsufficientFreeBalance),
        "withdrawing more than was deposited",
    )?;
    check_eq(
        chain.last_call_shares(),
        Default::default(),
        "a reverted call's shares",
    )
}

#[tokio::test]
async fn merging_pending_changes_keeps_the_state_and_the_blocks() -> Result<(), Failure> {
    let mut market = Market::open(1).await?;
    let charlie = market.cast.charlie.clone();
    market.fund(&charlie, PRICE * WEEK_SECONDS).await?;
    let booking = market.book(&charlie).await?;
    let Market {
        chain, protocol, ..
    } = &mut market;
    let report = balance_report(chain, &protocol.broker, account_of(&charlie)).await?;
    let head = chain.finalized_block().await?;
    let last_block = chain.block(head).await?;

    chain.merge_pending_changes();

    check_eq(
        balance_report(chain, &protocol.broker, account_of(&charlie)).await?,
        report,
        "Charlie's balance after the merge",
    )?;
    check_eq(
        (chain.finalized_block().await?, chain.block(head).await?),
        (head, last_block),
        "the blocks after the merge",
    )?;
    // The chain goes on from the merged state: the booking is still there.
    let stopped = chain
        .call(
            &charlie,
            &protocol.broker.stop_booking(booking, StopReason::Ok),
        )
        .await?;
    stopped.value.or_fail("stop after the merge")?;
    check(
        find::<BookingStopped>(&stopped.events).is_some(),
        "BookingStopped after the merge",
    )
}

/// `deploy`'s check over the real bundles of this profile and every listed
/// chain: the per-call-limits build is refused by Aleph Zero alone (for its
/// unstable `seal2` calls), the stable build is accepted by every open chain,
/// and closed chains refuse both.
#[test]
fn the_built_bundles_are_accepted_exactly_where_the_chain_tables_say() -> Result<(), Failure> {
    use e2e_tests::bundles::Profile;
    use p2pcloud_client::compat::{self, Problem};
    let wasm = contract_wasm();
    let code = ["psp22_mock", "broker", "community"]
        .iter()
        .map(|stem| {
            let path = wasm
                .iter()
                .find(|path| path.file_stem().is_some_and(|s| s == *stem))
                .ok_or_else(|| format!("no {stem}.wasm"))?;
            Ok((*stem, std::fs::read(path)?))
        })
        .collect::<Result<Vec<_>, Failure>>()?;
    let stable = Profile::from_env() == Profile::Stable;
    for table in compat::known_chains() {
        let verdict = compat::check(&table.runtime(), Some(&table), false, &code);
        for (contract, problems) in &verdict.refused {
            let expected_unstable =
                table.name == "aleph-zero" && !stable && *contract != "psp22_mock";
            let fine = if table.closed.is_some() {
                matches!(problems.as_slice(), [Problem::Closed(_)])
            } else if expected_unstable {
                !problems.is_empty()
                    && problems.iter().all(|problem| {
                        matches!(problem, Problem::Unstable { module, .. } if module == "seal2")
                    })
            } else {
                problems.is_empty()
            };
            check(
                fine,
                format!("{} on {}: {problems:?}", contract, table.name),
            )?;
        }
    }
    Ok(())
}

/// Through the SDK: Eve pays a week into Charlie's balance six days into his
/// booking; it runs past its old run-out, Eve holds nothing in the broker,
/// and once a balance ran out Eve's money is refused before any approval.
#[tokio::test]
async fn a_second_account_keeps_a_users_booking_alive_through_the_sdk() -> Result<(), Failure> {
    use broker::events::DepositedFor;
    use p2pcloud_client::{
        sdk::{P2pCloud, Session},
        Error,
    };
    let mut market = Market::open(2).await?;
    let (charlie, dave, eve) = (
        market.cast.charlie.clone(),
        market.cast.dave.clone(),
        market.cast.eve.clone(),
    );
    let week = PRICE * WEEK_SECONDS;
    market.fund(&charlie, week).await?;
    market.fund(&dave, week).await?;
    let booking = market.book(&charlie).await?;
    market.book(&dave).await?;
    let start = market.chain.now().await?;
    let old_run_out = start + WEEK_SECONDS as u64 * 1_000;
    market.chain.pass_time(6 * DAY_MS).await?;

    let mut eve_session = Session::new(market.chain, market.protocol, eve.clone());
    eve_session.mint(2 * week).await?;
    let sent = eve_session.deposit_for(account_of(&charlie), week).await?;
    let event = sent
        .events
        .iter()
        .find_map(p2pcloud_client::domain::decode::<DepositedFor>)
        .ok_or("the deposit emitted no DepositedFor")?;
    check_eq(
        (event.payer, event.account, event.amount),
        (account_of(&eve), account_of(&charlie), week),
        "who paid, for whom and how much",
    )?;
    let report = eve_session.balance(account_of(&charlie)).await?;
    check(
        report
            .runs_out_at
            .is_some_and(|at| at >= old_run_out + 6 * DAY_MS),
        format!("the run-out moved a week later: {:?}", report.runs_out_at),
    )?;
    check_eq(
        eve_session.balance(account_of(&eve)).await?.deposited,
        0,
        "Eve holds nothing in the broker",
    )?;

    // Past the old run-out Charlie's booking still runs; Dave's ran out.
    eve_session.chain.pass_time(2 * DAY_MS).await?;
    check(
        eve_session.booking(booking).await?.is_some(),
        "Charlie's booking runs past its old run-out",
    )?;
    let allowance = market
        .token
        .allowance(account_of(&eve), eve_session.protocol.broker_id);
    let allowance_before = eve_session.chain.query(&eve, &allowance).await?;
    let refused = eve_session.deposit_for(account_of(&dave), week).await;
    check(
        matches!(refused, Err(Error::Broker(BrokerError::BeneficiaryRanOut))),
        format!("funding a balance that ran out is refused: {refused:?}"),
    )?;
    check_eq(
        eve_session.chain.query(&eve, &allowance).await?,
        allowance_before,
        "a refused deposit approves nothing",
    )
}

#[tokio::test]
async fn the_deployment_is_verified_against_its_build_and_the_approved_releases(
) -> Result<(), Failure> {
    let build = e2e_tests::bundles::bundle_folder();
    e2e_tests::verifying::verification(chain(), &build).await
}

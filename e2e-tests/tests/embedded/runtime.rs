//! What the embedded runtime itself reports: the code a call loaded and the
//! topics it emitted, the state and blocks kept across a merge of pending
//! changes, and where the built bundles would be accepted.
use broker::{events::BookingStopped, types::WEEK_SECONDS, BrokerError, StopReason};
use e2e_tests::{
    bundles::{contract_wasm, Profile},
    market::{Market, PRICE},
    protocol::{balance_report, check, check_eq, Failure, OrFail},
};
use p2pcloud_client::{
    bundles::DEPLOYED,
    chain::{account_of, Chain},
    compat::{self, Problem},
    domain::find,
};
use psp22::{PSP22Mintable, PSP22};
use std::path::PathBuf;

/// The built Wasm file `stem` (`broker`, `psp22_mock`).
fn wasm_file(stem: &str) -> Result<PathBuf, Failure> {
    Ok(contract_wasm()
        .into_iter()
        .find(|path| path.file_stem().is_some_and(|s| s == stem))
        .ok_or_else(|| format!("no {stem}.wasm"))?)
}

/// The size of the Wasm file `stem`.
fn wasm_len(stem: &str) -> Result<u64, Failure> {
    Ok(std::fs::metadata(wasm_file(stem)?)?.len())
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
        (
            shares.frames(),
            shares.code_bytes(),
            shares.calls,
            shares.topics,
        ),
        (1, token_len, 0, u64::try_from(topics)?),
        "a transfer's frames, code bytes, calls and topics",
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

    // A deposit runs the broker and two token calls: `transfer_from`, then
    // the balance read that checks the broker holds all it owes.
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
        (shares.frames(), shares.code_bytes(), shares.calls),
        (3, broker_len + 2 * token_len, 2),
        "a deposit's frames, code bytes and calls",
    )?;
    check_eq(
        shares.frame_code_bytes.clone(),
        vec![token_len, token_len, broker_len],
        "a deposit's frames in the order they ended",
    )?;
    let one_call = shares.call_charge.proof_size / 2;
    check(
        one_call > 0 && shares.call_charge.proof_size == 2 * one_call,
        "each call into the token is charged alike",
    )?;

    // A payment out reads the balance once too, after `transfer`: the
    // broker must still hold all it owes, and what it holds beyond that,
    // up to the amount, stays the payee's.
    chain
        .call(&charlie, &protocol.broker.withdraw_coin(40))
        .await?
        .value
        .or_fail("withdraw")?;
    let shares = chain.last_call_shares();
    check_eq(
        (shares.frames(), shares.code_bytes(), shares.calls),
        (3, broker_len + 2 * token_len, 2),
        "a withdrawal's frames, code bytes and calls",
    )?;

    // A cold getter runs the broker, then its library by `delegate_call`,
    // which the pallet charges apart from a call.
    let library_len = wasm_len("broker_library")?;
    chain
        .call(&charlie, &protocol.broker.get_community_fee())
        .await?;
    let getter = chain.last_call_shares();
    check_eq(
        (getter.frame_code_bytes.clone(), getter.calls),
        (vec![library_len, broker_len], 1),
        "a cold getter's frames and calls",
    )?;
    check(
        getter.call_charge.proof_size > 0 && getter.call_charge.proof_size != one_call,
        "a delegate call is priced as one, not as a call",
    )?;

    // A refused call reverts: nothing it ran counts.
    check_eq(
        chain
            .call(&charlie, &protocol.broker.withdraw_coin(61))
            .await?
            .value,
        Err(BrokerError::InsufficientFreeBalance),
        "withdrawing more than is left",
    )?;
    check_eq(
        chain.last_call_shares(),
        Default::default(),
        "a reverted call's shares",
    )
}

/// A fee collection asks the broker once (`withdraw_up_to`, whose payment out
/// reads the token once, after `transfer`), then reads the community's own
/// balance once: five frames, the token three times. A share claim reads
/// the community's balance once, after `transfer`: three frames.
#[tokio::test]
async fn a_fee_collection_runs_the_token_three_times_and_a_claim_twice() -> Result<(), Failure> {
    let mut market = Market::open(1).await?;
    let (ferdie, alice) = (market.cast.ferdie.clone(), market.cast.alice.clone());
    let (token_len, broker_len, community_len) = (
        wasm_len("psp22_mock")?,
        wasm_len("broker")?,
        wasm_len("community")?,
    );
    market.earn_an_hour_of_fees().await?;
    let Market {
        chain, protocol, ..
    } = &mut market;
    chain
        .call(&ferdie, &protocol.community.collect_fees())
        .await?
        .value
        .or_fail("collect_fees")?;
    let shares = chain.last_call_shares();
    check_eq(
        (shares.frames(), shares.code_bytes(), shares.calls),
        (5, community_len + broker_len + 3 * token_len, 4),
        "a fee collection's frames, code bytes and calls",
    )?;
    chain
        .call(&alice, &protocol.community.claim_share())
        .await?
        .value
        .or_fail("claim_share")?;
    let shares = chain.last_call_shares();
    check_eq(
        (shares.frames(), shares.code_bytes(), shares.calls),
        (3, community_len + 2 * token_len, 2),
        "a claim's frames, code bytes and calls",
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
    let code = DEPLOYED
        .iter()
        .map(|stem| Ok((*stem, std::fs::read(wasm_file(stem)?)?)))
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

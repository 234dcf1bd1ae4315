//! What every message of the broker and the community costs on the embedded
//! chain (pallet-contracts in process): its `ref_time`, `proof_size` and
//! storage deposit, each weight also as a multiple of a PSP22 `transfer` on
//! psp22-mock measured in the same run. Prints a table and writes the same as
//! JSON.
//!
//! Usage: bench [--contracts DIR] [--json FILE]
//! DIR holds the release bundles as `scripts/build.sh` leaves them; FILE
//! defaults to `$CARGO_TARGET_DIR/bench.json`.
use broker::{
    types::{BalanceReport, WEEK_SECONDS},
    StopReason,
};
use community::types::{Action, BrokerCall};
use e2e_tests::{
    protocol::{Failure, OrFail, Protocol},
    workflow::{deploy_with_mock_usd, Cast, PRICE_PER_SECOND, VOTING_PERIOD_MS},
};
use p2pcloud_client::{
    bundles::{build_sh_folder, built_wasm},
    chain::{account_of, Chain, Cost, Outcome},
    embedded::EmbeddedChain,
};
use psp22::{PSP22Mintable, PSP22};
use std::{fmt::Debug, path::PathBuf};

/// One measured message.
struct Row {
    message: String,
    cost: Cost,
}

/// The measured rows, each checked to have succeeded.
#[derive(Default)]
struct Table(Vec<Row>);

impl Table {
    /// Records a call that must have succeeded (`Ok` or a plain answer).
    fn record<R: Debug>(&mut self, message: &str, outcome: &Outcome<R>) -> Result<(), Failure> {
        let answer = format!("{:?}", outcome.value);
        if answer.starts_with("Err(") {
            return Err(format!("{message} failed: {answer}").into());
        }
        self.0.push(Row {
            message: message.into(),
            cost: outcome.cost,
        });
        Ok(())
    }
}

fn times(value: u64, base: u64) -> f64 {
    value as f64 / base.max(1) as f64
}

fn print(table: &Table, transfer: Cost) {
    println!(
        "{:<44} {:>14} {:>8} {:>11} {:>8} {:>16}",
        "message", "ref_time", "x xfer", "proof_size", "x xfer", "storage deposit"
    );
    for Row { message, cost } in &table.0 {
        println!(
            "{:<44} {:>14} {:>8.2} {:>11} {:>8.2} {:>16}",
            message,
            cost.ref_time,
            times(cost.ref_time, transfer.ref_time),
            cost.proof_size,
            times(cost.proof_size, transfer.proof_size),
            cost.storage_deposit
        );
    }
}

fn json(table: &Table, transfer: Cost) -> String {
    let rows: Vec<String> = table
        .0
        .iter()
        .map(|Row { message, cost }| {
            format!(
                "    {{\"message\": \"{message}\", \"ref_time\": {}, \"proof_size\": {}, \"storage_deposit\": {}, \"ref_time_x_transfer\": {:.3}, \"proof_size_x_transfer\": {:.3}}}",
                cost.ref_time,
                cost.proof_size,
                cost.storage_deposit,
                times(cost.ref_time, transfer.ref_time),
                times(cost.proof_size, transfer.proof_size)
            )
        })
        .collect();
    format!(
        "{{\n  \"backend\": \"embedded\",\n  \"psp22_transfer\": {{\"ref_time\": {}, \"proof_size\": {}}},\n  \"messages\": [\n{}\n  ]\n}}\n",
        transfer.ref_time,
        transfer.proof_size,
        rows.join(",\n")
    )
}

fn parse_args() -> Result<(PathBuf, PathBuf), String> {
    let mut contracts = build_sh_folder();
    let mut output = contracts
        .parent()
        .map_or_else(|| PathBuf::from("bench.json"), |dir| dir.join("bench.json"));
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--contracts" => contracts = args.next().ok_or("--contracts needs a folder")?.into(),
            "--json" => output = args.next().ok_or("--json needs a file")?.into(),
            other => {
                return Err(format!(
                    "unknown argument {other}; usage: bench [--contracts DIR] [--json FILE]"
                ))
            }
        }
    }
    Ok((contracts, output))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Failure> {
    let (contracts, output) = parse_args()?;
    let mut chain = EmbeddedChain::new(built_wasm(&contracts)?);
    let cast = Cast::default();
    let (_, mut token, protocol) = deploy_with_mock_usd(&mut chain, &cast).await?;
    let Protocol {
        broker_id,
        mut broker,
        mut community,
        ..
    } = protocol;
    let (alice, bob, charlie, dave, eve) =
        (&cast.alice, &cast.bob, &cast.charlie, &cast.dave, &cast.eve);
    let deposit = PRICE_PER_SECOND * WEEK_SECONDS * 4;
    let mut table = Table::default();

    // The yardstick: a PSP22 transfer between two accounts that hold tokens.
    for user in [charlie, dave] {
        chain
            .call(user, &token.mint(deposit * 2))
            .await?
            .value
            .or_fail("mint")?;
    }
    let transfer = chain
        .call(charlie, &token.transfer(account_of(dave), 1, Vec::new()))
        .await?;
    let baseline = transfer.cost;
    table.record("psp22-mock PSP22::transfer", &transfer)?;

    // Balances.
    for user in [charlie, dave] {
        chain
            .call(user, &token.approve(broker_id, deposit))
            .await?
            .value
            .or_fail("approve")?;
    }
    let first = chain
        .call(charlie, &broker.deposit_coin(deposit / 2))
        .await?;
    table.record("broker deposit_coin (new account)", &first)?;
    let again = chain
        .call(charlie, &broker.deposit_coin(deposit / 2))
        .await?;
    table.record("broker deposit_coin (existing account)", &again)?;
    chain
        .call(dave, &broker.deposit_coin(deposit))
        .await?
        .value
        .or_fail("deposit")?;

    // Offers.
    let added = chain
        .call(bob, &broker.add_offer(1, PRICE_PER_SECOND, 4, [1; 32]))
        .await?;
    table.record("broker add_offer", &added)?;
    let offer = added.value.or_fail("add_offer")?;
    let updated = chain
        .call(bob, &broker.update_offer(offer, PRICE_PER_SECOND, 5))
        .await?;
    table.record("broker update_offer", &updated)?;
    let url = chain
        .call(bob, &broker.set_miner_url("wss://bob.example".into()))
        .await?;
    table.record("broker set_miner_url", &url)?;
    let spare = chain
        .call(bob, &broker.add_offer(2, PRICE_PER_SECOND, 1, [2; 32]))
        .await?
        .value
        .or_fail("add_offer")?;
    let removed = chain.call(bob, &broker.remove_offer(spare)).await?;
    table.record("broker remove_offer (no bookings)", &removed)?;

    // Bookings.
    let booked = chain
        .call(charlie, &broker.book_vm(offer, PRICE_PER_SECOND))
        .await?;
    table.record("broker book_vm", &booked)?;
    let charlie_booking = booked.value.or_fail("book_vm")?;
    let dave_booking = chain
        .call(dave, &broker.book_vm(offer, PRICE_PER_SECOND))
        .await?
        .value
        .or_fail("book_vm")?;
    chain.pass_time(3_600_000).await?;
    let claimed = chain
        .call(bob, &broker.claim_payment(charlie_booking))
        .await?;
    table.record("broker claim_payment (an hour accrued)", &claimed)?;
    chain.pass_time(60_000).await?;
    let stopped = chain
        .call(
            charlie,
            &broker.stop_booking(charlie_booking, StopReason::Ok),
        )
        .await?;
    table.record("broker stop_booking (Ok)", &stopped)?;
    let reported = chain
        .call(
            dave,
            &broker.stop_booking(dave_booking, StopReason::MinerMisbehaviour),
        )
        .await?;
    table.record("broker stop_booking (report)", &reported)?;
    let report: BalanceReport = chain
        .query(charlie, &broker.check_balance(account_of(charlie)))
        .await?
        .or_fail("check_balance")?;
    let withdrawn = chain
        .call(charlie, &broker.withdraw_coin(report.free))
        .await?;
    table.record("broker withdraw_coin (all)", &withdrawn)?;

    // Getters, run as calls so their weight is measured like the rest.
    let getters = [
        (
            "broker get_offer",
            chain.call(eve, &broker.get_offer(offer)).await?.cost,
        ),
        (
            "broker get_available_offers (10)",
            chain
                .call(eve, &broker.get_available_offers(None, None, 10))
                .await?
                .cost,
        ),
        (
            "broker get_miners_offers (10)",
            chain
                .call(eve, &broker.get_miners_offers(account_of(bob), None, 10))
                .await?
                .cost,
        ),
        (
            "broker check_balance",
            chain
                .call(eve, &broker.check_balance(account_of(dave)))
                .await?
                .cost,
        ),
        (
            "broker get_user_bookings (10)",
            chain
                .call(eve, &broker.get_user_bookings(account_of(dave), None, 10))
                .await?
                .cost,
        ),
        (
            "broker get_community_fee",
            chain.call(eve, &broker.get_community_fee()).await?.cost,
        ),
    ];
    for (message, cost) in getters {
        table.0.push(Row {
            message: message.into(),
            cost,
        });
    }

    // The community: a vote that sets the fee through the broker, fees, shares.
    let fee = Action::Broker(BrokerCall::SetCommunityFee(400));
    let proposed = chain
        .call(alice, &community.propose(fee, "lower the fee".into()))
        .await?;
    table.record("community propose", &proposed)?;
    let proposal = proposed.value.or_fail("propose")?;
    let voted = chain.call(alice, &community.vote(proposal, true)).await?;
    table.record("community vote", &voted)?;
    chain.pass_time(VOTING_PERIOD_MS + 1).await?;
    let executed = chain.call(eve, &community.execute(proposal)).await?;
    table.record(
        "community execute (SetCommunityFee on the broker)",
        &executed,
    )?;
    let collected = chain.call(eve, &community.collect_fees()).await?;
    table.record("community collect_fees", &collected)?;
    let claimed = chain.call(alice, &community.claim_share()).await?;
    table.record("community claim_share", &claimed)?;
    let paid = chain.call(dave, &community.pay_out_shares(0, 16)).await?;
    table.record("community pay_out_shares (16)", &paid)?;
    let claimable = chain
        .call(dave, &community.get_claimable(account_of(eve)))
        .await?;
    table.record("community get_claimable", &claimable)?;

    print(&table, baseline);
    std::fs::write(&output, json(&table, baseline))
        .map_err(|e| format!("writing {}: {e}", output.display()))?;
    println!("bench: wrote {}", output.display());
    Ok(())
}

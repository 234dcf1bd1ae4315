//! What every message of the broker and the community costs on the embedded
//! chain (pallet-contracts in process): its `ref_time`, `proof_size` and
//! storage deposit, each weight also as a multiple of a PSP22 `transfer` on
//! psp22-mock measured in the same run. Each message is measured twice, on a
//! market that already holds 10 and one that holds `--scale` (10 000) offers,
//! users with a deposit and a running booking, and community members; the
//! table prints the ratio of the two. Prints a table and writes the same as
//! JSON.
//!
//! Usage: bench [--contracts DIR] [--json FILE] [--scale N]
//! DIR holds the release bundles as `scripts/build.sh` leaves them; FILE
//! defaults to `$CARGO_TARGET_DIR/bench.json`.
use broker::{
    types::{BalanceReport, WEEK_SECONDS},
    StopReason,
};
use community::types::{Action, BrokerCall, ProposalId};
use e2e_tests::{
    protocol::{Failure, OrFail, Protocol},
    workflow::{
        deploy_with_mock_usd, fund, Cast, MockUsdCalls, PRICE_PER_SECOND, VOTING_PERIOD_MS,
    },
};
use ink::primitives::AccountId;
use p2pcloud_client::{
    bundles::{build_sh_folder, built_wasm},
    chain::{account_of, Chain, Cost, Keypair, Message},
    embedded::{CallShares, EmbeddedChain},
};
use psp22::{PSP22Mintable, PSP22};
use scale::{Decode, Encode};
use std::{fmt::Debug, path::PathBuf};
use std::{str::FromStr, time::Instant};
use subxt_signer::SecretUri;

/// One measured message.
struct Row {
    message: String,
    cost: Cost,
    shares: CallShares,
}

/// The measured rows, each checked to have succeeded.
#[derive(Default)]
struct Table(Vec<Row>);

impl Table {
    /// Sends `call` as `caller`, which must succeed (`Ok` or a plain answer),
    /// and records what it cost; returns its answer.
    async fn run<Args, R>(
        &mut self,
        chain: &mut EmbeddedChain,
        message: &str,
        caller: &Keypair,
        call: &Message<Args, R>,
    ) -> Result<R, Failure>
    where
        Args: Encode + Clone + Sync,
        R: Decode + Send + Debug,
    {
        let outcome = chain.call(caller, call).await?;
        let answer = format!("{:?}", outcome.value);
        if answer.starts_with("Err(") {
            return Err(format!("{message} failed: {answer}").into());
        }
        self.0.push(Row {
            message: message.into(),
            cost: outcome.cost,
            shares: chain.last_call_shares(),
        });
        Ok(outcome.value)
    }

    /// [`Table::run`] for a message whose answer is not needed.
    async fn record<Args, R>(
        &mut self,
        chain: &mut EmbeddedChain,
        message: &str,
        caller: &Keypair,
        call: &Message<Args, R>,
    ) -> Result<(), Failure>
    where
        Args: Encode + Clone + Sync,
        R: Decode + Send + Debug,
    {
        self.run(chain, message, caller, call).await.map(drop)
    }
}

fn times(value: u64, base: u64) -> f64 {
    value as f64 / base.max(1) as f64
}

/// `large / small`, how a cost grows with the market.
fn ratio(large: u64, small: u64) -> f64 {
    times(large, small)
}

fn print(small: &Measured, large: &Measured) {
    println!(
        "{:<44} {:>13} {:>6} {:>10} {:>6} {:>9} | {:>7} {:>7}",
        "message", "ref_time", "x xfer", "proof_size", "x xfer", "deposit", "ref x", "proof x"
    );
    println!(
        "{:<44} {:>13} {:>6} {:>10} {:>6} {:>9} | {:>15}",
        "",
        format!("({} in market)", small.population),
        "",
        "",
        "",
        "",
        format!("{} / {}", large.population, small.population)
    );
    let transfer = small.transfer;
    for (row, at_scale) in small.table.0.iter().zip(&large.table.0) {
        let cost = row.cost;
        println!(
            "{:<44} {:>13} {:>6.2} {:>10} {:>6.2} {:>9} | {:>7.3} {:>7.3}",
            row.message,
            cost.ref_time,
            times(cost.ref_time, transfer.ref_time),
            cost.proof_size,
            times(cost.proof_size, transfer.proof_size),
            cost.storage_deposit,
            ratio(at_scale.cost.ref_time, cost.ref_time),
            ratio(at_scale.cost.proof_size, cost.proof_size),
        );
    }
    println!();
    println!(
        "where it goes ({} in market): code = loading the code of every contract frame, \
         topics = event topics, each priced with pallet-contracts' own weights; rest = \
         storage, calls between contracts, execution",
        small.population
    );
    println!(
        "{:<44} {:>6} {:>10} {:>6} | {:>7} {:>8} {:>10} | {:>7} {:>8}",
        "message", "frames", "code bytes", "topics", "proof:", "topics", "rest", "ref:", "topics"
    );
    println!(
        "{:<44} {:>6} {:>10} {:>6} | {:>7} {:>8} {:>10} | {:>7} {:>8}",
        "", "", "", "", "code %", "%", "bytes", "code %", "%"
    );
    for row in &small.table.0 {
        let (cost, shares) = (row.cost, row.shares);
        println!(
            "{:<44} {:>6} {:>10} {:>6} | {:>7.1} {:>8.1} {:>10} | {:>7.1} {:>8.1}",
            row.message,
            shares.frames,
            shares.code_bytes,
            shares.topics,
            percent(shares.code.proof_size, cost.proof_size),
            percent(shares.topic_charge.proof_size, cost.proof_size),
            rest(cost.proof_size, &shares),
            percent(shares.code.ref_time, cost.ref_time),
            percent(shares.topic_charge.ref_time, cost.ref_time),
        );
    }
}

fn percent(part: u64, whole: u64) -> f64 {
    100.0 * times(part, whole)
}

/// The proof size neither code nor topics account for.
fn rest(proof_size: u64, shares: &CallShares) -> u64 {
    proof_size
        .saturating_sub(shares.code.proof_size)
        .saturating_sub(shares.topic_charge.proof_size)
}

fn json(small: &Measured, large: &Measured) -> String {
    let transfer = small.transfer;
    let rows: Vec<String> = small
        .table
        .0
        .iter()
        .zip(&large.table.0)
        .map(|(Row { message, cost, shares }, at_scale)| {
            format!(
                "    {{\"message\": \"{message}\", \"ref_time\": {}, \"proof_size\": {}, \"storage_deposit\": {}, \"ref_time_x_transfer\": {:.3}, \"proof_size_x_transfer\": {:.3}, \"frames\": {}, \"code_bytes\": {}, \"code\": {{\"ref_time\": {}, \"proof_size\": {}}}, \"topics\": {}, \"topic_charge\": {{\"ref_time\": {}, \"proof_size\": {}}}, \"at_scale\": {{\"ref_time\": {}, \"proof_size\": {}, \"storage_deposit\": {}}}, \"ref_time_ratio\": {:.4}, \"proof_size_ratio\": {:.4}}}",
                cost.ref_time,
                cost.proof_size,
                cost.storage_deposit,
                times(cost.ref_time, transfer.ref_time),
                times(cost.proof_size, transfer.proof_size),
                shares.frames,
                shares.code_bytes,
                shares.code.ref_time,
                shares.code.proof_size,
                shares.topics,
                shares.topic_charge.ref_time,
                shares.topic_charge.proof_size,
                at_scale.cost.ref_time,
                at_scale.cost.proof_size,
                at_scale.cost.storage_deposit,
                ratio(at_scale.cost.ref_time, cost.ref_time),
                ratio(at_scale.cost.proof_size, cost.proof_size),
            )
        })
        .collect();
    format!(
        "{{\n  \"backend\": \"embedded\",\n  \"population\": {},\n  \"population_at_scale\": {},\n  \"psp22_transfer\": {{\"ref_time\": {}, \"proof_size\": {}}},\n  \"messages\": [\n{}\n  ]\n}}\n",
        small.population,
        large.population,
        transfer.ref_time,
        transfer.proof_size,
        rows.join(",\n")
    )
}

struct Args {
    contracts: PathBuf,
    output: PathBuf,
    scale: u32,
}

/// The market the first measurement runs on; `--scale` sets the second (at
/// least this: the last-page getters read the last ten offers).
const SMALL_MARKET: u32 = 10;

fn parse_args() -> Result<Args, String> {
    let mut scale = 10_000;
    let mut contracts = build_sh_folder();
    let mut output = contracts
        .parent()
        .map_or_else(|| PathBuf::from("bench.json"), |dir| dir.join("bench.json"));
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--contracts" => contracts = args.next().ok_or("--contracts needs a folder")?.into(),
            "--json" => output = args.next().ok_or("--json needs a file")?.into(),
            "--scale" => {
                scale = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or("--scale needs a whole number")?
            }
            other => {
                return Err(format!(
                    "unknown argument {other}; usage: bench [--contracts DIR] [--json FILE] [--scale N]"
                ))
            }
        }
    }
    Ok(Args {
        contracts,
        output,
        scale,
    })
}

/// One run of every message on a market of `population`.
struct Measured {
    population: u32,
    transfer: Cost,
    table: Table,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Failure> {
    let args = parse_args()?;
    if args.scale < SMALL_MARKET {
        return Err(format!("--scale is at least {SMALL_MARKET}").into());
    }
    let wasm = built_wasm(&args.contracts)?;
    let small = measure(&wasm, SMALL_MARKET).await?;
    let large = measure(&wasm, args.scale).await?;
    print(&small, &large);
    std::fs::write(&args.output, json(&small, &large))
        .map_err(|e| format!("writing {}: {e}", args.output.display()))?;
    println!("bench: wrote {}", args.output.display());
    Ok(())
}

/// Every message once, on a fresh chain whose market already holds
/// `population` of everything.
async fn measure(wasm: &[PathBuf], population: u32) -> Result<Measured, Failure> {
    let started = Instant::now();
    let mut chain = EmbeddedChain::new(wasm.to_vec());
    let cast = Cast::default();
    let (_, mut token, protocol) = deploy_with_mock_usd(&mut chain, &cast).await?;
    let mut protocol = protocol;
    populate(&mut chain, &cast, &mut token, &mut protocol, population).await?;
    eprintln!(
        "bench: a market of {population} built in {:.0?}",
        started.elapsed()
    );
    let Protocol {
        broker_id,
        mut broker,
        mut community,
        ..
    } = protocol;
    let (alice, bob, charlie, dave, eve, ferdie) = (
        &cast.alice,
        &cast.bob,
        &cast.charlie,
        &cast.dave,
        &cast.eve,
        &cast.ferdie,
    );
    let deposit = PRICE_PER_SECOND * WEEK_SECONDS * 4;
    let mut table = Table::default();
    let chain = &mut chain;

    // The yardstick: a PSP22 transfer between two accounts that hold tokens.
    for user in [charlie, dave] {
        chain
            .call(user, &token.mint(deposit * 2))
            .await?
            .value
            .or_fail("mint")?;
    }
    table
        .run(
            chain,
            "psp22-mock PSP22::transfer",
            charlie,
            &token.transfer(account_of(dave), 1, Vec::new()),
        )
        .await?
        .or_fail("transfer")?;
    let baseline = table.0[0].cost;

    // Balances.
    for user in [charlie, dave] {
        chain
            .call(user, &token.approve(broker_id, deposit))
            .await?
            .value
            .or_fail("approve")?;
    }
    let half = broker.deposit_coin(deposit / 2);
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
        .call(dave, &broker.deposit_coin(deposit))
        .await?
        .value
        .or_fail("deposit")?;

    // Offers.
    let offer = table
        .run(
            chain,
            "broker add_offer",
            bob,
            &broker.add_offer(1, PRICE_PER_SECOND, 4, [1; 32]),
        )
        .await?
        .or_fail("add_offer")?;
    table
        .record(
            chain,
            "broker update_offer",
            bob,
            &broker.update_offer(offer, PRICE_PER_SECOND, 5),
        )
        .await?;
    table
        .record(
            chain,
            "broker set_miner_url",
            bob,
            &broker.set_miner_url("wss://bob.example".into()),
        )
        .await?;
    let spare = chain
        .call(bob, &broker.add_offer(2, PRICE_PER_SECOND, 1, [2; 32]))
        .await?
        .value
        .or_fail("add_offer")?;
    table
        .record(
            chain,
            "broker remove_offer (no bookings)",
            bob,
            &broker.remove_offer(spare),
        )
        .await?;

    // Bookings.
    let charlie_booking = table
        .run(
            chain,
            "broker book_vm",
            charlie,
            &broker.book_vm(offer, PRICE_PER_SECOND),
        )
        .await?
        .or_fail("book_vm")?;
    let dave_booking = chain
        .call(dave, &broker.book_vm(offer, PRICE_PER_SECOND))
        .await?
        .value
        .or_fail("book_vm")?;
    chain.pass_time(3_600_000).await?;
    table
        .record(
            chain,
            "broker claim_payment (an hour accrued)",
            bob,
            &broker.claim_payment(charlie_booking),
        )
        .await?;
    chain.pass_time(60_000).await?;
    table
        .record(
            chain,
            "broker stop_booking (Ok)",
            charlie,
            &broker.stop_booking(charlie_booking, StopReason::Ok),
        )
        .await?;
    table
        .record(
            chain,
            "broker stop_booking (report)",
            dave,
            &broker.stop_booking(dave_booking, StopReason::MinerMisbehaviour),
        )
        .await?;
    let report: BalanceReport = chain
        .query(charlie, &broker.check_balance(account_of(charlie)))
        .await?
        .or_fail("check_balance")?;
    table
        .record(
            chain,
            "broker withdraw_coin (all)",
            charlie,
            &broker.withdraw_coin(report.free),
        )
        .await?;

    // Getters, run as calls so their weight is measured like the rest.
    table
        .record(chain, "broker get_offer", eve, &broker.get_offer(offer))
        .await?;
    table
        .record(
            chain,
            "broker get_available_offers (first page)",
            eve,
            &broker.get_available_offers(None, None, 10),
        )
        .await?;
    table
        .record(
            chain,
            "broker get_available_offers (last page)",
            eve,
            &broker.get_available_offers(None, Some(u64::from(population) - 9), 10),
        )
        .await?;
    table
        .record(
            chain,
            "broker get_miners_offers (first page)",
            eve,
            &broker.get_miners_offers(account_of(ferdie), None, 10),
        )
        .await?;
    table
        .record(
            chain,
            "broker get_miners_offers (last page)",
            eve,
            &broker.get_miners_offers(account_of(ferdie), Some(u64::from(population) - 10), 10),
        )
        .await?;
    table
        .record(
            chain,
            "broker check_balance",
            eve,
            &broker.check_balance(account_of(dave)),
        )
        .await?;
    table
        .record(
            chain,
            "broker get_user_bookings (10)",
            eve,
            &broker.get_user_bookings(account_of(dave), None, 10),
        )
        .await?;
    table
        .record(
            chain,
            "broker get_community_fee",
            eve,
            &broker.get_community_fee(),
        )
        .await?;

    // The community: a vote that sets the fee through the broker, fees, shares.
    let fee = Action::Broker(BrokerCall::SetCommunityFee(400));
    let proposal = table
        .run(
            chain,
            "community propose",
            alice,
            &community.propose(fee, "lower the fee".into()),
        )
        .await?
        .or_fail("propose")?;
    table
        .record(
            chain,
            "community vote",
            alice,
            &community.vote(proposal, true),
        )
        .await?;
    chain.pass_time(VOTING_PERIOD_MS + 1).await?;
    table
        .record(
            chain,
            "community execute (SetCommunityFee on the broker)",
            eve,
            &community.execute(proposal),
        )
        .await?;
    table
        .record(
            chain,
            "community collect_fees",
            eve,
            &community.collect_fees(),
        )
        .await?;
    table
        .record(
            chain,
            "community claim_share",
            alice,
            &community.claim_share(),
        )
        .await?;
    table
        .record(
            chain,
            "community pay_out_shares (8)",
            dave,
            &community.pay_out_shares(0, 8),
        )
        .await?;
    table
        .record(
            chain,
            "community get_claimable",
            dave,
            &community.get_claimable(account_of(eve)),
        )
        .await?;

    Ok(Measured {
        population,
        transfer: baseline,
        table,
    })
}

/// Fills the market with `n` of everything the messages could walk over:
/// `n` offers of Ferdie's, `n` users each with a deposit and a running booking
/// of one of them, and `n` more community members (added by vote, with
/// Alice's weight raised in the same vote so she still passes proposals).
async fn populate(
    chain: &mut EmbeddedChain,
    cast: &Cast,
    token: &mut MockUsdCalls,
    protocol: &mut Protocol,
    n: u32,
) -> Result<(), Failure> {
    let deposit = PRICE_PER_SECOND * WEEK_SECONDS * 2;
    for i in 0..n {
        let offer = chain
            .call(
                &cast.ferdie,
                &protocol.broker.add_offer(9, PRICE_PER_SECOND, 2, [9; 32]),
            )
            .await?
            .value
            .or_fail("add_offer")?;
        let user = Keypair::from_uri(&SecretUri::from_str(&format!("//bench-user-{i}"))?)?;
        chain.endow(account_of(&user))?;
        fund(chain, token, protocol, &user, deposit).await?;
        chain
            .call(&user, &protocol.broker.book_vm(offer, PRICE_PER_SECOND))
            .await?
            .value
            .or_fail("book_vm")?;
    }
    let mut actions: Vec<Action> = (0..n)
        .map(|i| Action::AddMember {
            account: member_account(i),
            weight: 1,
        })
        .collect();
    actions.push(Action::ChangeWeight {
        account: account_of(&cast.alice),
        weight: 1_000_000,
    });
    let mut proposals: Vec<ProposalId> = Vec::new();
    for action in actions {
        let proposal = chain
            .call(
                &cast.alice,
                &protocol.community.propose(action, String::new()),
            )
            .await?
            .value
            .or_fail("propose")?;
        chain
            .call(&cast.alice, &protocol.community.vote(proposal, true))
            .await?
            .value
            .or_fail("vote")?;
        proposals.push(proposal);
    }
    chain.pass_time(VOTING_PERIOD_MS + 1).await?;
    for proposal in proposals {
        chain
            .call(&cast.eve, &protocol.community.execute(proposal))
            .await?
            .value
            .or_fail("execute")?;
    }
    Ok(())
}

/// The `i`th extra member's address (members need no key: they never sign here).
fn member_account(i: u32) -> AccountId {
    let mut bytes = [0xB5; 32];
    bytes[..4].copy_from_slice(&i.to_le_bytes());
    AccountId::from(bytes)
}

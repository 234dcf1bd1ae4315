//! The embedded chain's measurements as the printed tables and as JSON (the
//! node's are in `node`).
use crate::{
    goals::Verdict,
    node::{self, NodeRun},
    table::{Measured, Row},
};
use p2pcloud_client::{
    chain::Cost,
    embedded::{CallShares, Charge},
};
use serde::Serialize;

pub fn times(value: u64, base: u64) -> f64 {
    value as f64 / base.max(1) as f64
}

/// `large / small`, how a cost grows with the market.
fn ratio(large: u64, small: u64) -> f64 {
    times(large, small)
}

fn percent(part: u64, whole: u64) -> f64 {
    100.0 * times(part, whole)
}

/// The proof size neither code, calls nor topics account for: storage and
/// execution.
pub fn rest(proof_size: u64, shares: &CallShares) -> u64 {
    proof_size
        .saturating_sub(shares.code.proof_size)
        .saturating_sub(shares.call_charge.proof_size)
        .saturating_sub(shares.topic_charge.proof_size)
}

/// Prints what each message cost on both markets, then where the small
/// market's costs go.
pub fn print(small: &Measured<CallShares>, large: &Measured<CallShares>) {
    println!("on the embedded chain (pallet-contracts 31, in process):");
    print_costs(small, large);
    println!();
    print_shares(small);
}

fn print_costs(small: &Measured<CallShares>, large: &Measured<CallShares>) {
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
}

fn print_shares(small: &Measured<CallShares>) {
    println!(
        "where it goes ({} in market): code = loading the code of every contract frame, \
         calls = each call of one frame into another (its code apart), topics = event \
         topics, each priced with pallet-contracts' own weights; rest = storage and execution",
        small.population
    );
    println!(
        "{:<44} {:>6} {:>10} {:>5} {:>6} | {:>7} {:>7} {:>8} {:>10} | {:>7} {:>8}",
        "message",
        "frames",
        "code bytes",
        "calls",
        "topics",
        "proof:",
        "calls",
        "topics",
        "rest",
        "ref:",
        "topics"
    );
    println!(
        "{:<44} {:>6} {:>10} {:>5} {:>6} | {:>7} {:>7} {:>8} {:>10} | {:>7} {:>8}",
        "", "", "", "", "", "code %", "%", "%", "bytes", "code %", "%"
    );
    for row in &small.table.0 {
        let (cost, shares) = (row.cost, &row.shares);
        println!(
            "{:<44} {:>6} {:>10} {:>5} {:>6} | {:>7.1} {:>7.1} {:>8.1} {:>10} | {:>7.1} {:>8.1}",
            row.message,
            shares.frames(),
            shares.code_bytes(),
            shares.calls,
            shares.topics,
            percent(shares.code.proof_size, cost.proof_size),
            percent(shares.call_charge.proof_size, cost.proof_size),
            percent(shares.topic_charge.proof_size, cost.proof_size),
            rest(cost.proof_size, shares),
            percent(shares.code.ref_time, cost.ref_time),
            percent(shares.topic_charge.ref_time, cost.ref_time),
        );
    }
}

/// The JSON file: the same numbers as the printed tables.
#[derive(Serialize)]
struct Report<'a> {
    backend: &'static str,
    population: u32,
    population_at_scale: u32,
    psp22_transfer: Weight,
    messages: Vec<MessageCost<'a>>,
    /// The same messages on substrate-contracts-node, or why not.
    node: node::Section<'a>,
    /// Issue #27's goals against this run.
    goals: &'a [Verdict<'a>],
}

/// What one message cost on both markets.
#[derive(Serialize)]
struct MessageCost<'a> {
    message: &'a str,
    ref_time: u64,
    proof_size: u64,
    storage_deposit: i128,
    ref_time_x_transfer: f64,
    proof_size_x_transfer: f64,
    frames: u64,
    code_bytes: u64,
    code: Weight,
    calls: u64,
    call_charge: Weight,
    topics: u64,
    topic_charge: Weight,
    at_scale: AtScale,
    ref_time_ratio: f64,
    proof_size_ratio: f64,
}

#[derive(Serialize)]
pub struct Weight {
    ref_time: u64,
    proof_size: u64,
}

impl From<Cost> for Weight {
    fn from(cost: Cost) -> Self {
        Self {
            ref_time: cost.ref_time,
            proof_size: cost.proof_size,
        }
    }
}

impl From<Charge> for Weight {
    fn from(charge: Charge) -> Self {
        Self {
            ref_time: charge.ref_time,
            proof_size: charge.proof_size,
        }
    }
}

/// What the message cost on the large market.
#[derive(Serialize)]
struct AtScale {
    ref_time: u64,
    proof_size: u64,
    storage_deposit: i128,
}

impl From<Cost> for AtScale {
    fn from(cost: Cost) -> Self {
        Self {
            ref_time: cost.ref_time,
            proof_size: cost.proof_size,
            storage_deposit: cost.storage_deposit,
        }
    }
}

/// `value` to `decimals` places, the file's precision: more digits are noise.
pub fn rounded(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}

impl<'a> MessageCost<'a> {
    fn of(row: &'a Row<CallShares>, at_scale: &Row<CallShares>, transfer: Cost) -> Self {
        let Row {
            message,
            cost,
            shares,
        } = row;
        Self {
            message,
            ref_time: cost.ref_time,
            proof_size: cost.proof_size,
            storage_deposit: cost.storage_deposit,
            ref_time_x_transfer: rounded(times(cost.ref_time, transfer.ref_time), 3),
            proof_size_x_transfer: rounded(times(cost.proof_size, transfer.proof_size), 3),
            frames: shares.frames(),
            code_bytes: shares.code_bytes(),
            code: shares.code.into(),
            calls: shares.calls,
            call_charge: shares.call_charge.into(),
            topics: shares.topics,
            topic_charge: shares.topic_charge.into(),
            at_scale: at_scale.cost.into(),
            ref_time_ratio: rounded(ratio(at_scale.cost.ref_time, cost.ref_time), 4),
            proof_size_ratio: rounded(ratio(at_scale.cost.proof_size, cost.proof_size), 4),
        }
    }
}

/// Every measurement as one JSON document: the embedded chain's, with the
/// node's as its `node` section.
pub fn json<'a>(
    small: &'a Measured<CallShares>,
    large: &Measured<CallShares>,
    on_node: &'a NodeRun,
    goals: &'a [Verdict<'a>],
) -> Result<String, serde_json::Error> {
    let transfer = small.transfer;
    let report = Report {
        backend: "embedded",
        population: small.population,
        population_at_scale: large.population,
        psp22_transfer: transfer.into(),
        messages: (small.table.0.iter())
            .zip(&large.table.0)
            .map(|(row, at_scale)| MessageCost::of(row, at_scale, transfer))
            .collect(),
        node: node::section(on_node, small),
        goals,
    };
    Ok(serde_json::to_string_pretty(&report)? + "\n")
}

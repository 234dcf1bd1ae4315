//! The same messages on a `substrate-contracts-node --dev`, whose
//! pallet-contracts weighs code differently from the embedded chain's
//! pallet-contracts 31 (about 700 ps of ref_time per code byte against
//! 33 000, and it compiles code lazily), so its ref_time figures differ.
//! Each cost is the call's dry run on the node's best block, taken just
//! before it is submitted (`NodeChain::call`); the yardstick is a psp22-mock
//! transfer dry-run on the same node in the same run. On the small market
//! only: on a node every step is an extrinsic in real time, and a market of
//! 10 000 would take hours.
use crate::{
    backend::BenchChain,
    measure,
    report::{rounded, times, Weight},
    table::Measured,
    SMALL_MARKET,
};
use e2e_tests::protocol::Failure;
use p2pcloud_client::{
    embedded::CallShares,
    node::{DevNode, NodeChain},
};
use serde::Serialize;
use std::{
    path::{Path, PathBuf},
    process::Command,
};

const NODE: &str = "substrate-contracts-node";

/// The node's measurement, or why there is none.
pub enum NodeRun {
    Skipped(String),
    Measured {
        /// What the node says it is (`--version`).
        version: String,
        measured: Measured<()>,
    },
}

/// Measures every message on a fresh dev node, if one is installed.
pub async fn run(wasm: &[PathBuf]) -> Result<NodeRun, Failure> {
    let binary = match installed() {
        Ok(binary) => binary,
        Err(why) => return Ok(NodeRun::Skipped(why)),
    };
    let version = version_of(&binary);
    // Stopped when dropped, at the end of this function.
    let mut node = DevNode::start()?;
    node.wait_until_ready()?;
    eprintln!("bench: {version} --dev at {}", node.url());
    let chain = NodeChain::connect(node.url(), wasm.to_vec()).await?;
    let measured = measure(chain, SMALL_MARKET).await?;
    Ok(NodeRun::Measured { version, measured })
}

/// The node's binary as `DevNode` starts it: `CONTRACTS_NODE` (a path or a
/// name on `PATH`), else `substrate-contracts-node` on `PATH`; or why
/// there is none.
fn installed() -> Result<PathBuf, String> {
    let (name, unset) = match std::env::var("CONTRACTS_NODE") {
        Ok(name) => (name, ""),
        Err(_) => (NODE.to_string(), " and CONTRACTS_NODE is not set"),
    };
    let path = Path::new(&name);
    if path.components().count() > 1 {
        return (path.is_file().then(|| path.to_path_buf()))
            .ok_or_else(|| format!("CONTRACTS_NODE={name} is no file"));
    }
    let on_path = std::env::var_os("PATH").and_then(|dirs| {
        std::env::split_paths(&dirs)
            .map(|dir| dir.join(&name))
            .find(|candidate| candidate.is_file())
    });
    on_path.ok_or_else(|| format!("{name} is not on PATH{unset}"))
}

/// The first line `binary --version` prints, or the node's name.
fn version_of(binary: &Path) -> String {
    let output = Command::new(binary).arg("--version").output().ok();
    output
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_string())
        .filter(|version| !version.is_empty())
        .unwrap_or_else(|| NODE.to_string())
}

/// Prints the node's table, each message beside the embedded chain's
/// proof-size multiple for it on the market of the same size; or one line
/// saying why there is none.
pub fn print(run: &NodeRun, embedded: &Measured<CallShares>) {
    let (version, node) = match run {
        NodeRun::Skipped(why) => return println!("node table: SKIPPED: {why}"),
        NodeRun::Measured { version, measured } => (version, measured),
    };
    let clock = NodeChain::CLOCK;
    println!(
        "on the node ({version} --dev), each cost by dry run on its best block, on a market \
         of {} only (every step is an extrinsic in real time there: a market of 10 000 would \
         take hours); the claim after {} of use, the stops {} s later",
        node.population,
        clock.usage,
        clock.until_stop_ms / 1_000
    );
    println!(
        "{:<44} {:>13} {:>6} {:>10} {:>6} | {:>14}",
        "message", "node ref_time", "x xfer", "proof_size", "x xfer", "embedded proof"
    );
    println!(
        "{:<44} {:>13} {:>6} {:>10} {:>6} | {:>14}",
        "", "", "", "", "", "x xfer"
    );
    for (row, on_embedded) in node.table.0.iter().zip(&embedded.table.0) {
        let cost = row.cost;
        println!(
            "{:<44} {:>13} {:>6.2} {:>10} {:>6.2} | {:>14.2}",
            row.message,
            cost.ref_time,
            times(cost.ref_time, node.transfer.ref_time),
            cost.proof_size,
            times(cost.proof_size, node.transfer.proof_size),
            times(on_embedded.cost.proof_size, embedded.transfer.proof_size),
        );
    }
}

/// The JSON file's `node` section: the node's table, or why there is none.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Section<'a> {
    Skipped {
        skipped: &'a str,
    },
    Measured {
        backend: &'static str,
        version: &'a str,
        population: u32,
        measured_by: &'static str,
        claim_after_ms: u64,
        psp22_transfer: Weight,
        messages: Vec<NodeCost<'a>>,
    },
}

/// What one message cost on the node, beside its proof-size multiple on
/// the embedded chain.
#[derive(Serialize)]
pub struct NodeCost<'a> {
    message: &'a str,
    ref_time: u64,
    proof_size: u64,
    storage_deposit: i128,
    ref_time_x_transfer: f64,
    proof_size_x_transfer: f64,
    embedded_proof_size_x_transfer: f64,
}

pub fn section<'a>(run: &'a NodeRun, embedded: &Measured<CallShares>) -> Section<'a> {
    let (version, node) = match run {
        NodeRun::Skipped(why) => return Section::Skipped { skipped: why },
        NodeRun::Measured { version, measured } => (version, measured),
    };
    let multiple = |value, base| rounded(times(value, base), 3);
    let messages = (node.table.0.iter())
        .zip(&embedded.table.0)
        .map(|(row, on_embedded)| NodeCost {
            message: &row.message,
            ref_time: row.cost.ref_time,
            proof_size: row.cost.proof_size,
            storage_deposit: row.cost.storage_deposit,
            ref_time_x_transfer: multiple(row.cost.ref_time, node.transfer.ref_time),
            proof_size_x_transfer: multiple(row.cost.proof_size, node.transfer.proof_size),
            embedded_proof_size_x_transfer: multiple(
                on_embedded.cost.proof_size,
                embedded.transfer.proof_size,
            ),
        })
        .collect();
    Section::Measured {
        backend: NODE,
        version,
        population: node.population,
        measured_by: "dry run (ContractsApi_call) on the best block",
        claim_after_ms: NodeChain::CLOCK.usage_ms,
        psp22_transfer: node.transfer.into(),
        messages,
    }
}

//! What every message of the broker and the community costs on the embedded
//! chain (pallet-contracts in process): its `ref_time`, `proof_size` and
//! storage deposit, each weight also as a multiple of a PSP22 `transfer` on
//! psp22-mock measured in the same run. Each message is measured twice, on a
//! market that already holds 10 and one that holds `--scale` (10 000) offers,
//! users with a deposit and a running booking, and community members; the
//! table prints the ratio of the two. Then the same messages on a
//! `substrate-contracts-node --dev` started for the run, on the small market
//! only, each cost by dry run, as multiples of a PSP22 transfer dry-run there
//! (`node`); skipped, with one line saying why, where no node is installed.
//! Last, issue #27's goals against the run (`goals`). Prints the tables and
//! writes the same as JSON.
//!
//! Usage: bench [--contracts DIR] [--json FILE] [--scale N]
//! DIR holds the release bundles as `scripts/build.sh` leaves them; FILE
//! defaults to `$CARGO_TARGET_DIR/bench.json`.
mod backend;
mod goals;
mod market;
mod messages;
mod node;
mod report;
mod table;

use backend::BenchChain;
use e2e_tests::protocol::Failure;
use market::Bench;
use p2pcloud_client::{
    bundles::{build_sh_folder, built_wasm},
    embedded::EmbeddedChain,
};
use std::path::PathBuf;
use table::Measured;

struct Args {
    contracts: PathBuf,
    output: PathBuf,
    scale: u32,
}

/// The market the first measurement runs on, and the node's only one;
/// `--scale` sets the second (at least this: the last-page getters read the
/// last ten offers).
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

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Failure> {
    let args = parse_args()?;
    if args.scale < SMALL_MARKET {
        return Err(format!("--scale is at least {SMALL_MARKET}").into());
    }
    let wasm = built_wasm(&args.contracts)?;
    let small = measure(EmbeddedChain::new(wasm.clone()), SMALL_MARKET).await?;
    let large = measure(EmbeddedChain::new(wasm.clone()), args.scale).await?;
    report::print(&small, &large);
    println!();
    let on_node = node::run(&wasm).await?;
    node::print(&on_node, &small);
    println!();
    let verdicts = goals::verdicts(&small, &on_node, &wasm);
    goals::print(&verdicts);
    std::fs::write(
        &args.output,
        report::json(&small, &large, &on_node, &verdicts)?,
    )
    .map_err(|e| format!("writing {}: {e}", args.output.display()))?;
    println!("bench: wrote {}", args.output.display());
    Ok(())
}

/// Every message once, on `chain`, fresh, whose market is first filled with
/// `population` of everything.
async fn measure<C: BenchChain>(chain: C, population: u32) -> Result<Measured<C::Shares>, Failure> {
    let mut bench = Bench::open(chain, population).await?;
    let transfer = bench.psp22_transfer().await?;
    bench.balances().await?;
    let offer = bench.offers().await?;
    bench.bookings(offer).await?;
    bench.getters(offer).await?;
    bench.community().await?;
    Ok(Measured {
        population,
        transfer,
        table: bench.table,
    })
}

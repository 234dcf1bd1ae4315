//! The p2pcloud demo: deploys psp22-mock, the community and the broker, runs
//! the booking workflow between a miner, two users and the community, and
//! prints every step. On the embedded chain by default; on a running
//! substrate-contracts-node with `--url ws://HOST:PORT`.
//!
//! Usage: demo [--url ws://127.0.0.1:9944] [--contracts DIR]
//! DIR holds the release bundles as `scripts/build.sh` leaves them
//! (`DIR/<name>/<name>.wasm`); it defaults to `$CARGO_TARGET_DIR/ink`.
use e2e_tests::{protocol::Failure, workflow::booking_workflow};
use p2pcloud_client::{
    bundles::{build_sh_folder, built_wasm},
    embedded::EmbeddedChain,
    node::NodeChain,
};
use std::path::PathBuf;

struct Args {
    url: Option<String>,
    contracts: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut url = None;
    let mut contracts = build_sh_folder();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--url" => url = Some(args.next().ok_or("--url needs a ws:// address")?),
            "--contracts" => contracts = args.next().ok_or("--contracts needs a folder")?.into(),
            other => {
                return Err(format!(
                "unknown argument {other}; usage: demo [--url ws://HOST:PORT] [--contracts DIR]"
            ))
            }
        }
    }
    Ok(Args { url, contracts })
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Failure> {
    let args = parse_args()?;
    let wasm = built_wasm(&args.contracts)?;
    let mut say = |line: String| println!("demo: {line}");
    match args.url {
        None => {
            // The embedded chain's clock is ours: let the VMs run for an hour.
            let mut chain = EmbeddedChain::new(wasm);
            booking_workflow(&mut chain, 3_600_000, &mut say).await?;
        }
        Some(url) => {
            // A node's clock is the wall clock: let the VMs run for three seconds.
            let mut chain = NodeChain::connect(&url, wasm).await?;
            booking_workflow(&mut chain, 3_000, &mut say).await?;
        }
    }
    println!("demo: the booking workflow completed and every check held");
    Ok(())
}

//! Deploys the protocol on a running chain, in the order that leaves no
//! trusted step: upload the broker's code, then instantiate the community,
//! whose constructor instantiates the broker with the community's address.
//! Prints both addresses.
//!
//! Usage: deploy --url ws://HOST:PORT --suri SECRET_URI
//!               (--stablecoin ADDRESS | --mock-stablecoin)
//!               --member ADDRESS:WEIGHT [--member ...]
//!               [--quorum-bps 5000] [--voting-period-ms 604800000]
//!               [--execution-period-ms 604800000] [--contracts DIR]
//! ADDRESS is SS58 or 0x-prefixed hex; SECRET_URI is for example `//Alice`
//! or a mnemonic. `--mock-stablecoin` first deploys psp22-mock (tests only).
use community::types::{VotingRules, Weight};
use e2e_tests::protocol::{Failure, Protocol};
use ink::primitives::AccountId;
use p2pcloud_client::{
    bundles::{build_sh_folder, built_wasm},
    chain::{Chain, Keypair},
    events::{hex, parse_account, ss58},
    node::NodeChain,
};
use psp22_mock::Psp22MockRef;
use std::{path::PathBuf, str::FromStr};
use subxt_signer::SecretUri;

const WEEK_MS: u64 = 604_800_000;

enum Stablecoin {
    Existing(AccountId),
    Mock,
}

struct Args {
    url: String,
    deployer: Keypair,
    stablecoin: Stablecoin,
    members: Vec<(AccountId, Weight)>,
    rules: VotingRules,
    contracts: PathBuf,
}

fn member(text: &str) -> Result<(AccountId, Weight), String> {
    let (account, weight) = text
        .rsplit_once(':')
        .ok_or(format!("--member {text}: expected ADDRESS:WEIGHT"))?;
    let weight = weight
        .parse()
        .map_err(|_| format!("--member {text}: bad weight"))?;
    Ok((parse_account(account)?, weight))
}

fn number<T: FromStr>(flag: &str, value: Option<String>) -> Result<T, String> {
    value
        .and_then(|v| v.parse().ok())
        .ok_or(format!("{flag} needs a number"))
}

fn parse_args() -> Result<Args, String> {
    let (mut url, mut deployer, mut stablecoin) = (None, None, None);
    let mut members = Vec::new();
    let mut rules = VotingRules {
        quorum_bps: 5_000,
        voting_period: WEEK_MS,
        execution_period: WEEK_MS,
    };
    let mut contracts = build_sh_folder();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--url" => url = args.next(),
            "--suri" => {
                let uri = args.next().ok_or("--suri needs a secret URI")?;
                let uri = SecretUri::from_str(&uri).map_err(|e| format!("--suri: {e}"))?;
                deployer = Some(Keypair::from_uri(&uri).map_err(|e| format!("--suri: {e}"))?);
            }
            "--stablecoin" => {
                let token = args.next().ok_or("--stablecoin needs an address")?;
                stablecoin = Some(Stablecoin::Existing(parse_account(&token)?));
            }
            "--mock-stablecoin" => stablecoin = Some(Stablecoin::Mock),
            "--member" => members.push(member(
                &args.next().ok_or("--member needs ADDRESS:WEIGHT")?,
            )?),
            "--quorum-bps" => rules.quorum_bps = number(&flag, args.next())?,
            "--voting-period-ms" => rules.voting_period = number(&flag, args.next())?,
            "--execution-period-ms" => rules.execution_period = number(&flag, args.next())?,
            "--contracts" => contracts = args.next().ok_or("--contracts needs a folder")?.into(),
            other => {
                return Err(format!(
                    "unknown argument {other}; see the usage in src/bin/deploy.rs"
                ))
            }
        }
    }
    Ok(Args {
        url: url.ok_or("--url is required")?,
        deployer: deployer.ok_or("--suri is required")?,
        stablecoin: stablecoin.ok_or("--stablecoin or --mock-stablecoin is required")?,
        members,
        rules,
        contracts,
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Failure> {
    let args = parse_args()?;
    let wasm = built_wasm(&args.contracts)?;
    let mut chain = NodeChain::connect(&args.url, wasm).await?;
    let stablecoin = match args.stablecoin {
        Stablecoin::Existing(token) => token,
        Stablecoin::Mock => {
            let mut constructor =
                Psp22MockRef::new(0, Some("Mock USD".into()), Some("mUSD".into()), 6);
            let token = chain
                .instantiate("psp22-mock", &args.deployer, &mut constructor)
                .await?
                .value;
            println!("psp22-mock: {} ({})", ss58(&token), hex(&token));
            token
        }
    };
    let protocol = Protocol::deploy_for(
        &mut chain,
        &args.deployer,
        args.members,
        args.rules,
        stablecoin,
    )
    .await?;
    println!("stablecoin: {} ({})", ss58(&stablecoin), hex(&stablecoin));
    println!(
        "community: {} ({})",
        ss58(&protocol.community_id),
        hex(&protocol.community_id)
    );
    println!(
        "broker: {} ({})",
        ss58(&protocol.broker_id),
        hex(&protocol.broker_id)
    );
    Ok(())
}

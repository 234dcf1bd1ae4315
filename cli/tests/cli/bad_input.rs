//! Bad input at the end of the workflow: each refused with a sentence and a
//! non-zero exit, nothing changed.
use crate::harness::Cli;
use p2pcloud_client::{
    chain::{account_of, dev},
    domain::ss58,
};

/// Malformed amounts, too many decimals, more than the token balance, an
/// unknown account, a withdrawal above the free balance, a signing command
/// without a key, a query without an account or a key, `--every 0s`,
/// `deploy --dry-run` and a deployment file that points at a non-contract.
pub fn each_refused_with_a_sentence(cli: &Cli) {
    let alice = ss58(&account_of(&dev::alice()));
    cli.refused(Some("//Charlie"), &["deposit", "12,5"], "is not an amount");
    cli.refused(Some("//Charlie"), &["deposit", "0.0000001"], "6 decimals");
    cli.refused(
        Some("//Charlie"),
        &["deposit", "100000"],
        "the stablecoin refused: the balance is too low",
    );
    cli.refused(
        None,
        &["balance", "not-an-account"],
        "neither an SS58 address",
    );
    cli.refused(
        Some("//Charlie"),
        &["withdraw", "1"],
        "that is more than the free balance",
    );
    cli.refused(None, &["deposit", "1"], "this command signs");
    cli.refused(None, &["balance"], "name the account, or give your key");
    cli.refused(
        Some("//Bob"),
        &["miner", "run", "--every", "0s"],
        "--every is at least 1s",
    );
    cli.refused(
        Some("//Alice"),
        &[
            "--dry-run",
            "deploy",
            "--mock-stablecoin",
            "--member",
            &format!("{alice}:1"),
        ],
        "deploy cannot be simulated",
    );
    let wrong = std::env::temp_dir().join(format!("p2pcloud-wrong-{}.json", std::process::id()));
    let wrong_text = format!(
        "{{\"stablecoin\": \"{alice}\", \"community\": \"{alice}\", \"broker\": \"{alice}\"}}"
    );
    std::fs::write(&wrong, wrong_text).expect("write");
    let misaddressed = Cli {
        url: cli.url.clone(),
        deployment: wrong.clone(),
    };
    misaddressed.refused(None, &["info"], "no p2pcloud broker answers at");
    assert_eq!(cli.free_balance("//Charlie"), "0");
    let _ = std::fs::remove_file(wrong);
}

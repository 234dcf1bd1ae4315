//! The miner loop across a node restart: the node stops and restarts (same
//! chain, same port) under a running `miner run` and `user run`, which
//! report the failed rounds and go on after it; an indexer killed
//! mid-stream resumes and stores what a clean run stores.
use crate::harness::{assert_a_claim_with_time_left, Cli, Looping};
use p2pcloud_client::{
    bundles::{build_sh_folder, built_wasm},
    chain::{account_of, dev},
    domain::ss58,
    node::DevNode,
};
use serde_json::Value;
use std::{
    path::Path,
    process::{Child, Command, Stdio},
    sync::mpsc::Receiver,
    time::{Duration, Instant},
};

#[test]
#[ignore = "needs substrate-contracts-node: scripts/test.sh runs it with --ignored where it is installed"]
fn the_miner_loop_survives_a_node_restart() {
    built_wasm(&build_sh_folder()).expect("the bundles are built (bash scripts/build.sh)");
    let id = std::process::id();
    let base_path = std::env::temp_dir().join(format!("p2pcloud-restart-{id}"));
    let _ = std::fs::remove_dir_all(&base_path);
    let mut node = DevNode::start_in(base_path.clone()).expect("the node starts");
    node.wait_until_ready().expect("the node answers");
    let deployment = std::env::temp_dir().join(format!("p2pcloud-restart-{id}.json"));
    let cli = Cli {
        url: node.url().to_string(),
        deployment: deployment.clone(),
    };
    let booking = cli.charlie_booking("700");

    // Given an indexer following the chain all along, Bob's miner loop and
    // Dave's loop keeping Charlie paid,
    let databases = Databases::new(id);
    let mut indexer = databases.follow(&cli);
    let (mut miner, received, errors) = cli.spawn_loop("//Bob", &["miner", "run", "--every", "2s"]);
    let ledger = std::env::temp_dir().join(format!("p2pcloud-restart-ledger-{id}.json"));
    let (mut topper, top_ups, top_up_errors) = dave_keeps_charlie_paid(&cli, &ledger);
    // when the node goes away for a few rounds and comes back with its chain,
    let restarted = the_node_goes_away_and_comes_back(&mut node, &cli);
    let claimed = the_claim_of(&received, &booking);
    // and the indexer is killed (SIGKILL) while the miner goes on claiming,
    indexer.kill().expect("kill the indexer");
    let _ = indexer.wait();
    blocks_go_on(&cli);
    let _ = miner.kill();
    let _ = miner.wait();
    let errors = errors.join().expect("stderr read").join("\n");
    let _ = topper.kill();
    let _ = topper.wait();
    let top_up_errors = top_up_errors.join().expect("stderr read").join("\n");
    // then the top-ups went on after the restart, the killed indexer caught
    // up, and the miner claimed after the restart.
    the_top_ups_went_on(&top_ups, &top_up_errors, restarted);
    let _ = std::fs::remove_file(&ledger);
    databases.the_killed_one_stores_what_a_clean_run_does(&cli);
    the_miner_claimed_after_the_restart(claimed, &errors);
    drop(node);
    let _ = std::fs::remove_dir_all(base_path);
    let _ = std::fs::remove_file(deployment);
}

/// The indexer's two databases: one whose indexer is killed mid-stream, and
/// one a clean run fills afterwards.
struct Databases {
    killed: String,
    clean: String,
}

impl Databases {
    fn new(id: u32) -> Self {
        let killed_db = std::env::temp_dir().join(format!("p2pcloud-killed-{id}.db"));
        let clean_db = std::env::temp_dir().join(format!("p2pcloud-clean-{id}.db"));
        let _ = std::fs::remove_file(&killed_db);
        let _ = std::fs::remove_file(&clean_db);
        Self {
            killed: killed_db.to_string_lossy().into_owned(),
            clean: clean_db.to_string_lossy().into_owned(),
        }
    }

    /// Starts an indexer following the chain into the database to be killed.
    fn follow(&self, cli: &Cli) -> Child {
        Command::new(env!("CARGO_BIN_EXE_p2pcloud"))
            .args(["--url", &cli.url, "--db", &self.killed])
            .arg("--deployment")
            .arg(&cli.deployment)
            .args(["index", "--every", "1s"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the indexer starts")
    }

    /// Restarted, the killed indexer catches up; a clean run over the same
    /// chain stores the same.
    fn the_killed_one_stores_what_a_clean_run_does(self, cli: &Cli) {
        std::thread::sleep(Duration::from_secs(3));
        let resumed = cli.run(None, &["--db", &self.killed, "index", "--once"]);
        assert!(resumed.ok, "{}", resumed.stderr);
        assert!(
            resumed.stderr.contains("resuming after block"),
            "the killed indexer had stored blocks before it was killed: {}",
            resumed.stderr
        );
        let fresh = cli.run(None, &["--db", &self.clean, "index", "--once"]);
        assert!(fresh.ok, "{}", fresh.stderr);
        let events = |db: &str| {
            cli.run(None, &["--db", db, "events", "--limit", "1000"])
                .json()
        };
        let (after_kill, clean) = (events(&self.killed), events(&self.clean));
        let payouts = clean
            .as_array()
            .map(|all| {
                all.iter()
                    .filter(|event| event["kind"] == "payment")
                    .count()
            })
            .unwrap_or(0);
        assert!(payouts >= 2, "claims before and after the kill: {clean}");
        assert_eq!(
            after_kill, clean,
            "the killed and restarted indexer stored what a clean run did"
        );
        let _ = std::fs::remove_file(&self.killed);
        let _ = std::fs::remove_file(&self.clean);
    }
}

/// Dave keeps Charlie's bookings paid 9 days ahead (Charlie's 700 pay for
/// 8.1 days; every round past the first tops up what passing time used).
fn dave_keeps_charlie_paid(cli: &Cli, ledger: &Path) -> Looping {
    cli.run(Some("//Dave"), &["token", "mint", "1000"]).json();
    let _ = std::fs::remove_file(ledger);
    cli.spawn_loop(
        "//Dave",
        &[
            "user",
            "run",
            "--for",
            &ss58(&account_of(&dev::charlie())),
            "--keep",
            "9d",
            "--max-per-day",
            "500",
            "--every",
            "2s",
            "--ledger",
            ledger.to_str().expect("a UTF-8 path"),
        ],
    )
}

/// The node goes away for a few rounds and comes back with its chain;
/// returns when it restarted.
fn the_node_goes_away_and_comes_back(node: &mut DevNode, cli: &Cli) -> Instant {
    std::thread::sleep(Duration::from_secs(1));
    node.stop();
    std::thread::sleep(Duration::from_secs(5));
    let restarted = Instant::now();
    node.restart().expect("the node restarts");
    node.wait_until_ready().expect("the node answers again");
    std::thread::sleep(Duration::from_secs(2));
    // A block after the restart, so the booking has time to pay for.
    cli.run(Some("//Alice"), &["token", "mint", "1"]).json();
    restarted
}

/// The miner loop's first line claiming `booking`, within 90 seconds.
fn the_claim_of(received: &Receiver<(Instant, String)>, booking: &Value) -> Option<Value> {
    let deadline = Instant::now() + Duration::from_secs(90);
    let mut claimed = None;
    while claimed.is_none() && Instant::now() < deadline {
        if let Ok((_, line)) = received.recv_timeout(Duration::from_secs(1)) {
            let value: Value = serde_json::from_str(&line).expect("the loop prints JSON");
            if value["claimed_booking"] == *booking {
                claimed = Some(value);
            }
        }
    }
    claimed
}

/// A dev node makes blocks only for transactions: some, so time passes on
/// chain and the loop has more to claim.
fn blocks_go_on(cli: &Cli) {
    for _ in 0..3 {
        std::thread::sleep(Duration::from_secs(2));
        cli.run(Some("//Alice"), &["token", "mint", "1"]).json();
    }
    std::thread::sleep(Duration::from_secs(3));
}

/// The top-up loop deposited after the restart, and said it saw the node go.
fn the_top_ups_went_on(
    top_ups: &Receiver<(Instant, String)>,
    top_up_errors: &str,
    restarted: Instant,
) {
    let deposits: Vec<(Instant, Value)> = top_ups
        .try_iter()
        .map(|(at, line)| {
            (
                at,
                serde_json::from_str(&line).expect("the loop prints JSON"),
            )
        })
        .filter(|(_, record): &(Instant, Value)| record["deposited"] != "0")
        .collect();
    assert!(
        deposits.iter().any(|(at, _)| *at > restarted),
        "the top-up loop deposited after the restart: {deposits:?} {top_up_errors}"
    );
    assert!(
        top_up_errors.contains("this round failed, trying again later"),
        "the top-up loop saw the node go: {top_up_errors}"
    );
}

/// The miner loop claimed after the restart, saw how long Charlie's balance
/// keeps paying, and said it saw the node go.
fn the_miner_claimed_after_the_restart(claimed: Option<Value>, errors: &str) {
    let claimed = claimed.unwrap_or_else(|| panic!("no claim after the restart: {errors}"));
    assert_a_claim_with_time_left(&claimed);
    assert!(
        errors.contains("this round failed, trying again later"),
        "the loop saw the node go: {errors}"
    );
}

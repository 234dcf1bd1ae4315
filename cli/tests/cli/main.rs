//! The `p2pcloud` CLI as a subprocess against a fresh `substrate-contracts-node
//! --dev`: the seed's whole workflow from the shell (deploy, an offer, a
//! deposit, a booking, a claim, a stop with a report, a withdrawal, the fee
//! collection and a vote that lowers the fee), then bad input, each refused
//! with a sentence, a non-zero exit code and no change. Needs the node
//! (`CONTRACTS_NODE` or `PATH`) and the bundles from `scripts/build.sh`;
//! `scripts/test.sh` runs it only where the node is installed.
use p2pcloud_client::{
    bundles::{build_sh_folder, built_wasm},
    chain::{account_of, dev},
    domain::ss58,
    node::DevNode,
};
use serde_json::Value;
use std::{path::PathBuf, process::Command};

struct Cli {
    url: String,
    deployment: PathBuf,
}

/// What one run printed and how it ended.
struct Run {
    args: String,
    ok: bool,
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        assert!(self.ok, "{} failed: {}", self.args, self.stderr);
        serde_json::from_str(self.stdout.trim()).unwrap_or_else(|e| {
            panic!(
                "{}: not JSON ({e}): {} {}",
                self.args, self.stdout, self.stderr
            )
        })
    }
}

impl Cli {
    fn run(&self, signer: Option<&str>, args: &[&str]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_p2pcloud"));
        command
            .args(["--url", &self.url, "--json", "-y"])
            .arg("--deployment")
            .arg(&self.deployment)
            .env_remove("P2PCLOUD_SECRET");
        if let Some(suri) = signer {
            command.args(["--suri", suri]);
        }
        let output = command.args(args).output().expect("the CLI runs");
        Run {
            args: args.join(" "),
            ok: output.status.success(),
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Runs a command that must be refused: a non-zero exit, the sentence
    /// `expected` on stderr and no Debug print.
    fn refused(&self, signer: Option<&str>, args: &[&str], expected: &str) {
        let run = self.run(signer, args);
        assert!(!run.ok, "{args:?} was accepted: {}", run.stdout);
        assert!(
            run.stderr.contains(expected),
            "{args:?}: expected {expected:?}, got {:?}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("Some("),
            "a Debug print: {}",
            run.stderr
        );
    }

    /// Runs a signing command without `-y` and answers "n": it shows the fee
    /// and the limits, submits nothing and exits non-zero.
    fn declined(&self, signer: &str, args: &[&str]) {
        use std::io::Write;
        let mut child = Command::new(env!("CARGO_BIN_EXE_p2pcloud"))
            .args(["--url", &self.url, "--suri", signer])
            .arg("--deployment")
            .arg(&self.deployment)
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the CLI runs");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(b"n\n")
            .expect("answer");
        let output = child.wait_with_output().expect("the CLI ends");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{args:?} went ahead: {stderr}");
        assert!(stderr.contains("Contracts::call: fee about"), "{stderr}");
        assert!(stderr.contains("storage deposit limit"), "{stderr}");
        assert!(
            stderr.contains("not confirmed: nothing was submitted"),
            "{stderr}"
        );
    }

    /// Runs a signing command without `-y` and with nothing to answer: it
    /// must be refused, saying each of `expected`, before it asks to submit
    /// anything (every submission is asked for first, with its fee).
    fn refused_before_asking(&self, signer: &str, args: &[&str], expected: &[&str]) {
        let output = Command::new(env!("CARGO_BIN_EXE_p2pcloud"))
            .args(["--url", &self.url, "--suri", signer])
            .arg("--deployment")
            .arg(&self.deployment)
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("the CLI runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{args:?} went ahead: {stderr}");
        for said in expected {
            assert!(
                stderr.contains(said),
                "{args:?}: expected {said:?}, got {stderr:?}"
            );
        }
        assert!(
            !stderr.contains("fee about"),
            "it asked to submit: {stderr}"
        );
    }

    /// Starts a looping command (`miner run`, `user run`, `watch`) signed by
    /// `signer`: its stdout lines with when each arrived, and its stderr
    /// lines once it ends.
    fn spawn_loop(
        &self,
        signer: &str,
        args: &[&str],
    ) -> (
        std::process::Child,
        std::sync::mpsc::Receiver<(std::time::Instant, String)>,
        std::thread::JoinHandle<Vec<String>>,
    ) {
        use std::io::{BufRead, BufReader};
        use std::process::Stdio;
        let mut child = Command::new(env!("CARGO_BIN_EXE_p2pcloud"))
            .args(["--url", &self.url, "--json", "-y", "--suri", signer])
            .arg("--deployment")
            .arg(&self.deployment)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the loop starts");
        let (lines, received) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = lines.send((std::time::Instant::now(), line));
            }
        });
        let stderr = child.stderr.take().expect("stderr");
        let errors = std::thread::spawn(move || {
            BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<_>>()
        });
        (child, received, errors)
    }

    /// Deploys with Alice as the one member; Bob offers one machine at 0.001
    /// mUSD a second; Charlie mints 1000, deposits `deposit` and books it.
    /// Returns the booking's id.
    fn charlie_booking(&self, deposit: &str) -> Value {
        let alice = ss58(&account_of(&dev::alice()));
        self.run(
            Some("//Alice"),
            &[
                "deploy",
                "--mock-stablecoin",
                "--member",
                &format!("{alice}:1"),
            ],
        )
        .json();
        self.run(
            Some("//Bob"),
            &[
                "offer",
                "add",
                "--vm-type",
                "1",
                "--price",
                "0.001",
                "--machines",
                "1",
            ],
        )
        .json();
        self.run(Some("//Charlie"), &["token", "mint", "1000"])
            .json();
        self.run(Some("//Charlie"), &["deposit", deposit]).json();
        self.run(Some("//Charlie"), &["book", "0", "--max-price", "0.001"])
            .json()["booking"]
            .clone()
    }

    fn free_balance(&self, who: &str) -> String {
        let report = self.run(Some(who), &["balance"]).json();
        report["free"].as_str().expect("free").to_string()
    }
}

/// A copy of the built bundles in `folder` whose broker is `broker_wat`.
fn bundles_with_broker(folder: &std::path::Path, broker_wat: &str) -> PathBuf {
    for (name, source) in built_wasm(&build_sh_folder())
        .expect("the bundles are built")
        .iter()
        .map(|file| (file.file_stem().expect("a file name"), file))
    {
        let name = name.to_str().expect("a UTF-8 name");
        std::fs::create_dir_all(folder.join(name)).expect("a temporary folder");
        let target = folder.join(name).join(format!("{name}.wasm"));
        if name == "broker" {
            std::fs::write(target, wat::parse_str(broker_wat).expect("valid WAT"))
                .expect("written");
        } else {
            std::fs::copy(source, target).expect("copied");
        }
    }
    folder.to_path_buf()
}

fn events(result: &Value) -> Vec<String> {
    result["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|event| event.as_str().expect("an event line").to_string())
        .collect()
}

fn has_event(result: &Value, name: &str) -> bool {
    events(result).iter().any(|event| event.starts_with(name))
}

#[test]
#[ignore = "needs substrate-contracts-node: scripts/test.sh runs it with --ignored where it is installed"]
fn the_whole_workflow_from_the_shell() {
    built_wasm(&build_sh_folder()).expect("the bundles are built (bash scripts/build.sh)");
    let node = DevNode::start().expect("substrate-contracts-node starts");
    let deployment = std::env::temp_dir().join(format!("p2pcloud-cli-{}.json", std::process::id()));
    let cli = Cli {
        url: node.url().to_string(),
        deployment: deployment.clone(),
    };
    node.wait_until_ready().expect("the node answers");
    let alice = ss58(&account_of(&dev::alice()));
    let eve = ss58(&account_of(&dev::eve()));

    // A node that goes away, before anything exists.
    let gone = Cli {
        url: "ws://127.0.0.1:9".into(),
        deployment: deployment.clone(),
    };
    gone.refused(
        Some("//Alice"),
        &["info"],
        "cannot read the deployment file",
    );

    // Bundles the chain would refuse (a broker that imports a host function
    // the node does not have) are refused before anything is submitted.
    let refused_bundles = bundles_with_broker(
        &deployment.with_extension("refused"),
        r#"(module (import "seal9" "teleport" (func)) (import "env" "memory" (memory 2 16))
            (func (export "call")) (func (export "deploy")))"#,
    );
    cli.refused_before_asking(
        "//Alice",
        &[
            "deploy",
            "--mock-stablecoin",
            "--member",
            &format!("{alice}:1"),
            "--contracts",
            refused_bundles.to_str().expect("a UTF-8 path"),
        ],
        &[
            "substrate-contracts-node (spec version 100, genesis 0x",
            "would refuse this code, so nothing was uploaded: broker: it imports seal9::teleport, \
             which the chain does not have",
        ],
    );
    let _ = std::fs::remove_dir_all(&refused_bundles);

    let deployed = cli
        .run(
            Some("//Alice"),
            &[
                "deploy",
                "--mock-stablecoin",
                "--member",
                &format!("{alice}:3"),
                "--member",
                &format!("{eve}:1"),
                "--voting-period",
                "6s",
                "--execution-period",
                "1h",
            ],
        )
        .json();
    assert!(deployment.is_file(), "deploy wrote the deployment file");
    assert_eq!(deployed["runtime"]["spec_name"], "substrate-contracts-node");
    // The deployed code is this build's, but no release is approved yet:
    // verify says so per contract and exits 1.
    let build = build_sh_folder();
    let verified = cli.run(
        None,
        &[
            "verify",
            "--contracts",
            build.to_str().expect("a UTF-8 path"),
        ],
    );
    assert!(!verified.ok, "an unapproved release was verified");
    let verdicts: Value = serde_json::from_str(verified.stdout.trim()).expect("JSON verdicts");
    for (row, subject) in [(0, "broker"), (1, "community")] {
        assert_eq!(verdicts[row]["subject"], subject, "{verdicts}");
        assert_eq!(verdicts[row]["approved"], false);
        assert!(
            verdicts[row]["verdict"]
                .as_str()
                .is_some_and(|v| v.contains("has not approved")),
            "{verdicts}"
        );
    }
    assert!(
        verified.stderr.contains("not verified"),
        "{}",
        verified.stderr
    );
    let info = cli.run(None, &["info"]).json();
    assert_eq!(info["broker"], deployed["broker"]);
    assert_eq!(info["community_fee_bps"], 500);
    assert_eq!(info["symbol"], "mUSD");
    gone.refused(Some("//Alice"), &["info"], "cannot reach the node");

    // Bob offers two machines at 0.001 mUSD a second; Charlie funds a week.
    let offer = cli
        .run(
            Some("//Bob"),
            &[
                "offer",
                "add",
                "--vm-type",
                "7",
                "--price",
                "0.001",
                "--machines",
                "2",
            ],
        )
        .json();
    assert!(has_event(&offer, "OfferAdded"), "{offer}");
    let offer_id = offer["offer"].to_string();
    let listed = cli.run(None, &["offers", "--vm-type", "7"]).json();
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(listed[0]["price_per_second"], "0.001");

    cli.run(Some("//Charlie"), &["token", "mint", "1000"])
        .json();
    let deposited = cli.run(Some("//Charlie"), &["deposit", "700"]).json();
    assert!(has_event(&deposited, "Deposited"), "{deposited}");
    assert_eq!(cli.free_balance("//Charlie"), "700");
    cli.declined("//Charlie", &["withdraw", "100"]);
    assert_eq!(
        cli.free_balance("//Charlie"),
        "700",
        "a declined withdrawal moved nothing"
    );

    // Refusals before anything moves: a price above the limit, a dry run.
    cli.refused(
        Some("//Charlie"),
        &["book", &offer_id, "--max-price", "0.0005"],
        "the offer costs more than the most you accept to pay",
    );
    let simulated = cli
        .run(
            Some("//Charlie"),
            &["--dry-run", "book", &offer_id, "--max-price", "0.001"],
        )
        .json();
    assert_eq!(simulated["submitted"], false);
    assert!(events(&simulated).is_empty(), "a dry run emits nothing");
    let bookings = cli.run(Some("//Charlie"), &["bookings"]).json();
    assert_eq!(
        bookings.as_array().map(Vec::len),
        Some(0),
        "the dry run booked nothing"
    );

    let booked = cli
        .run(
            Some("//Charlie"),
            &["book", &offer_id, "--max-price", "0.001"],
        )
        .json();
    assert!(has_event(&booked, "BookingStarted"), "{booked}");
    let booking_id = booked["booking"].to_string();
    std::thread::sleep(std::time::Duration::from_secs(2));
    // Nothing accrued at the latest block yet: a dev node has made none since
    // the booking. The claim is not submitted.
    cli.refused(
        Some("//Bob"),
        &["claim", &booking_id],
        "nothing has accrued yet",
    );
    // A dev node seals a block only for a transaction: one for the clock.
    cli.run(
        Some("//Bob"),
        &["miner-url", "--set", "https://bob.example"],
    )
    .json();

    // Bob's miner loop claims what accrued; Charlie reports and stops.
    let round = cli.run(Some("//Bob"), &["miner", "run", "--once"]);
    let claimed = round.json();
    assert_eq!(
        claimed["claimed_booking"].to_string(),
        booking_id,
        "{claimed}"
    );
    assert!(claimed["seconds"].as_u64().unwrap_or(0) >= 1, "{claimed}");
    // The miner sees how long Charlie's balance keeps paying.
    assert!(
        claimed["user_time_left"]
            .as_str()
            .is_some_and(|left| left.starts_with("runs out in ")),
        "{claimed}"
    );
    // The stop pays only whole seconds since the claim's block: without the
    // wait, a quick stop lands within the same second and pays nothing.
    std::thread::sleep(std::time::Duration::from_secs(2));
    let stopped = cli
        .run(
            Some("//Charlie"),
            &["stop", &booking_id, "--reason", "misbehaviour"],
        )
        .json();
    assert!(has_event(&stopped, "BookingReported"), "{stopped}");
    cli.refused(
        Some("//Bob"),
        &["claim", &booking_id],
        "there is no such active booking",
    );
    // Reported at its stop: nothing is left to report later.
    cli.refused(
        Some("//Charlie"),
        &["report", &booking_id],
        "no ended booking with this id waits for a report",
    );

    let free = cli.free_balance("//Charlie");
    let withdrawn = cli.run(Some("//Charlie"), &["withdraw", "all"]).json();
    assert_eq!(withdrawn["withdrawn"], free.as_str());
    assert_eq!(cli.free_balance("//Charlie"), "0");

    // The community collects its fee and lowers it by vote.
    let collected = cli.run(Some("//Alice"), &["community", "collect"]).json();
    assert!(has_event(&collected, "FeesCollected"), "{collected}");
    // No stablecoin change yet, so no fee book has closed.
    cli.refused(
        Some("//Alice"),
        &["community", "claim", "--book", "0"],
        "no closed fee book has this id",
    );
    let proposed = cli
        .run(
            Some("//Alice"),
            &[
                "community",
                "propose",
                "--description",
                "lower the fee",
                "fee",
                "300",
            ],
        )
        .json();
    let proposal = proposed["proposal"].to_string();
    cli.run(Some("//Alice"), &["community", "vote", &proposal, "yes"])
        .json();
    cli.refused(
        Some("//Alice"),
        &["community", "execute", &proposal],
        "the proposal is still open for votes",
    );
    std::thread::sleep(std::time::Duration::from_secs(7));
    // A dev node seals a block only for a transaction: one for the clock.
    cli.run(
        Some("//Eve"),
        &["miner-url", "--set", "https://eve.example"],
    )
    .json();
    let executed = cli
        .run(Some("//Eve"), &["community", "execute", &proposal])
        .json();
    assert!(has_event(&executed, "CommunityFeeChanged"), "{executed}");
    assert_eq!(cli.run(None, &["info"]).json()["community_fee_bps"], 300);
    let dave = ss58(&account_of(&dev::dave()));
    let membership = cli
        .run(
            Some("//Eve"),
            &["community", "propose", "add-member", &dave, "2"],
        )
        .json();
    let shown = cli
        .run(
            None,
            &["community", "proposal", &membership["proposal"].to_string()],
        )
        .json();
    assert_eq!(shown["state"], "voting", "{shown}");
    let expected = format!("add the member {dave} with weight 2");
    assert_eq!(shown["action"], expected.as_str(), "{shown}");

    // The indexer reads the finalized chain: the payment and the report.
    std::thread::sleep(std::time::Duration::from_secs(3));
    let db = std::env::temp_dir().join(format!("p2pcloud-cli-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&db);
    let db = db.to_string_lossy().into_owned();
    let indexed = cli.run(None, &["--db", &db, "index", "--once"]);
    assert!(indexed.ok, "{}", indexed.stderr);
    let bob = ss58(&account_of(&dev::bob()));
    let complaints = cli
        .run(
            None,
            &[
                "--db",
                &db,
                "events",
                "--kind",
                "complaint",
                "--miner",
                &bob,
            ],
        )
        .json();
    assert_eq!(complaints.as_array().map(Vec::len), Some(1), "{complaints}");
    assert_eq!(complaints[0]["booking"].to_string(), booking_id);
    let payments = cli
        .run(
            None,
            &["--db", &db, "events", "--kind", "payment", "--miner", &bob],
        )
        .json();
    let payments = payments.as_array().map(Vec::len).unwrap_or(0);
    assert!(payments >= 2, "the loop's claim and the stop's settlement");
    // Indexing again stores nothing twice.
    assert!(cli.run(None, &["--db", &db, "index", "--once"]).ok);
    let again = cli
        .run(None, &["--db", &db, "events", "--miner", &bob])
        .json();
    assert_eq!(
        again.as_array().map(Vec::len),
        Some(payments + 2),
        "payments, the stop and the report"
    );
    // The SDK reads the same events from the node's blocks, no index needed:
    // the index's rows, one for one, up to the block the index reached.
    let indexed_to = again
        .as_array()
        .and_then(|rows| rows.last())
        .map(|row| row["block"].to_string())
        .expect("an indexed event");
    let on_chain = cli
        .run(
            None,
            &[
                "events",
                "--chain",
                "--miner",
                &bob,
                "--to-block",
                &indexed_to,
            ],
        )
        .json();
    assert_eq!(on_chain, again, "events --chain and the index");
    let complaints_on_chain = cli
        .run(
            None,
            &["events", "--chain", "--kind", "complaint", "--miner", &bob],
        )
        .json();
    assert_eq!(complaints_on_chain, complaints);
    cli.refused(
        None,
        &["events", "--chain", "--after", "1:0"],
        "narrow the blocks instead",
    );
    // The community's events are kept whole, named from the metadata.
    let proposals = cli
        .run(None, &["--db", &db, "log", "--name", "ProposalCreated"])
        .json();
    assert_eq!(proposals.as_array().map(Vec::len), Some(2), "{proposals}");
    assert_eq!(proposals[0]["contract"], "community");
    let reputation = cli.run(None, &["--db", &db, "reputation", &bob]).json();
    assert_eq!(reputation["complaints"], 1, "{reputation}");
    cli.refused(
        None,
        &["--db", &db, "events", "--kind", "refund"],
        "is not a kind",
    );
    let _ = std::fs::remove_file(&db);

    // Bad input: each refused with a sentence, nothing changed.
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
    let _ = std::fs::remove_file(deployment);
}

#[test]
#[ignore = "needs substrate-contracts-node: scripts/test.sh runs it with --ignored where it is installed"]
fn the_miner_loop_survives_a_node_restart() {
    use std::{
        process::Stdio,
        time::{Duration, Instant},
    };
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

    // An indexer follows the chain all along; it is killed mid-stream below.
    let killed_db = std::env::temp_dir().join(format!("p2pcloud-killed-{id}.db"));
    let clean_db = std::env::temp_dir().join(format!("p2pcloud-clean-{id}.db"));
    let _ = std::fs::remove_file(&killed_db);
    let _ = std::fs::remove_file(&clean_db);
    let (killed_db, clean_db) = (
        killed_db.to_string_lossy().into_owned(),
        clean_db.to_string_lossy().into_owned(),
    );
    let mut indexer = Command::new(env!("CARGO_BIN_EXE_p2pcloud"))
        .args(["--url", &cli.url, "--db", &killed_db])
        .arg("--deployment")
        .arg(&deployment)
        .args(["index", "--every", "1s"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the indexer starts");

    let (mut miner, received, errors) = cli.spawn_loop("//Bob", &["miner", "run", "--every", "2s"]);
    // Dave keeps Charlie's bookings paid 9 days ahead (Charlie's 700 pay for
    // 8.1 days; every round past the first tops up what passing time used).
    cli.run(Some("//Dave"), &["token", "mint", "1000"]).json();
    let ledger = std::env::temp_dir().join(format!("p2pcloud-restart-ledger-{id}.json"));
    let _ = std::fs::remove_file(&ledger);
    let (mut topper, top_ups, top_up_errors) = cli.spawn_loop(
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
    );

    // The node goes away for a few rounds and comes back with its chain.
    std::thread::sleep(Duration::from_secs(1));
    node.stop();
    std::thread::sleep(Duration::from_secs(5));
    let restarted = Instant::now();
    node.restart().expect("the node restarts");
    node.wait_until_ready().expect("the node answers again");
    std::thread::sleep(Duration::from_secs(2));
    // A block after the restart, so the booking has time to pay for.
    cli.run(Some("//Alice"), &["token", "mint", "1"]).json();

    let deadline = Instant::now() + Duration::from_secs(90);
    let mut claimed = None;
    while claimed.is_none() && Instant::now() < deadline {
        if let Ok((_, line)) = received.recv_timeout(Duration::from_secs(1)) {
            let value: Value = serde_json::from_str(&line).expect("the loop prints JSON");
            if value["claimed_booking"] == booking {
                claimed = Some(value);
            }
        }
    }
    // The indexer is killed (SIGKILL) while the miner goes on claiming.
    indexer.kill().expect("kill the indexer");
    let _ = indexer.wait();
    // A dev node makes blocks only for transactions: some, so time passes
    // on chain and the loop has more to claim.
    for _ in 0..3 {
        std::thread::sleep(Duration::from_secs(2));
        cli.run(Some("//Alice"), &["token", "mint", "1"]).json();
    }
    std::thread::sleep(Duration::from_secs(3));
    let _ = miner.kill();
    let _ = miner.wait();
    let errors = errors.join().expect("stderr read").join("\n");
    let _ = topper.kill();
    let _ = topper.wait();
    let top_up_errors = top_up_errors.join().expect("stderr read").join("\n");
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
    let _ = std::fs::remove_file(&ledger);
    // Restarted, it catches up; a clean run over the same chain stores the same.
    std::thread::sleep(Duration::from_secs(3));
    let resumed = cli.run(None, &["--db", &killed_db, "index", "--once"]);
    assert!(resumed.ok, "{}", resumed.stderr);
    assert!(
        resumed.stderr.contains("resuming after block"),
        "the killed indexer had stored blocks before it was killed: {}",
        resumed.stderr
    );
    let fresh = cli.run(None, &["--db", &clean_db, "index", "--once"]);
    assert!(fresh.ok, "{}", fresh.stderr);
    let events = |db: &str| {
        cli.run(None, &["--db", db, "events", "--limit", "1000"])
            .json()
    };
    let (after_kill, clean) = (events(&killed_db), events(&clean_db));
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
    let _ = std::fs::remove_file(&killed_db);
    let _ = std::fs::remove_file(&clean_db);
    let claimed = claimed.unwrap_or_else(|| panic!("no claim after the restart: {errors}"));
    assert!(claimed["seconds"].as_u64().unwrap_or(0) >= 1, "{claimed}");
    // The miner sees how long Charlie's balance keeps paying.
    assert!(
        claimed["user_time_left"]
            .as_str()
            .is_some_and(|left| left.starts_with("runs out in ")),
        "{claimed}"
    );
    assert!(
        errors.contains("this round failed, trying again later"),
        "the loop saw the node go: {errors}"
    );
    drop(node);
    let _ = std::fs::remove_dir_all(base_path);
    let _ = std::fs::remove_file(deployment);
}

#[test]
#[ignore = "needs substrate-contracts-node: scripts/test.sh runs it with --ignored where it is installed"]
fn funding_by_others_warnings_and_top_ups_from_the_shell() {
    use std::time::{Duration, Instant};
    built_wasm(&build_sh_folder()).expect("the bundles are built (bash scripts/build.sh)");
    let node = DevNode::start().expect("substrate-contracts-node starts");
    let id = std::process::id();
    let deployment = std::env::temp_dir().join(format!("p2pcloud-funding-{id}.json"));
    let cli = Cli {
        url: node.url().to_string(),
        deployment: deployment.clone(),
    };
    node.wait_until_ready().expect("the node answers");
    let charlie = ss58(&account_of(&dev::charlie()));
    // Charlie funds a week and a bit (0.001 a second is 604.8 a week) and books.
    let booking = cli.charlie_booking("605");
    let balance = |who: &str| cli.run(None, &["balance", who]).json();
    let before = balance(&charlie);
    let old_run_out = before["runs_out_at"].as_u64().expect("a run-out moment");
    let time_left = before["time_left"].as_str().expect("time left");
    assert!(time_left.starts_with("runs out in 7 days"), "{time_left}");
    assert!(time_left.ends_with(" UTC"), "{time_left}");

    // The miner sees how long each user keeps paying.
    let rows = cli
        .run(
            None,
            &["bookings", "--miner", &ss58(&account_of(&dev::bob()))],
        )
        .json();
    assert_eq!(rows[0]["user_time_left"], before["time_left"], "{rows}");

    // A warning once the time left is under the threshold; none above it.
    let quiet = cli.run(None, &["watch", &charlie, "--warn-before", "6d", "--once"]);
    assert_eq!(quiet.code, Some(0), "{}", quiet.stderr);
    assert_eq!(quiet.stdout.trim(), "", "no warning above the threshold");
    let warned = cli.run(None, &["watch", &charlie, "--warn-before", "8d", "--once"]);
    assert_eq!(
        warned.code,
        Some(3),
        "a warning exits 3 for cron: {}",
        warned.stderr
    );
    let warning: Value = serde_json::from_str(warned.stdout.trim()).expect("one JSON line");
    assert_eq!(warning["account"], charlie.as_str());
    assert_eq!(warning["warning"], before["time_left"]);

    // Dave pays into Charlie's balance: it is Charlie's, Dave holds nothing.
    cli.run(Some("//Dave"), &["token", "mint", "1000"]).json();
    let funded = cli
        .run(Some("//Dave"), &["deposit", "100", "--for", &charlie])
        .json();
    assert!(has_event(&funded, "DepositedFor"), "{funded}");
    assert_eq!(funded["for"], charlie.as_str());
    assert_eq!(balance(&charlie)["deposited"], "705");
    assert_eq!(balance(&ss58(&account_of(&dev::dave())))["deposited"], "0");
    assert_eq!(
        cli.run(
            None,
            &["token", "balance", &ss58(&account_of(&dev::dave()))]
        )
        .json()["balance"],
        "900"
    );

    // Eve tops Charlie up to 10 days ahead, at most 50 a day: the cap holds
    // across runs, which say why they deposit less, or nothing.
    cli.run(Some("//Eve"), &["token", "mint", "1000"]).json();
    let ledger = std::env::temp_dir().join(format!("p2pcloud-funding-ledger-{id}.json"));
    let _ = std::fs::remove_file(&ledger);
    let top_up = |keep: &str, cap: &str| {
        cli.run(
            Some("//Eve"),
            &[
                "user",
                "run",
                "--for",
                &charlie,
                "--keep",
                keep,
                "--max-per-day",
                cap,
                "--once",
                "--ledger",
                ledger.to_str().expect("a UTF-8 path"),
            ],
        )
        .json()
    };
    let capped = top_up("10d", "50");
    assert_eq!(capped["deposited"], "50", "{capped}");
    let why = capped["why"].as_str().expect("why");
    assert!(why.contains("limited by the daily cap"), "{why}");
    let again = top_up("10d", "50");
    assert_eq!(again["deposited"], "0", "{again}");
    assert_eq!(again["why"], "nothing deposited: the daily cap is reached");
    assert_eq!(balance(&charlie)["deposited"], "755");
    // With room under the cap it keeps the bookings paid 10 days ahead,
    // well past the old run-out.
    let full = top_up("10d", "500");
    let deposited: f64 = full["deposited"]
        .as_str()
        .expect("an amount")
        .parse()
        .expect("a number");
    assert!(deposited > 0.0 && deposited < 450.0, "{full}");
    let after = balance(&charlie);
    let new_run_out = after["runs_out_at"].as_u64().expect("a run-out moment");
    assert!(new_run_out > old_run_out + 2 * 86_400_000, "{after}");
    assert!(
        after["time_left"]
            .as_str()
            .expect("time left")
            .starts_with("runs out in 10 days")
            || after["time_left"]
                .as_str()
                .expect("time left")
                .starts_with("runs out in 9 days 23 hours"),
        "{after}"
    );
    // Blocks since then used a little of the margin; a shorter one is met.
    let nothing = top_up("9d", "500");
    assert_eq!(nothing["deposited"], "0", "{nothing}");
    assert!(nothing["why"]
        .as_str()
        .expect("why")
        .starts_with("nothing deposited: paid for long enough"));

    // The watch follows the account and says when its booking ends.
    let (mut watch, lines, _) = cli.spawn_loop(
        "//Charlie",
        &["watch", &charlie, "--warn-before", "1d", "--every", "1s"],
    );
    std::thread::sleep(Duration::from_secs(4));
    cli.run(Some("//Charlie"), &["stop", &booking.to_string()])
        .json();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut ended = None;
    while ended.is_none() && Instant::now() < deadline {
        if let Ok((_, line)) = lines.recv_timeout(Duration::from_secs(1)) {
            let record: Value = serde_json::from_str(&line).expect("the watch prints JSON");
            if record["booking_ended"] == booking {
                ended = Some(record);
            }
        }
    }
    let _ = watch.kill();
    let _ = watch.wait();
    let ended = ended.expect("the watch said the booking ended");
    assert_eq!(ended["account"], charlie.as_str());
    let _ = std::fs::remove_file(ledger);
    let _ = std::fs::remove_file(deployment);
}

//! How the tests run the `p2pcloud` binary: one command and what it printed,
//! a refusal, a declined confirmation, a looping command, and the node and
//! deployment file each test starts from.
use p2pcloud_client::{
    bundles::{build_sh_folder, built_wasm},
    chain::{account_of, dev},
    domain::ss58,
    node::DevNode,
};
use serde_json::Value;
use std::{
    path::PathBuf,
    process::{Child, Command},
    sync::mpsc::Receiver,
    thread::JoinHandle,
    time::Instant,
};

/// A looping command (`miner run`, `user run`, `watch`) as it runs: the
/// child, its stdout lines with when each arrived, and its stderr lines
/// once it ends.
pub type Looping = (Child, Receiver<(Instant, String)>, JoinHandle<Vec<String>>);

/// The CLI pointed at a node and a deployment file.
pub struct Cli {
    pub url: String,
    pub deployment: PathBuf,
}

/// What one run printed and how it ended.
pub struct Run {
    args: String,
    pub ok: bool,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        assert!(self.ok, "{} failed: {}", self.args, self.stderr);
        serde_json::from_str(self.stdout.trim()).unwrap_or_else(|e| {
            panic!(
                "{}: not JSON ({e}): {} {}",
                self.args, self.stdout, self.stderr
            )
        })
    }
}

/// Checks the bundles are built, starts a fresh dev node and points the CLI
/// at it, with the deployment file `file` in the temporary folder.
pub fn start_node(file: &str) -> (DevNode, Cli) {
    built_wasm(&build_sh_folder()).expect("the bundles are built (bash scripts/build.sh)");
    let mut node = DevNode::start().expect("substrate-contracts-node starts");
    node.wait_until_ready().expect("the node answers");
    let cli = Cli {
        url: node.url().to_string(),
        deployment: std::env::temp_dir().join(file),
    };
    (node, cli)
}

impl Cli {
    pub fn run(&self, signer: Option<&str>, args: &[&str]) -> Run {
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
    pub fn refused(&self, signer: Option<&str>, args: &[&str], expected: &str) {
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
    pub fn declined(&self, signer: &str, args: &[&str]) {
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
    pub fn refused_before_asking(&self, signer: &str, args: &[&str], expected: &[&str]) {
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
    pub fn spawn_loop(&self, signer: &str, args: &[&str]) -> Looping {
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
                let _ = lines.send((Instant::now(), line));
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
    pub fn charlie_booking(&self, deposit: &str) -> Value {
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

    pub fn free_balance(&self, who: &str) -> String {
        let report = self.run(Some(who), &["balance"]).json();
        report["free"].as_str().expect("free").to_string()
    }
}

/// A copy of the built bundles in `folder` whose broker is `broker_wat`.
pub fn bundles_with_broker(folder: &std::path::Path, broker_wat: &str) -> PathBuf {
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

/// The event lines a command printed.
pub fn events(result: &Value) -> Vec<String> {
    result["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|event| event.as_str().expect("an event line").to_string())
        .collect()
}

/// Whether a command printed the event `name`.
pub fn has_event(result: &Value, name: &str) -> bool {
    events(result).iter().any(|event| event.starts_with(name))
}

/// A miner loop's claim: at least a second paid, and how long the user's
/// balance keeps paying.
pub fn assert_a_claim_with_time_left(claimed: &Value) {
    assert!(claimed["seconds"].as_u64().unwrap_or(0) >= 1, "{claimed}");
    assert!(
        claimed["user_time_left"]
            .as_str()
            .is_some_and(|left| left.starts_with("runs out in ")),
        "{claimed}"
    );
}

//! The options every command takes (`--url`, the key, `--json`, ...).
use clap::Args;
use std::path::PathBuf;

#[derive(Args)]
pub struct Global {
    /// The node's WebSocket RPC address.
    #[arg(long, global = true, default_value = "ws://127.0.0.1:9944")]
    pub url: String,
    /// The deployment file `deploy` wrote (the contracts' addresses).
    #[arg(
        long,
        global = true,
        env = "P2PCLOUD_DEPLOYMENT",
        default_value = "p2pcloud.json"
    )]
    pub deployment: PathBuf,
    /// A development account's secret URI, such as //Alice. Real keys go in
    /// P2PCLOUD_SECRET or a key file.
    #[arg(long, global = true)]
    pub suri: Option<String>,
    /// A file holding the secret URI or mnemonic, readable by its owner only
    /// (mode 0600 or stricter).
    #[arg(long, global = true)]
    pub key_file: Option<PathBuf>,
    /// Only simulate: show what the message would answer and cost.
    #[arg(long, global = true)]
    pub dry_run: bool,
    /// Submit without asking for confirmation.
    #[arg(short = 'y', long = "yes", global = true)]
    pub yes: bool,
    /// Wait for finality, not only for inclusion in a block.
    #[arg(long, global = true)]
    pub finalized: bool,
    /// The event index: a SQLite file, or a postgres:// URL.
    #[arg(
        long,
        global = true,
        env = "P2PCLOUD_DB",
        default_value = "p2pcloud-events.db"
    )]
    pub db: String,
    /// Print JSON instead of tables, for scripts.
    #[arg(long, global = true)]
    pub json: bool,
}

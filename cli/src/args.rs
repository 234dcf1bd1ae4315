//! The command line: every command, option and argument (clap).
use crate::describe::parse_hash;
use broker::types::{BookingId, OfferId, TokenCallLimits};
use clap::{Args, Parser, Subcommand};
use community::types::{Action, BrokerCall, ProposalId, Release, ReleaseKind, Weight};
use p2pcloud_client::events::parse_account;
use p2pcloud_indexer::api::{EventQuery, SearchQuery};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "p2pcloud",
    version,
    about = "Book and pay for VMs on the p2pcloud contracts"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

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

#[derive(Subcommand)]
pub enum Command {
    /// Deploy the protocol (broker code, community, broker) and write the
    /// deployment file.
    Deploy(DeployArgs),
    /// A miner's offers.
    #[command(subcommand)]
    Offer(OfferCommand),
    /// Offers with a free machine, optionally of one VM type.
    Offers {
        #[arg(long)]
        vm_type: Option<u32>,
    },
    /// Deposit stablecoin into the broker (approves the broker first); with
    /// --for, into another account's balance, which only it may spend.
    Deposit {
        amount: String,
        #[arg(long = "for", value_name = "ACCOUNT")]
        beneficiary: Option<String>,
    },
    /// Withdraw from the broker what is free ("all" for everything free).
    Withdraw { amount: String },
    /// What an account holds in the broker, owes, has locked and may withdraw.
    Balance { account: Option<String> },
    /// Book a machine of an offer, paying at most --max-price per second.
    Book {
        offer: OfferId,
        #[arg(long)]
        max_price: String,
    },
    /// Stop a booking: reason ok (done), misbehaviour (report the miner), or
    /// terminated (the miner ends it).
    Stop {
        booking: BookingId,
        #[arg(long, default_value = "ok")]
        reason: String,
    },
    /// Report the miner of a booking that someone else ended (its user only,
    /// within 7 days of the end): when the miner ended it first, say.
    Report { booking: BookingId },
    /// Claim what a booking accrued (its miner only).
    Claim { booking: BookingId },
    /// One booking, or an account's bookings as user (default) or miner.
    Bookings {
        #[arg(long, conflicts_with = "miner")]
        user: Option<String>,
        #[arg(long)]
        miner: Option<String>,
        #[arg(long, conflicts_with_all = ["user", "miner"])]
        id: Option<BookingId>,
    },
    /// A miner's URL; with --set, set your own.
    MinerUrl {
        #[arg(long)]
        set: Option<String>,
        miner: Option<String>,
    },
    /// The stablecoin: the signer's (or an account's) balance; `mint` works on psp22-mock only.
    #[command(subcommand)]
    Token(TokenCommand),
    /// The protocol's settings and the chain's time.
    Info,
    /// Governance: propose, vote, execute, collect fees, claim a share.
    #[command(subcommand)]
    Community(CommunityCommand),
    /// A miner's loop.
    #[command(subcommand)]
    Miner(MinerCommand),
    /// A user's loop: keep a balance topped up.
    #[command(subcommand)]
    User(UserCommand),
    /// Whether the deployed broker and community (or an upgrade proposal)
    /// run code rebuilt from known sources and approved by the community;
    /// exit 1 when not.
    Verify(VerifyArgs),
    /// Warn before balances run out and say when bookings end (cron: --once
    /// exits 3 after a warning; systemd: runs until stopped).
    Watch(WatchArgs),
    /// Index the broker's events from the node's finalized blocks into --db,
    /// resuming where the last run stopped.
    Index {
        /// The first block to read on a fresh index.
        #[arg(long, default_value_t = 1)]
        from_block: u64,
        /// Stop once this block is indexed (default: follow for ever).
        #[arg(long, conflicts_with = "once")]
        until: Option<u64>,
        /// Index what is finalized now, then stop.
        #[arg(long)]
        once: bool,
        /// How often to look for newly finalized blocks.
        #[arg(long, default_value = "6s")]
        every: String,
    },
    /// Payment, stop and complaint events, oldest first: from the index, or
    /// with --chain from the node's blocks.
    Events(EventsArgs),
    /// Every indexed event of the broker and the community, oldest first.
    Log {
        /// Only events with this name, such as ProposalCreated.
        #[arg(long)]
        name: Option<String>,
        /// At most this many (1 to 1000).
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// A miner's reputation from the index (the formula is in the README).
    Reputation { miner: String },
    /// Offers with a free machine that meet a minimum spec, by price or reputation.
    Search(SearchArgs),
    /// Serve the JSON API: /events, /miners/{account}/reputation, /offers/search.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// The VM type catalogue for /offers/search.
        #[arg(long)]
        catalogue: PathBuf,
        /// How often to read the offers from the broker.
        #[arg(long, default_value = "30s")]
        refresh: String,
    },
}

#[derive(Args)]
pub struct EventsArgs {
    /// payment, complaint or stop.
    #[arg(long)]
    pub kind: Option<String>,
    #[arg(long)]
    pub user: Option<String>,
    #[arg(long)]
    pub miner: Option<String>,
    /// A stop reason: ok, misbehaviour, terminated, non-payment, community.
    #[arg(long)]
    pub reason: Option<String>,
    #[arg(long)]
    pub from_block: Option<u64>,
    #[arg(long)]
    pub to_block: Option<u64>,
    /// Continue after this event: the `next` of the previous page (BLOCK:EVENT).
    #[arg(long)]
    pub after: Option<String>,
    /// At most this many events (1 to 1000).
    #[arg(long, default_value_t = 100)]
    pub limit: u32,
    /// Read the node's blocks instead of the index (no `p2pcloud index`
    /// needed): the last 10 000 blocks unless --from-block says otherwise,
    /// and at most 10 000 at once.
    #[arg(long)]
    pub chain: bool,
}

impl EventsArgs {
    pub fn query(&self) -> EventQuery {
        EventQuery {
            kind: self.kind.clone(),
            user: self.user.clone(),
            miner: self.miner.clone(),
            reason: self.reason.clone(),
            from_block: self.from_block.map(|block| block.to_string()),
            to_block: self.to_block.map(|block| block.to_string()),
            after: self.after.clone(),
            limit: Some(self.limit.to_string()),
        }
    }
}

#[derive(Args)]
pub struct SearchArgs {
    /// The VM type catalogue (JSON; indexer/data/catalogue.sample.json shows the form).
    #[arg(long)]
    pub catalogue: PathBuf,
    #[arg(long)]
    pub min_cpu: Option<u32>,
    #[arg(long)]
    pub min_ram_gb: Option<u32>,
    #[arg(long)]
    pub min_disk_gb: Option<u32>,
    /// hdd, ssd or nvme, as the catalogue names them.
    #[arg(long)]
    pub disk_speed: Option<String>,
    #[arg(long)]
    pub min_network_mbps: Option<u32>,
    #[arg(long)]
    pub region: Option<String>,
    /// The most per second, in the token's smallest units.
    #[arg(long)]
    pub max_price: Option<u128>,
    /// price or reputation.
    #[arg(long, default_value = "price")]
    pub sort: String,
}

impl SearchArgs {
    pub fn query(&self) -> SearchQuery {
        SearchQuery {
            min_cpu: self.min_cpu.map(|n| n.to_string()),
            min_ram_gb: self.min_ram_gb.map(|n| n.to_string()),
            min_disk_gb: self.min_disk_gb.map(|n| n.to_string()),
            disk_speed: self.disk_speed.clone(),
            min_network_mbps: self.min_network_mbps.map(|n| n.to_string()),
            region: self.region.clone(),
            max_price: self.max_price.map(|n| n.to_string()),
            sort: Some(self.sort.clone()),
        }
    }
}

#[derive(Args)]
pub struct DeployArgs {
    /// An existing PSP22 stablecoin.
    #[arg(
        long,
        conflicts_with = "mock_stablecoin",
        required_unless_present = "mock_stablecoin"
    )]
    pub stablecoin: Option<String>,
    /// Deploy psp22-mock (6 decimals, open mint) as the stablecoin: test chains only.
    #[arg(long)]
    pub mock_stablecoin: bool,
    /// A founding member as ADDRESS:WEIGHT (repeat it).
    #[arg(long = "member", required = true)]
    pub members: Vec<String>,
    /// The quorum in basis points of the total weight.
    #[arg(long, default_value_t = 5_000)]
    pub quorum_bps: u16,
    #[arg(long, default_value = "7d")]
    pub voting_period: String,
    #[arg(long, default_value = "7d")]
    pub execution_period: String,
    /// The folder of built bundles (`scripts/build.sh` output). By default
    /// the per-call-limits build if the chain takes it, else the stable one
    /// (which Aleph Zero takes: docs/DEPLOY.md#chains).
    #[arg(long)]
    pub contracts: Option<PathBuf>,
    /// Deploy to a runtime that has no table in chains/: its code length,
    /// memory and Wasm features are still checked, its host functions not.
    #[arg(long)]
    pub unlisted_chain: bool,
}

#[derive(Args)]
pub struct VerifyArgs {
    /// A release manifest (releases/<version>.json) to check against,
    /// instead of the local builds.
    #[arg(long, conflicts_with = "contracts")]
    pub release: Option<PathBuf>,
    /// Folders of local reproducible builds (default: both profiles
    /// `scripts/build.sh` leaves).
    #[arg(long)]
    pub contracts: Vec<PathBuf>,
    /// Check the code this upgrade proposal would install, instead of the
    /// deployed code.
    #[arg(long)]
    pub proposal: Option<ProposalId>,
}

#[derive(Args)]
pub struct WatchArgs {
    /// The accounts to watch (default: the signer's).
    pub accounts: Vec<String>,
    /// Warn when an account's bookings are paid for less than this ahead.
    #[arg(long, default_value = "1d")]
    pub warn_before: String,
    #[arg(long, default_value = "1m")]
    pub every: String,
    /// One round: print what is due and exit (3 if it warned).
    #[arg(long)]
    pub once: bool,
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Keep the signer's balance (or --for ACCOUNT's) paying its bookings at
    /// least --keep ahead, depositing from the signer's wallet, at most
    /// --max-per-day in any day; every --every until stopped.
    Run(TopUpArgs),
}

#[derive(Args)]
pub struct TopUpArgs {
    /// How far ahead the bookings must stay paid, such as 3d.
    #[arg(long)]
    pub keep: String,
    /// The most deposited in any day, in whole tokens.
    #[arg(long)]
    pub max_per_day: String,
    /// Keep another account's balance (deposit_for).
    #[arg(long = "for", value_name = "ACCOUNT")]
    pub beneficiary: Option<String>,
    #[arg(long, default_value = "10m")]
    pub every: String,
    /// One round only.
    #[arg(long)]
    pub once: bool,
    /// Where the last day's deposits are kept, so the cap holds across runs.
    #[arg(long, default_value = "p2pcloud-top-ups.json")]
    pub ledger: PathBuf,
}

#[derive(Subcommand)]
pub enum OfferCommand {
    /// Offer `machines` VMs of a type at a price per second.
    Add {
        #[arg(long)]
        vm_type: u32,
        #[arg(long)]
        price: String,
        #[arg(long)]
        machines: u32,
        /// The 32-byte hash of the VM's spec document, hex.
        #[arg(long)]
        specs: Option<String>,
    },
    /// Change an offer's price (for new bookings) and machines.
    Update {
        offer: OfferId,
        #[arg(long)]
        price: String,
        #[arg(long)]
        machines: u32,
    },
    /// Remove an offer, or close it to new bookings while it has some.
    Close { offer: OfferId },
    /// A miner's offers (default: the signer's).
    List { miner: Option<String> },
}

#[derive(Subcommand)]
pub enum TokenCommand {
    Balance { account: Option<String> },
    Mint { amount: String },
}

#[derive(Subcommand)]
pub enum CommunityCommand {
    /// Propose an action; members then vote on it.
    Propose {
        /// Why, for the members (at most 512 bytes).
        #[arg(long, default_value = "")]
        description: String,
        #[command(subcommand)]
        action: ProposedAction,
    },
    /// Vote yes or no on a proposal.
    Vote { proposal: ProposalId, vote: String },
    /// Execute a passed proposal.
    Execute { proposal: ProposalId },
    /// A proposal and its state.
    Proposal { proposal: ProposalId },
    /// Move the fees waiting in the broker into the community.
    Collect,
    /// Claim the signer's share of collected fees: of the current fee book, or
    /// with --book of a book closed by a stablecoin change (paid in its token).
    Claim {
        #[arg(long)]
        book: Option<u32>,
    },
}

/// What a proposal does once passed and executed.
#[derive(Subcommand)]
pub enum ProposedAction {
    /// Set the community fee, in basis points (at most 2500).
    Fee {
        fee_bps: u16,
    },
    /// Move the broker to another PSP22 stablecoin.
    Stablecoin {
        address: String,
    },
    /// Offer the broker to a successor community contract.
    CommunityContract {
        address: String,
    },
    /// Take over the broker this community was offered.
    AcceptCommunity,
    /// Replace the broker's code (then its storage is migrated).
    UpgradeBroker {
        code_hash: String,
    },
    /// Replace this community's own code.
    UpgradeCommunity {
        code_hash: String,
    },
    /// End a booking with reason CommunityTerminated.
    TerminateBooking {
        booking: BookingId,
    },
    /// What each broker call into the stablecoin may spend.
    TokenCallLimits {
        ref_time: u64,
        proof_size: u64,
        storage_deposit: u128,
    },
    AddMember {
        address: String,
        weight: Weight,
    },
    RemoveMember {
        address: String,
    },
    ChangeWeight {
        address: String,
        weight: Weight,
    },
    /// Approve a protocol or SDK release by its content hash.
    ApproveRelease {
        /// protocol or sdk
        kind: String,
        name: String,
        version: String,
        content_hash: String,
    },
}

impl ProposedAction {
    pub fn action(self) -> Result<Action, String> {
        let broker = |call| Ok(Action::Broker(call));
        match self {
            Self::Fee { fee_bps } => broker(BrokerCall::SetCommunityFee(fee_bps)),
            Self::Stablecoin { address } => {
                broker(BrokerCall::SetStablecoin(parse_account(&address)?))
            }
            Self::CommunityContract { address } => {
                broker(BrokerCall::SetCommunityContract(parse_account(&address)?))
            }
            Self::AcceptCommunity => broker(BrokerCall::AcceptCommunity),
            Self::UpgradeBroker { code_hash } => {
                broker(BrokerCall::UpgradeCode(parse_hash(&code_hash)?.into()))
            }
            Self::UpgradeCommunity { code_hash } => {
                Ok(Action::UpgradeCommunity(parse_hash(&code_hash)?.into()))
            }
            Self::TerminateBooking { booking } => broker(BrokerCall::TerminateBooking(booking)),
            Self::TokenCallLimits {
                ref_time,
                proof_size,
                storage_deposit,
            } => broker(BrokerCall::SetTokenCallLimits(TokenCallLimits {
                ref_time,
                proof_size,
                storage_deposit,
            })),
            Self::AddMember { address, weight } => Ok(Action::AddMember {
                account: parse_account(&address)?,
                weight,
            }),
            Self::RemoveMember { address } => Ok(Action::RemoveMember {
                account: parse_account(&address)?,
            }),
            Self::ChangeWeight { address, weight } => Ok(Action::ChangeWeight {
                account: parse_account(&address)?,
                weight,
            }),
            Self::ApproveRelease {
                kind,
                name,
                version,
                content_hash,
            } => {
                let kind = match kind.as_str() {
                    "protocol" => ReleaseKind::Protocol,
                    "sdk" => ReleaseKind::Sdk,
                    other => {
                        return Err(format!("{other:?} is not a release kind: protocol or sdk"))
                    }
                };
                Ok(Action::ApproveRelease(Release {
                    kind,
                    name,
                    version,
                    content_hash: parse_hash(&content_hash)?.into(),
                }))
            }
        }
    }
}

#[derive(Subcommand)]
pub enum MinerCommand {
    /// Claim every booking's payment now and then every --every, until stopped;
    /// a node that goes away is waited for.
    Run {
        #[arg(long, default_value = "10m")]
        every: String,
        /// One round only.
        #[arg(long)]
        once: bool,
    },
}

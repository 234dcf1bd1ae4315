//! `p2pcloud`: the protocol from the shell, for miners, users and community
//! members, on any chain with pallet-contracts (`--url`, default a local
//! `substrate-contracts-node --dev`). Every message is dry-run first: a
//! refusal is printed as a sentence with a non-zero exit code and nothing is
//! submitted; otherwise the estimate is shown and confirmed (`-y` skips the
//! question, `--dry-run` stops there).
mod keys;
mod output;
mod units;

use broker::types::TokenCallLimits;
use broker::types::{Booking, BookingId, Offer, OfferId};
use clap::{Args, Parser, Subcommand};
use community::types::{Action, BrokerCall, ProposalId, Release, ReleaseKind, VotingRules, Weight};
use ink::primitives::AccountId;
use output::{Output, Record};
use p2pcloud_client::{
    bundles::{build_sh_folder, built_wasm},
    chain::{account_of, Chain, Keypair, Outcome},
    events::{describe, hex_bytes, parse_account, parse_hex32, ss58},
    node::{NodeChain, Submission},
    protocol::Protocol,
    sdk::{P2pCloud, Session, TokenInfo},
    Error,
};
use p2pcloud_common::StopReason;
use serde_json::json;
use std::{io::Write, path::PathBuf, time::Duration};
use units::{format_amount, format_duration_ms, parse_amount, parse_duration_ms};

#[derive(Parser)]
#[command(
    name = "p2pcloud",
    version,
    about = "Book and pay for VMs on the p2pcloud contracts"
)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct Global {
    /// The node's WebSocket RPC address.
    #[arg(long, global = true, default_value = "ws://127.0.0.1:9944")]
    url: String,
    /// The deployment file `deploy` wrote (the contracts' addresses).
    #[arg(
        long,
        global = true,
        env = "P2PCLOUD_DEPLOYMENT",
        default_value = "p2pcloud.json"
    )]
    deployment: PathBuf,
    /// A development account's secret URI, such as //Alice. Real keys go in
    /// P2PCLOUD_SECRET or a key file.
    #[arg(long, global = true)]
    suri: Option<String>,
    /// A file holding the secret URI or mnemonic, readable by its owner only
    /// (mode 0600 or stricter).
    #[arg(long, global = true)]
    key_file: Option<PathBuf>,
    /// Only simulate: show what the message would answer and cost.
    #[arg(long, global = true)]
    dry_run: bool,
    /// Submit without asking for confirmation.
    #[arg(short = 'y', long = "yes", global = true)]
    yes: bool,
    /// Wait for finality, not only for inclusion in a block.
    #[arg(long, global = true)]
    finalized: bool,
    /// Print JSON instead of tables, for scripts.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Subcommand)]
enum Command {
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
    /// Deposit stablecoin into the broker (approves the broker first).
    Deposit { amount: String },
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
}

#[derive(Args)]
struct DeployArgs {
    /// An existing PSP22 stablecoin.
    #[arg(
        long,
        conflicts_with = "mock_stablecoin",
        required_unless_present = "mock_stablecoin"
    )]
    stablecoin: Option<String>,
    /// Deploy psp22-mock (6 decimals, open mint) as the stablecoin: test chains only.
    #[arg(long)]
    mock_stablecoin: bool,
    /// A founding member as ADDRESS:WEIGHT (repeat it).
    #[arg(long = "member", required = true)]
    members: Vec<String>,
    /// The quorum in basis points of the total weight.
    #[arg(long, default_value_t = 5_000)]
    quorum_bps: u16,
    #[arg(long, default_value = "7d")]
    voting_period: String,
    #[arg(long, default_value = "7d")]
    execution_period: String,
    /// The folder of built bundles (`scripts/build.sh` output).
    #[arg(long)]
    contracts: Option<PathBuf>,
}

#[derive(Subcommand)]
enum OfferCommand {
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
enum TokenCommand {
    Balance { account: Option<String> },
    Mint { amount: String },
}

#[derive(Subcommand)]
enum CommunityCommand {
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
    /// Claim the signer's share of collected fees.
    Claim,
}

/// What a proposal does once passed and executed.
#[derive(Subcommand)]
enum ProposedAction {
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
    fn action(self) -> Result<Action, String> {
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
enum MinerCommand {
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

/// What `deploy` writes and every other command reads.
#[derive(serde::Serialize, serde::Deserialize)]
struct Deployment {
    stablecoin: String,
    community: String,
    broker: String,
    /// The bundles deployed, whose metadata names the events.
    #[serde(default)]
    bundles: Option<PathBuf>,
}

fn main() {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a single-threaded runtime starts");
    let out = Output::new(cli.global.json);
    if let Err(why) = runtime.block_on(run(cli, &out)) {
        eprintln!("p2pcloud: {why}");
        std::process::exit(1);
    }
}

async fn connect(global: &Global, wasm: Vec<PathBuf>) -> Result<NodeChain, String> {
    let chain = NodeChain::connect(&global.url, wasm)
        .await
        .map_err(|e| e.to_string())?;
    let quiet = global.json;
    let chain = chain
        .wait_for_finality(global.finalized)
        .with_progress(Box::new(move |status| {
            if !quiet {
                eprintln!("  .. {status}");
            }
        }));
    Ok(if global.yes {
        chain
    } else {
        chain.confirm_with(Box::new(confirm))
    })
}

fn signer(global: &Global) -> Result<Keypair, String> {
    keys::signer(global.suri.as_deref(), global.key_file.as_deref())
}

/// A session with the deployed protocol, signing as the given key.
async fn session(global: &Global) -> Result<Session<NodeChain>, String> {
    let text = std::fs::read_to_string(&global.deployment).map_err(|e| {
        format!(
            "cannot read the deployment file {}: {e} (deploy first, or pass --deployment)",
            global.deployment.display()
        )
    })?;
    let deployment: Deployment = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{} is not a deployment file: {e}",
            global.deployment.display()
        )
    })?;
    let protocol = Protocol::at(
        parse_account(&deployment.community)?,
        parse_account(&deployment.broker)?,
    );
    if let Some(folder) = &deployment.bundles {
        p2pcloud_client::events::use_metadata_from(folder.clone());
    }
    // Queries need no key: without one they are dry runs from a well-known
    // account. A key that was given but cannot be used is an error.
    let signer = if key_given(global) {
        signer(global)?
    } else {
        p2pcloud_client::chain::dev::alice()
    };
    let chain = connect(global, Vec::new()).await?;
    let mut session = Session::new(chain, protocol, signer).simulate(global.dry_run);
    // The broker must answer at that address, or nothing else will make sense.
    session
        .community_contract()
        .await
        .map_err(|e| format!("no p2pcloud broker answers at {}: {e}", deployment.broker))?;
    Ok(session)
}

/// Shows the limits and the fee and asks; anything but "y" or "yes" declines.
fn confirm(submission: &Submission) -> bool {
    let limits = submission
        .limits
        .map_or_else(String::new, |(gas, deposit)| {
            format!(
                ", gas limit {} ref_time / {} proof bytes, storage deposit limit {}",
                gas.ref_time(),
                gas.proof_size(),
                format_amount(deposit, submission.native_decimals)
            )
        });
    eprintln!(
        "{}: fee about {} {}{limits} (dry run plus {}%; unused gas is refunded)",
        submission.call,
        format_amount(submission.fee, submission.native_decimals),
        submission.native_symbol,
        p2pcloud_client::chain::GAS_MARGIN_PERCENT
    );
    eprint!("submit? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).is_ok()
        && matches!(answer.trim().to_lowercase().as_str(), "y" | "yes")
}

/// Needs a key: commands that sign.
fn needs_key(global: &Global) -> Result<(), String> {
    signer(global).map(|_| ())
}

async fn run(cli: Cli, out: &Output) -> Result<(), String> {
    let global = &cli.global;
    match cli.command {
        Command::Deploy(args) => deploy(global, args, out).await,
        Command::Miner(MinerCommand::Run { every, once }) => {
            needs_key(global)?;
            let every_ms = parse_duration_ms(&every)?;
            if every_ms < 1_000 {
                return Err("--every is at least 1s".into());
            }
            miner_run(global, every_ms, once, out).await
        }
        command => {
            let mut session = session(global).await?;
            let token = session.token().await.map_err(say)?;
            if signs(&command) {
                needs_key(global)?;
            }
            act(&mut session, &token, command, global, out).await
        }
    }
}

fn signs(command: &Command) -> bool {
    !matches!(
        command,
        Command::Offers { .. }
            | Command::Balance { .. }
            | Command::Bookings { .. }
            | Command::MinerUrl { set: None, .. }
            | Command::Token(TokenCommand::Balance { .. })
            | Command::Info
            | Command::Offer(OfferCommand::List { .. })
            | Command::Community(CommunityCommand::Proposal { .. })
    )
}

fn say(error: Error) -> String {
    error.to_string()
}

/// The account given, or the signer's own.
fn account_or_own<C: Chain>(
    session: &Session<C>,
    global: &Global,
    given: Option<String>,
) -> Result<AccountId, String> {
    match given {
        Some(text) => parse_account(&text),
        None if key_given(global) => Ok(session.account()),
        None => Err(format!(
            "name the account, or give your key ({}, --key-file or --suri)",
            keys::SECRET_VARIABLE
        )),
    }
}

/// Whether the command line or the environment names a key.
fn key_given(global: &Global) -> bool {
    global.suri.is_some()
        || global.key_file.is_some()
        || std::env::var_os(keys::SECRET_VARIABLE).is_some()
}

async fn act(
    session: &mut Session<NodeChain>,
    token: &TokenInfo,
    command: Command,
    global: &Global,
    out: &Output,
) -> Result<(), String> {
    let amount = |text: &str| parse_amount(text, token.decimals);
    match command {
        Command::Offer(OfferCommand::Add {
            vm_type,
            price,
            machines,
            specs,
        }) => {
            let specs = specs.map_or(Ok([0; 32]), |hex| parse_hash(&hex))?;
            let sent = session
                .add_offer(vm_type, amount(&price)?, machines, specs)
                .await
                .map_err(|e| format!("offer not added: {e}"))?;
            sent_record(out, global, &sent, json!({ "offer": sent.value }));
        }
        Command::Offer(OfferCommand::Update {
            offer,
            price,
            machines,
        }) => {
            let sent = session
                .update_offer(offer, amount(&price)?, machines)
                .await
                .map_err(|e| format!("offer {offer} not updated: {e}"))?;
            sent_record(out, global, &sent, json!({ "offer": offer }));
        }
        Command::Offer(OfferCommand::Close { offer }) => {
            let sent = session
                .remove_offer(offer)
                .await
                .map_err(|e| format!("offer {offer} not closed: {e}"))?;
            sent_record(out, global, &sent, json!({ "offer": offer }));
        }
        Command::Offer(OfferCommand::List { miner }) => {
            let miner = account_or_own(session, global, miner)?;
            let offers = session.miner_offers(miner).await.map_err(say)?;
            out.table(
                &offers
                    .iter()
                    .map(|(id, offer)| offer_row(*id, offer, token))
                    .collect::<Vec<_>>(),
            );
        }
        Command::Offers { vm_type } => {
            let offers = session.available_offers(vm_type).await.map_err(say)?;
            out.table(
                &offers
                    .iter()
                    .map(|(id, offer)| offer_row(*id, offer, token))
                    .collect::<Vec<_>>(),
            );
        }
        Command::Deposit { amount: text } => {
            let value = amount(&text)?;
            let sent = session
                .deposit(value)
                .await
                .map_err(|e| format!("nothing deposited: {e}"))?;
            sent_record(
                out,
                global,
                &sent,
                json!({ "deposited": format_amount(value, token.decimals), "symbol": token.symbol }),
            );
        }
        Command::Withdraw { amount: text } => {
            let value = if text == "all" {
                let own = session.account();
                session.balance(own).await.map_err(say)?.free
            } else {
                amount(&text)?
            };
            let sent = session
                .withdraw(value)
                .await
                .map_err(|e| format!("nothing withdrawn: {e}"))?;
            sent_record(
                out,
                global,
                &sent,
                json!({ "withdrawn": format_amount(value, token.decimals), "symbol": token.symbol }),
            );
        }
        Command::Balance { account } => {
            let account = account_or_own(session, global, account)?;
            let report = session.balance(account).await.map_err(say)?;
            let now = session.now().await.map_err(say)?;
            let money = |units| format_amount(units, token.decimals);
            out.record(&json!({
                "account": ss58(&account),
                "deposited": money(report.deposited),
                "owed": money(report.owed),
                "locked": money(report.locked),
                "free": money(report.free),
                "symbol": token.symbol,
                "runs_out_in": report.runs_out_at.map(|at| format_duration_ms(at.saturating_sub(now))),
            }));
        }
        Command::Book { offer, max_price } => {
            let sent = session
                .book(offer, amount(&max_price)?)
                .await
                .map_err(|e| format!("offer {offer} not booked: {e}"))?;
            sent_record(
                out,
                global,
                &sent,
                json!({ "booking": sent.value, "offer": offer }),
            );
        }
        Command::Stop { booking, reason } => {
            let reason = match reason.as_str() {
                "ok" => StopReason::Ok,
                "misbehaviour" | "misbehavior" | "report" => StopReason::MinerMisbehaviour,
                "terminated" => StopReason::MinerTerminated,
                other => {
                    return Err(format!(
                        "{other:?} is not a reason: ok, misbehaviour or terminated"
                    ))
                }
            };
            let sent = session
                .stop(booking, reason)
                .await
                .map_err(|e| format!("booking {booking} not stopped: {e}"))?;
            sent_record(out, global, &sent, json!({ "booking": booking }));
        }
        Command::Claim { booking } => {
            let sent = session
                .claim_payment(booking)
                .await
                .map_err(|e| format!("booking {booking} not claimed: {e}"))?;
            sent_record(out, global, &sent, json!({ "booking": booking }));
        }
        Command::Bookings { user, miner, id } => {
            let now = session.now().await.map_err(say)?;
            let bookings = match (id, miner) {
                (Some(id), _) => session
                    .booking(id)
                    .await
                    .map_err(say)?
                    .map(|booking| vec![(id, booking)])
                    .ok_or_else(|| format!("booking {id} is not active"))?,
                (None, Some(miner)) => session
                    .miner_bookings(parse_account(&miner)?)
                    .await
                    .map_err(say)?,
                (None, None) => {
                    let user = account_or_own(session, global, user)?;
                    session.user_bookings(user).await.map_err(say)?
                }
            };
            out.table(
                &bookings
                    .iter()
                    .map(|(id, booking)| booking_row(*id, booking, token, now))
                    .collect::<Vec<_>>(),
            );
        }
        Command::MinerUrl { set: Some(url), .. } => {
            let sent = session
                .set_miner_url(url.clone())
                .await
                .map_err(|e| format!("miner URL not set: {e}"))?;
            sent_record(out, global, &sent, json!({ "url": url }));
        }
        Command::MinerUrl { set: None, miner } => {
            let miner = account_or_own(session, global, miner)?;
            let url = session.miner_url(miner).await.map_err(say)?;
            out.record(&json!({ "miner": ss58(&miner), "url": url }));
        }
        Command::Token(TokenCommand::Balance { account }) => {
            let account = account_or_own(session, global, account)?;
            let units = session.token_balance(account).await.map_err(say)?;
            out.record(&json!({
                "account": ss58(&account),
                "balance": format_amount(units, token.decimals),
                "symbol": token.symbol,
            }));
        }
        Command::Token(TokenCommand::Mint { amount: text }) => {
            let value = amount(&text)?;
            let sent = session
                .mint(value)
                .await
                .map_err(|e| format!("nothing minted: {e}"))?;
            sent_record(
                out,
                global,
                &sent,
                json!({ "minted": format_amount(value, token.decimals), "symbol": token.symbol }),
            );
        }
        Command::Info => {
            let now = session.now().await.map_err(say)?;
            out.record(&json!({
                "broker": ss58(&session.protocol.broker_id),
                "community": ss58(&session.community_contract().await.map_err(say)?),
                "stablecoin": ss58(&token.address),
                "symbol": token.symbol,
                "decimals": token.decimals,
                "community_fee_bps": session.community_fee_bps().await.map_err(say)?,
                "chain_time_ms": now,
            }));
        }
        Command::Community(command) => community(session, token, command, global, out).await?,
        Command::Deploy(_) | Command::Miner(_) => unreachable!("handled in run"),
    }
    Ok(())
}

async fn community(
    session: &mut Session<NodeChain>,
    token: &TokenInfo,
    command: CommunityCommand,
    global: &Global,
    out: &Output,
) -> Result<(), String> {
    match command {
        CommunityCommand::Propose {
            description,
            action,
        } => {
            let sent = session
                .propose(action.action()?, description)
                .await
                .map_err(|e| format!("nothing proposed: {e}"))?;
            sent_record(out, global, &sent, json!({ "proposal": sent.value }));
        }
        CommunityCommand::Vote { proposal, vote } => {
            let yes = match vote.as_str() {
                "yes" | "y" => true,
                "no" | "n" => false,
                other => return Err(format!("{other:?} is not a vote: yes or no")),
            };
            let sent = session
                .vote(proposal, yes)
                .await
                .map_err(|e| format!("no vote cast on proposal {proposal}: {e}"))?;
            sent_record(
                out,
                global,
                &sent,
                json!({ "proposal": proposal, "yes": yes }),
            );
        }
        CommunityCommand::Execute { proposal } => {
            let sent = session
                .execute(proposal)
                .await
                .map_err(|e| format!("proposal {proposal} not executed: {e}"))?;
            sent_record(out, global, &sent, json!({ "proposal": proposal }));
        }
        CommunityCommand::Proposal { proposal: id } => {
            let (proposal, state) = session
                .proposal(id)
                .await
                .map_err(say)?
                .ok_or_else(|| format!("there is no proposal {id}"))?;
            out.record(&json!({
                "proposal": id,
                "state": format!("{state:?}").to_lowercase(),
                "action": describe_action(&proposal.action),
                "description": proposal.description,
                "yes": proposal.yes,
                "no": proposal.no,
                "total_weight": proposal.total_weight,
            }));
        }
        CommunityCommand::Collect => {
            let sent = session
                .collect_fees()
                .await
                .map_err(|e| format!("no fees collected: {e}"))?;
            sent_record(out, global, &sent, json!({}));
        }
        CommunityCommand::Claim => {
            let own = session.account();
            let claimable = session.claimable(own).await.map_err(say)?;
            let sent = session
                .claim_share()
                .await
                .map_err(|e| format!("no share claimed: {e}"))?;
            sent_record(
                out,
                global,
                &sent,
                json!({ "claimed": format_amount(claimable, token.decimals), "symbol": token.symbol }),
            );
        }
    }
    Ok(())
}

/// A submitted (or simulated) message: its result, its decoded events and
/// what it cost.
fn sent_record<T>(out: &Output, global: &Global, sent: &Outcome<T>, mut result: serde_json::Value) {
    if let Some(fields) = result.as_object_mut() {
        fields.insert("submitted".into(), json!(!global.dry_run));
        fields.insert("ref_time".into(), json!(sent.cost.ref_time));
        fields.insert("proof_size".into(), json!(sent.cost.proof_size));
        fields.insert(
            "storage_deposit".into(),
            json!(sent.cost.storage_deposit.to_string()),
        );
        fields.insert(
            "events".into(),
            json!(sent.events.iter().map(describe).collect::<Vec<_>>()),
        );
    }
    out.record(&result);
}

/// A proposal's action as a sentence.
fn describe_action(action: &Action) -> String {
    let hex = |hash: &ink::primitives::Hash| hex_bytes(hash.as_ref());
    match action {
        Action::Broker(call) => match call {
            BrokerCall::SetCommunityFee(bps) => format!("set the community fee to {bps} bps"),
            BrokerCall::SetStablecoin(token) => {
                format!("move the broker to the stablecoin {}", ss58(token))
            }
            BrokerCall::SetCommunityContract(successor) => {
                format!("offer the broker to the community {}", ss58(successor))
            }
            BrokerCall::UpgradeCode(hash) => {
                format!("upgrade the broker to code {}", hex(hash))
            }
            BrokerCall::TerminateBooking(id) => format!("terminate booking {id}"),
            BrokerCall::SetTokenCallLimits(limits) => format!(
                "limit token calls to {} ref_time, {} proof bytes, {} storage deposit",
                limits.ref_time, limits.proof_size, limits.storage_deposit
            ),
            BrokerCall::AcceptCommunity => "accept the broker offered to this community".into(),
        },
        Action::AddMember { account, weight } => {
            format!("add the member {} with weight {weight}", ss58(account))
        }
        Action::RemoveMember { account } => format!("remove the member {}", ss58(account)),
        Action::ChangeWeight { account, weight } => {
            format!("set the weight of {} to {weight}", ss58(account))
        }
        Action::ApproveRelease(release) => format!(
            "approve the {} release {} {} ({})",
            match release.kind {
                ReleaseKind::Protocol => "protocol",
                ReleaseKind::Sdk => "SDK",
            },
            release.name,
            release.version,
            hex(&release.content_hash)
        ),
        Action::UpgradeCommunity(hash) => {
            format!("upgrade this community to code {}", hex(hash))
        }
    }
}

fn offer_row(id: OfferId, offer: &Offer, token: &TokenInfo) -> Record {
    json!({
        "offer": id,
        "miner": ss58(&offer.miner),
        "vm_type": offer.vm_type_id,
        "price_per_second": format_amount(offer.price_per_second, token.decimals),
        "machines": offer.machines,
        "booked": offer.booked,
        "closed": offer.closed,
    })
}

fn booking_row(id: BookingId, booking: &Booking, token: &TokenInfo, now: u64) -> Record {
    json!({
        "booking": id,
        "offer": booking.offer_id,
        "user": ss58(&booking.user),
        "miner": ss58(&booking.miner),
        "price_per_second": format_amount(booking.price_per_second, token.decimals),
        "running": format_duration_ms(now.saturating_sub(booking.started_at)),
        "unpaid": format_duration_ms(now.saturating_sub(booking.last_payment)),
    })
}

fn parse_hash(text: &str) -> Result<[u8; 32], String> {
    parse_hex32(text)
}

fn parse_member(text: &str) -> Result<(AccountId, Weight), String> {
    let (account, weight) = text
        .rsplit_once(':')
        .ok_or_else(|| format!("{text}: write a member as ADDRESS:WEIGHT"))?;
    let weight = weight
        .parse()
        .map_err(|_| format!("{text}: the weight {weight:?} is not a whole number"))?;
    Ok((parse_account(account)?, weight))
}

async fn deploy(global: &Global, args: DeployArgs, out: &Output) -> Result<(), String> {
    if global.dry_run {
        return Err(
            "deploy cannot be simulated: it uploads and instantiates in steps that \
                    depend on each other"
                .into(),
        );
    }
    let deployer = signer(global)?;
    let members = args
        .members
        .iter()
        .map(|text| parse_member(text))
        .collect::<Result<Vec<_>, _>>()?;
    let rules = VotingRules {
        quorum_bps: args.quorum_bps,
        voting_period: parse_duration_ms(&args.voting_period)?,
        execution_period: parse_duration_ms(&args.execution_period)?,
    };
    let folder = args.contracts.unwrap_or_else(build_sh_folder);
    let mut chain = connect(global, built_wasm(&folder)?).await?;
    let stablecoin = match (&args.stablecoin, args.mock_stablecoin) {
        (Some(address), _) => parse_account(address)?,
        (None, _) => {
            let mut constructor =
                psp22_mock::Psp22MockRef::new(0, Some("Mock USD".into()), Some("mUSD".into()), 6);
            chain
                .instantiate("psp22-mock", &deployer, &mut constructor)
                .await
                .map_err(|e| format!("psp22-mock not deployed: {e}"))?
                .value
        }
    };
    let protocol = Protocol::deploy_for(&mut chain, &deployer, members, rules, stablecoin)
        .await
        .map_err(|e| format!("deployment failed: {e}"))?;
    let deployment = Deployment {
        stablecoin: ss58(&stablecoin),
        community: ss58(&protocol.community_id),
        broker: ss58(&protocol.broker_id),
        bundles: std::fs::canonicalize(&folder).ok(),
    };
    let text = serde_json::to_string_pretty(&deployment).map_err(|e| e.to_string())?;
    std::fs::write(&global.deployment, text + "\n")
        .map_err(|e| format!("{}: {e}", global.deployment.display()))?;
    out.record(&json!({
        "stablecoin": deployment.stablecoin,
        "community": deployment.community,
        "broker": deployment.broker,
        "deployment_file": global.deployment.display().to_string(),
    }));
    Ok(())
}

/// Claims every booking of the signer's as miner, every `every_ms`; a node
/// that goes away is reconnected to on the next round.
async fn miner_run(global: &Global, every_ms: u64, once: bool, out: &Output) -> Result<(), String> {
    loop {
        match miner_round(global, out).await {
            Ok(()) => {}
            Err(why) if once => return Err(why),
            Err(why) => eprintln!("p2pcloud: this round failed, trying again later: {why}"),
        }
        if once {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(every_ms)).await;
    }
}

async fn miner_round(global: &Global, out: &Output) -> Result<(), String> {
    let mut session = session(global).await?;
    let token = session.token().await.map_err(say)?;
    let miner = account_of(&signer(global)?);
    let bookings = session.miner_bookings(miner).await.map_err(say)?;
    let mut failed = 0;
    for (id, _) in bookings {
        match session.claim_payment(id).await {
            Ok(sent) => {
                let paid = sent
                    .events
                    .iter()
                    .find_map(p2pcloud_client::events::decode::<broker::events::MinerPayout>);
                out.record(&json!({
                    "claimed_booking": id,
                    "paid": paid.as_ref().map(|payout| format_amount(payout.amount, token.decimals)),
                    "seconds": paid.as_ref().map(|payout| payout.seconds),
                    "symbol": token.symbol,
                }));
            }
            // Not a failure: the next round pays it.
            Err(Error::NothingAccrued) => {
                eprintln!("p2pcloud: booking {id}: {}", Error::NothingAccrued)
            }
            Err(error) => {
                failed += 1;
                eprintln!("p2pcloud: booking {id} not claimed: {error}");
            }
        }
    }
    if failed > 0 {
        return Err(format!("{failed} claims failed"));
    }
    Ok(())
}

//! The command line: every command (clap), dispatched to its handler;
//! each command's own options and handler live in `cmd/`.
use crate::{cmd::*, context::Context, error::CliError, options::Global};
use clap::{Parser, Subcommand};

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

#[derive(Subcommand)]
pub enum Command {
    /// Deploy the protocol (broker code, community, broker) and write the
    /// deployment file.
    Deploy(DeployCommand),
    /// A miner's offers.
    #[command(subcommand)]
    Offer(OfferCommand),
    /// Offers with a free machine, optionally of one VM type.
    Offers(OffersCommand),
    /// Deposit stablecoin into the broker (approves the broker first); with
    /// --for, into another account's balance, which only it may spend.
    Deposit(DepositCommand),
    /// Withdraw from the broker what is free ("all" for everything free).
    Withdraw(WithdrawCommand),
    /// What an account holds in the broker, owes, has locked and may withdraw.
    Balance(BalanceCommand),
    /// Book a machine of an offer, paying at most --max-price per second.
    Book(BookCommand),
    /// Stop a booking: reason ok (done), misbehaviour (report the miner), or
    /// terminated (the miner ends it).
    Stop(StopCommand),
    /// Report the miner of a booking that someone else ended (its user only,
    /// within 7 days of the end): when the miner ended it first, say.
    Report(ReportCommand),
    /// Claim what a booking accrued (its miner only).
    Claim(ClaimCommand),
    /// One booking, or an account's bookings as user (default) or miner.
    Bookings(BookingsCommand),
    /// A miner's URL; with --set, set your own.
    MinerUrl(MinerUrlCommand),
    /// The stablecoin: the signer's (or an account's) balance; `mint` works on psp22-mock only.
    #[command(subcommand)]
    Token(TokenCommand),
    /// The protocol's settings and the chain's time.
    Info(InfoCommand),
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
    Verify(VerifyCommand),
    /// Warn before balances run out and say when bookings end (cron: --once
    /// exits 3 after a warning; systemd: runs until stopped).
    Watch(WatchCommand),
    /// Index the broker's events from the node's finalized blocks into --db,
    /// resuming where the last run stopped.
    Index(IndexCommand),
    /// Payment, stop and complaint events, oldest first: from the index, or
    /// with --chain from the node's blocks.
    Events(EventsCommand),
    /// Every indexed event of the broker and the community, oldest first.
    Log(LogCommand),
    /// A miner's reputation from the index (the formula is in the README).
    Reputation(ReputationCommand),
    /// Offers with a free machine that meet a minimum spec, by price or reputation.
    Search(SearchCommand),
    /// Serve the JSON API: /events, /miners/{account}/reputation, /offers/search,
    /// /accounts/{account}/balance; with --console, the web console at /.
    Serve(ServeCommand),
}

impl Command {
    /// Runs the command; `Ok(code)` is the exit code of a command that
    /// finished without an error (`watch` says 3 after a warning).
    pub async fn handle(self, ctx: &Context) -> Result<i32, CliError> {
        match self {
            Self::Deploy(command) => command.handle(ctx).await,
            Self::Offer(command) => command.handle(ctx).await,
            Self::Offers(command) => command.handle(ctx).await,
            Self::Deposit(command) => command.handle(ctx).await,
            Self::Withdraw(command) => command.handle(ctx).await,
            Self::Balance(command) => command.handle(ctx).await,
            Self::Book(command) => command.handle(ctx).await,
            Self::Stop(command) => command.handle(ctx).await,
            Self::Report(command) => command.handle(ctx).await,
            Self::Claim(command) => command.handle(ctx).await,
            Self::Bookings(command) => command.handle(ctx).await,
            Self::MinerUrl(command) => command.handle(ctx).await,
            Self::Token(command) => command.handle(ctx).await,
            Self::Info(command) => command.handle(ctx).await,
            Self::Community(command) => command.handle(ctx).await,
            Self::Miner(command) => command.handle(ctx).await,
            Self::User(command) => command.handle(ctx).await,
            Self::Verify(command) => command.handle(ctx).await,
            Self::Watch(command) => return command.handle(ctx).await,
            Self::Index(command) => command.handle(ctx).await,
            Self::Events(command) => command.handle(ctx).await,
            Self::Log(command) => command.handle(ctx).await,
            Self::Reputation(command) => command.handle(ctx).await,
            Self::Search(command) => command.handle(ctx).await,
            Self::Serve(command) => command.handle(ctx).await,
        }?;
        Ok(0)
    }
}

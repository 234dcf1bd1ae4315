//! One file per command or group of commands, as cargo-contract's `cmd/`:
//! each has its `clap::Args` (or `Subcommand`) and a `handle` that runs it
//! with the [`Context`](crate::context::Context).
mod balance;
mod booking;
mod community;
mod deploy;
mod events;
mod index;
mod info;
mod miner;
mod offer;
mod propose;
mod reputation;
mod rounds;
mod search;
mod serve;
mod user;
mod verify;
mod watch;

pub use balance::{BalanceCommand, DepositCommand, TokenCommand, WithdrawCommand};
pub use booking::{BookCommand, BookingsCommand, ClaimCommand, ReportCommand, StopCommand};
pub use community::CommunityCommand;
pub use deploy::DeployCommand;
pub use events::{EventsCommand, LogCommand};
pub use index::IndexCommand;
pub use info::{InfoCommand, MinerUrlCommand};
pub use miner::MinerCommand;
pub use offer::{OfferCommand, OffersCommand};
pub use reputation::ReputationCommand;
pub use search::SearchCommand;
pub use serve::ServeCommand;
pub use user::UserCommand;
pub use verify::VerifyCommand;
pub use watch::WatchCommand;

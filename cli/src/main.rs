//! `p2pcloud`: the protocol from the shell, for miners, users and community
//! members, on any chain with pallet-contracts (`--url`, default a local
//! `substrate-contracts-node --dev`). Every message is dry-run first: a
//! refusal is printed as a sentence with a non-zero exit code and nothing is
//! submitted; otherwise the estimate is shown and confirmed (`-y` skips the
//! question, `--dry-run` stops there).
mod cli;
mod cmd;
mod context;
mod deployment;
mod describe;
mod error;
mod keys;
mod options;
mod output;
mod values;

use clap::{error::ErrorKind, Parser};
use cli::Cli;
use context::Context;

fn main() {
    let cli = Cli::try_parse().unwrap_or_else(|error| {
        // A value that does not read (an amount, an account) is refused like
        // any other bad input, with exit code 1; clap keeps 0 for help and 2
        // for a command line it cannot follow.
        let bad_value = matches!(
            error.kind(),
            ErrorKind::ValueValidation | ErrorKind::InvalidValue
        );
        let _ = error.print();
        std::process::exit(if bad_value { 1 } else { error.exit_code() });
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a single-threaded runtime starts");
    let ctx = Context::new(cli.global);
    match runtime.block_on(cli.command.handle(&ctx)) {
        Ok(code) => std::process::exit(code),
        Err(why) => {
            eprintln!("p2pcloud: {why}");
            std::process::exit(1);
        }
    }
}

//! `p2pcloud`: the protocol from the shell, for miners, users and community
//! members, on any chain with pallet-contracts (`--url`, default a local
//! `substrate-contracts-node --dev`). Every message is dry-run first: a
//! refusal is printed as a sentence with a non-zero exit code and nothing is
//! submitted; otherwise the estimate is shown and confirmed (`-y` skips the
//! question, `--dry-run` stops there).
mod args;
mod community;
mod deploy;
mod describe;
mod indexing;
mod keys;
mod miner;
mod output;
mod top_up;
mod verify;
mod watch;

use args::{
    Cli, Command, CommunityCommand, Global, MinerCommand, OfferCommand, TokenCommand, UserCommand,
};
use clap::Parser;
use deploy::{deploy, read_deployment};
use describe::{booking_row, offer_row, parse_hash, sent_record};
use ink::primitives::AccountId;
use miner::miner_run;
use output::Output;
use p2pcloud_client::units::{format_amount, parse_amount, parse_duration_ms};
use p2pcloud_client::{
    chain::{Chain, Keypair},
    events::{parse_account, ss58},
    node::{NodeChain, Submission},
    protocol::Protocol,
    sdk::{P2pCloud, Session, TokenInfo},
    time_left::BalanceSummary,
    Error,
};
use p2pcloud_common::StopReason;
use serde_json::json;
use std::{io::Write, path::PathBuf};

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
    let deployment = read_deployment(global)?;
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
        Command::Index {
            from_block,
            until,
            once,
            every,
        } => indexing::index(global, from_block, until, once, &every).await,
        Command::Events(args) if args.chain => {
            let mut session = session(global).await?;
            indexing::events_on_chain(&mut session, &args.query(), out).await
        }
        Command::Events(args) => indexing::events(global, &args.query(), out).await,
        Command::Reputation { miner } => indexing::reputation(global, &miner, out).await,
        Command::Log { name, limit } => indexing::log(global, name.as_deref(), limit, out).await,
        Command::Search(args) => indexing::search(global, &args, out).await,
        Command::Serve {
            listen,
            catalogue,
            refresh,
        } => indexing::serve(global, &listen, &catalogue, &refresh).await,
        Command::Watch(args) => {
            if watch::watch(global, args, out).await? {
                std::process::exit(watch::WARNED);
            }
            Ok(())
        }
        Command::User(UserCommand::Run(args)) => top_up::run(global, args, out).await,
        Command::Verify(args) => {
            if verify::verify(global, args, out).await? {
                Ok(())
            } else {
                Err("not verified: see each contract's verdict above".into())
            }
        }
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
        Command::Deposit {
            amount: text,
            beneficiary,
        } => {
            let value = amount(&text)?;
            let beneficiary = beneficiary.as_deref().map(parse_account).transpose()?;
            let sent = match beneficiary {
                Some(account) => session.deposit_for(account, value).await,
                None => session.deposit(value).await,
            }
            .map_err(|e| format!("nothing deposited: {e}"))?;
            let mut record = json!({ "deposited": format_amount(value, token.decimals), "symbol": token.symbol });
            if let Some(account) = beneficiary {
                record["for"] = json!(ss58(&account));
            }
            sent_record(out, global, &sent, record);
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
            let summary =
                BalanceSummary::new(ss58(&account), &report, now, &token.symbol, token.decimals);
            out.record(&serde_json::to_value(summary).map_err(|e| e.to_string())?);
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
        Command::Report { booking } => {
            let sent = session
                .report_ended(booking)
                .await
                .map_err(|e| format!("booking {booking} not reported: {e}"))?;
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
            let time_left = watch::users_time_left(session, &bookings, now)
                .await
                .map_err(say)?;
            out.table(
                &bookings
                    .iter()
                    .map(|(id, booking)| {
                        booking_row(*id, booking, token, now, time_left.get(&booking.user))
                    })
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
        Command::Community(command) => {
            community::community(session, token, command, global, out).await?
        }
        Command::Deploy(_)
        | Command::Miner(_)
        | Command::User(_)
        | Command::Verify(_)
        | Command::Watch(_)
        | Command::Index { .. }
        | Command::Events(_)
        | Command::Reputation { .. }
        | Command::Log { .. }
        | Command::Search(_)
        | Command::Serve { .. } => unreachable!("handled in run"),
    }
    Ok(())
}

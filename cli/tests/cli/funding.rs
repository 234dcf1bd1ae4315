//! Funding by others: a miner sees how long each user keeps paying, `watch`
//! warns under a threshold, a second account pays into a user's balance, a
//! top-up loop keeps bookings paid within a daily cap, and the watch says
//! when a booking ends.
use crate::harness::{has_event, start_node, Cli};
use p2pcloud_client::{
    chain::{account_of, dev},
    domain::ss58,
};
use serde_json::Value;
use std::{
    path::Path,
    time::{Duration, Instant},
};

#[test]
#[ignore = "needs substrate-contracts-node: scripts/test.sh runs it with --ignored where it is installed"]
fn funding_by_others_warnings_and_top_ups_from_the_shell() {
    let (_node, cli) = start_node(&format!("p2pcloud-funding-{}.json", std::process::id()));
    let id = std::process::id();
    let charlie = ss58(&account_of(&dev::charlie()));
    // Given Charlie's booking, funded a week and a bit,
    let booking = cli.charlie_booking("605");
    let (before, old_run_out) = charlies_week_and_a_bit(&cli, &charlie);
    // the miner and the watch see how long it keeps paying;
    the_miner_sees_how_long_charlie_pays(&cli, &before);
    the_watch_warns_under_the_threshold(&cli, &charlie, &before);
    // when Dave pays into Charlie's balance and Eve tops it up,
    dave_pays_into_charlies_balance(&cli, &charlie);
    let ledger = std::env::temp_dir().join(format!("p2pcloud-funding-ledger-{id}.json"));
    eves_daily_cap_holds_across_runs(&cli, &charlie, &ledger);
    eve_keeps_charlie_paid_ten_days_ahead(&cli, &charlie, &ledger, old_run_out);
    // then the watch says when the booking ends.
    the_watch_says_when_the_booking_ends(&cli, &charlie, &booking);
    let _ = std::fs::remove_file(ledger);
    let _ = std::fs::remove_file(&cli.deployment);
}

/// What `balance` says of `who`.
fn balance(cli: &Cli, who: &str) -> Value {
    cli.run(None, &["balance", who]).json()
}

/// Charlie funded a week and a bit (0.001 a second is 604.8 a week): his
/// balance runs out in 7 days. Returns what `balance` said and when.
fn charlies_week_and_a_bit(cli: &Cli, charlie: &str) -> (Value, u64) {
    let before = balance(cli, charlie);
    let old_run_out = before["runs_out_at"].as_u64().expect("a run-out moment");
    let time_left = before["time_left"].as_str().expect("time left");
    assert!(time_left.starts_with("runs out in 7 days"), "{time_left}");
    assert!(time_left.ends_with(" UTC"), "{time_left}");
    (before, old_run_out)
}

/// The miner sees how long each user keeps paying.
fn the_miner_sees_how_long_charlie_pays(cli: &Cli, before: &Value) {
    let rows = cli
        .run(
            None,
            &["bookings", "--miner", &ss58(&account_of(&dev::bob()))],
        )
        .json();
    assert_eq!(rows[0]["user_time_left"], before["time_left"], "{rows}");
}

/// A warning once the time left is under the threshold; none above it.
fn the_watch_warns_under_the_threshold(cli: &Cli, charlie: &str, before: &Value) {
    let quiet = cli.run(None, &["watch", charlie, "--warn-before", "6d", "--once"]);
    assert_eq!(quiet.code, Some(0), "{}", quiet.stderr);
    assert_eq!(quiet.stdout.trim(), "", "no warning above the threshold");
    let warned = cli.run(None, &["watch", charlie, "--warn-before", "8d", "--once"]);
    assert_eq!(
        warned.code,
        Some(3),
        "a warning exits 3 for cron: {}",
        warned.stderr
    );
    let warning: Value = serde_json::from_str(warned.stdout.trim()).expect("one JSON line");
    assert_eq!(warning["account"], charlie);
    assert_eq!(warning["warning"], before["time_left"]);
}

/// Dave pays into Charlie's balance: it is Charlie's, Dave holds nothing.
fn dave_pays_into_charlies_balance(cli: &Cli, charlie: &str) {
    cli.run(Some("//Dave"), &["token", "mint", "1000"]).json();
    let funded = cli
        .run(Some("//Dave"), &["deposit", "100", "--for", charlie])
        .json();
    assert!(has_event(&funded, "DepositedFor"), "{funded}");
    assert_eq!(funded["for"], charlie);
    assert_eq!(balance(cli, charlie)["deposited"], "705");
    assert_eq!(
        balance(cli, &ss58(&account_of(&dev::dave())))["deposited"],
        "0"
    );
    assert_eq!(
        cli.run(
            None,
            &["token", "balance", &ss58(&account_of(&dev::dave()))]
        )
        .json()["balance"],
        "900"
    );
}

/// One run of Eve's top-up loop for Charlie: keep him paid `keep` ahead, at
/// most `cap` a day, recorded in `ledger`.
fn eve_tops_up(cli: &Cli, charlie: &str, ledger: &Path, keep: &str, cap: &str) -> Value {
    cli.run(
        Some("//Eve"),
        &[
            "user",
            "run",
            "--for",
            charlie,
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
}

/// Eve tops Charlie up to 10 days ahead, at most 50 a day: the cap holds
/// across runs, which say why they deposit less, or nothing.
fn eves_daily_cap_holds_across_runs(cli: &Cli, charlie: &str, ledger: &Path) {
    cli.run(Some("//Eve"), &["token", "mint", "1000"]).json();
    let _ = std::fs::remove_file(ledger);
    let capped = eve_tops_up(cli, charlie, ledger, "10d", "50");
    assert_eq!(capped["deposited"], "50", "{capped}");
    let why = capped["why"].as_str().expect("why");
    assert!(why.contains("limited by the daily cap"), "{why}");
    let again = eve_tops_up(cli, charlie, ledger, "10d", "50");
    assert_eq!(again["deposited"], "0", "{again}");
    assert_eq!(again["why"], "nothing deposited: the daily cap is reached");
    assert_eq!(balance(cli, charlie)["deposited"], "755");
}

/// With room under the cap Eve keeps the bookings paid 10 days ahead, well
/// past the old run-out; a shorter margin is already met.
fn eve_keeps_charlie_paid_ten_days_ahead(
    cli: &Cli,
    charlie: &str,
    ledger: &Path,
    old_run_out: u64,
) {
    let full = eve_tops_up(cli, charlie, ledger, "10d", "500");
    let deposited: f64 = full["deposited"]
        .as_str()
        .expect("an amount")
        .parse()
        .expect("a number");
    assert!(deposited > 0.0 && deposited < 450.0, "{full}");
    let after = balance(cli, charlie);
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
    let nothing = eve_tops_up(cli, charlie, ledger, "9d", "500");
    assert_eq!(nothing["deposited"], "0", "{nothing}");
    assert!(nothing["why"]
        .as_str()
        .expect("why")
        .starts_with("nothing deposited: paid for long enough"));
}

/// The watch follows the account and says when its booking ends.
fn the_watch_says_when_the_booking_ends(cli: &Cli, charlie: &str, booking: &Value) {
    let (mut watch, lines, _) = cli.spawn_loop(
        "//Charlie",
        &["watch", charlie, "--warn-before", "1d", "--every", "1s"],
    );
    std::thread::sleep(Duration::from_secs(4));
    cli.run(Some("//Charlie"), &["stop", &booking.to_string()])
        .json();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut ended = None;
    while ended.is_none() && Instant::now() < deadline {
        if let Ok((_, line)) = lines.recv_timeout(Duration::from_secs(1)) {
            let record: Value = serde_json::from_str(&line).expect("the watch prints JSON");
            if record["booking_ended"] == *booking {
                ended = Some(record);
            }
        }
    }
    let _ = watch.kill();
    let _ = watch.wait();
    let ended = ended.expect("the watch said the booking ended");
    assert_eq!(ended["account"], charlie);
}

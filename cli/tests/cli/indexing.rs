//! The workflow's run as the indexer stores it from the finalized chain:
//! the payments and the report, stored once, the same as the SDK reads from
//! the node's blocks, and the community's events kept whole.
use crate::harness::Cli;
use p2pcloud_client::{
    chain::{account_of, dev},
    domain::ss58,
};
use serde_json::Value;

/// The indexer reads the finalized chain: the payment and the report.
pub fn the_index_holds_the_run(cli: &Cli, booking_id: &str) {
    std::thread::sleep(std::time::Duration::from_secs(3));
    let db = std::env::temp_dir().join(format!("p2pcloud-cli-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&db);
    let db = db.to_string_lossy().into_owned();
    let (complaints, indexed_events) = the_index_stores_the_run_once(cli, &db, booking_id);
    the_chain_reads_the_same_events(cli, &complaints, &indexed_events);
    the_communitys_events_are_kept_whole(cli, &db);
    let _ = std::fs::remove_file(&db);
}

/// Indexes the chain and finds the report and the payments; indexing again
/// stores nothing twice. Returns the complaints about Bob and all his events.
fn the_index_stores_the_run_once(cli: &Cli, db: &str, booking_id: &str) -> (Value, Value) {
    let indexed = cli.run(None, &["--db", db, "index", "--once"]);
    assert!(indexed.ok, "{}", indexed.stderr);
    let bob = ss58(&account_of(&dev::bob()));
    let complaints = cli
        .run(
            None,
            &["--db", db, "events", "--kind", "complaint", "--miner", &bob],
        )
        .json();
    assert_eq!(complaints.as_array().map(Vec::len), Some(1), "{complaints}");
    assert_eq!(complaints[0]["booking"].to_string(), booking_id);
    let payments = cli
        .run(
            None,
            &["--db", db, "events", "--kind", "payment", "--miner", &bob],
        )
        .json();
    let payments = payments.as_array().map(Vec::len).unwrap_or(0);
    assert!(payments >= 1, "the loop's claim");
    // Indexing again stores nothing twice.
    assert!(cli.run(None, &["--db", db, "index", "--once"]).ok);
    let again = cli
        .run(None, &["--db", db, "events", "--miner", &bob])
        .json();
    assert_eq!(
        again.as_array().map(Vec::len),
        Some(payments + 2),
        "payments, the stop and the report"
    );
    let stop = again
        .as_array()
        .and_then(|rows| rows.iter().find(|row| row["kind"] == "stop"))
        .expect("the stop");
    assert!(
        stop["paid_seconds"].as_u64() > Some(0) && stop["paid_units"] != "0",
        "the stop's settlement: {stop}"
    );
    (complaints, again)
}

/// The SDK reads the same events from the node's blocks, no index needed:
/// the index's rows, one for one, up to the block the index reached.
fn the_chain_reads_the_same_events(cli: &Cli, complaints: &Value, indexed_events: &Value) {
    let bob = ss58(&account_of(&dev::bob()));
    let indexed_to = indexed_events
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
    assert_eq!(&on_chain, indexed_events, "events --chain and the index");
    let complaints_on_chain = cli
        .run(
            None,
            &["events", "--chain", "--kind", "complaint", "--miner", &bob],
        )
        .json();
    assert_eq!(&complaints_on_chain, complaints);
    cli.refused(
        None,
        &["events", "--chain", "--after", "1:0"],
        "narrow the blocks instead",
    );
}

/// The community's events are kept whole, named from the metadata; Bob's
/// reputation counts the complaint.
fn the_communitys_events_are_kept_whole(cli: &Cli, db: &str) {
    let bob = ss58(&account_of(&dev::bob()));
    let proposals = cli
        .run(None, &["--db", db, "log", "--name", "ProposalCreated"])
        .json();
    assert_eq!(proposals.as_array().map(Vec::len), Some(2), "{proposals}");
    assert_eq!(proposals[0]["contract"], "community");
    let reputation = cli.run(None, &["--db", db, "reputation", &bob]).json();
    assert_eq!(reputation["complaints"], 1, "{reputation}");
    cli.refused(
        None,
        &["--db", db, "events", "--kind", "refund"],
        "is not a kind",
    );
}

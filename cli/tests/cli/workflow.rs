//! The seed's whole workflow from the shell: deploy, an offer, a deposit, a
//! booking, a claim, a stop with a report, a withdrawal, the fee collection
//! and a vote that lowers the fee; then the index of the run (`indexing`)
//! and bad input (`bad_input`).
use crate::harness::{
    assert_a_claim_with_time_left, bundles_with_broker, events, has_event, start_node, Cli,
};
use crate::{bad_input, indexing};
use p2pcloud_client::{
    bundles::build_sh_folder,
    chain::{account_of, dev},
    domain::ss58,
};
use serde_json::Value;

#[test]
#[ignore = "needs substrate-contracts-node: scripts/test.sh runs it with --ignored where it is installed"]
fn the_whole_workflow_from_the_shell() {
    let (_node, cli) = start_node(&format!("p2pcloud-cli-{}.json", std::process::id()));
    // Given a node where nothing is deployed yet,
    let gone = nothing_is_deployed_yet(&cli);
    // when Alice deploys with Eve,
    let deployed = alice_deploys_with_eve(&cli);
    verify_finds_no_release_approved(&cli);
    info_reads_the_deployment(&cli, &gone, &deployed);
    // Bob offers, Charlie deposits and books, Bob's loop claims, Charlie
    // reports and withdraws,
    let offer_id = bob_offers_and_charlie_deposits(&cli);
    let booking_id = charlie_books(&cli, &offer_id);
    bobs_loop_claims_and_charlie_reports(&cli, &booking_id);
    charlie_withdraws_all(&cli);
    // and the community collects its fee and lowers it by vote,
    the_community_lowers_its_fee(&cli);
    a_membership_proposal_reads_as_a_sentence(&cli);
    // then the index holds the run as the chain tells it,
    indexing::the_index_holds_the_run(&cli, &booking_id);
    // and bad input is refused with a sentence, nothing changed.
    bad_input::each_refused_with_a_sentence(&cli);
    let _ = std::fs::remove_file(&cli.deployment);
}

/// A node that goes away, before anything exists; bundles the chain would
/// refuse. Returns the CLI pointed at the node that went away.
fn nothing_is_deployed_yet(cli: &Cli) -> Cli {
    let alice = ss58(&account_of(&dev::alice()));
    let gone = Cli {
        url: "ws://127.0.0.1:9".into(),
        deployment: cli.deployment.clone(),
    };
    gone.refused(
        Some("//Alice"),
        &["info"],
        "cannot read the deployment file",
    );

    // Bundles the chain would refuse (a broker that imports a host function
    // the node does not have) are refused before anything is submitted.
    let refused_bundles = bundles_with_broker(
        &cli.deployment.with_extension("refused"),
        r#"(module (import "seal9" "teleport" (func)) (import "env" "memory" (memory 2 16))
            (func (export "call")) (func (export "deploy")))"#,
    );
    cli.refused_before_asking(
        "//Alice",
        &[
            "deploy",
            "--mock-stablecoin",
            "--member",
            &format!("{alice}:1"),
            "--contracts",
            refused_bundles.to_str().expect("a UTF-8 path"),
        ],
        &[
            "substrate-contracts-node (spec version 100, genesis 0x",
            "would refuse this code, so nothing was uploaded: broker: it imports seal9::teleport, \
             which the chain does not have",
        ],
    );
    let _ = std::fs::remove_dir_all(&refused_bundles);
    gone
}

/// Alice deploys with a mock stablecoin, Alice weighing 3 and Eve 1, and a
/// six-second vote; returns what deploy printed.
fn alice_deploys_with_eve(cli: &Cli) -> Value {
    let alice = ss58(&account_of(&dev::alice()));
    let eve = ss58(&account_of(&dev::eve()));
    let deployed = cli
        .run(
            Some("//Alice"),
            &[
                "deploy",
                "--mock-stablecoin",
                "--member",
                &format!("{alice}:3"),
                "--member",
                &format!("{eve}:1"),
                "--voting-period",
                "6s",
                "--execution-period",
                "1h",
            ],
        )
        .json();
    assert!(cli.deployment.is_file(), "deploy wrote the deployment file");
    assert_eq!(deployed["runtime"]["spec_name"], "substrate-contracts-node");
    deployed
}

/// The deployed code is this build's, but no release is approved yet:
/// verify says so per contract and exits 1.
fn verify_finds_no_release_approved(cli: &Cli) {
    let build = build_sh_folder();
    let verified = cli.run(
        None,
        &[
            "verify",
            "--contracts",
            build.to_str().expect("a UTF-8 path"),
        ],
    );
    assert!(!verified.ok, "an unapproved release was verified");
    let verdicts: Value = serde_json::from_str(verified.stdout.trim()).expect("JSON verdicts");
    for (row, subject) in [(0, "broker"), (1, "community")] {
        assert_eq!(verdicts[row]["subject"], subject, "{verdicts}");
        assert_eq!(verdicts[row]["approved"], false);
        assert!(
            verdicts[row]["verdict"]
                .as_str()
                .is_some_and(|v| v.contains("has not approved")),
            "{verdicts}"
        );
    }
    assert!(
        verified.stderr.contains("not verified"),
        "{}",
        verified.stderr
    );
}

/// `info` reads the deployment back; the node that went away is not reached.
fn info_reads_the_deployment(cli: &Cli, gone: &Cli, deployed: &Value) {
    let info = cli.run(None, &["info"]).json();
    assert_eq!(info["broker"], deployed["broker"]);
    assert_eq!(info["community_fee_bps"], 500);
    assert_eq!(info["symbol"], "mUSD");
    gone.refused(Some("//Alice"), &["info"], "cannot reach the node");
}

/// Bob offers two machines at 0.001 mUSD a second; Charlie funds a week,
/// and a declined withdrawal moves nothing. Returns the offer's id.
fn bob_offers_and_charlie_deposits(cli: &Cli) -> String {
    let offer = cli
        .run(
            Some("//Bob"),
            &[
                "offer",
                "add",
                "--vm-type",
                "7",
                "--price",
                "0.001",
                "--machines",
                "2",
            ],
        )
        .json();
    assert!(has_event(&offer, "OfferAdded"), "{offer}");
    let offer_id = offer["offer"].to_string();
    let listed = cli.run(None, &["offers", "--vm-type", "7"]).json();
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(listed[0]["price_per_second"], "0.001");

    cli.run(Some("//Charlie"), &["token", "mint", "1000"])
        .json();
    let deposited = cli.run(Some("//Charlie"), &["deposit", "700"]).json();
    assert!(has_event(&deposited, "Deposited"), "{deposited}");
    assert_eq!(cli.free_balance("//Charlie"), "700");
    cli.declined("//Charlie", &["withdraw", "100"]);
    assert_eq!(
        cli.free_balance("//Charlie"),
        "700",
        "a declined withdrawal moved nothing"
    );
    offer_id
}

/// Refusals before anything moves (a price above the limit, a dry run),
/// then Charlie books; nothing has accrued for Bob to claim yet. Returns
/// the booking's id.
fn charlie_books(cli: &Cli, offer_id: &str) -> String {
    cli.refused(
        Some("//Charlie"),
        &["book", offer_id, "--max-price", "0.0005"],
        "the offer costs more than the most you accept to pay",
    );
    let simulated = cli
        .run(
            Some("//Charlie"),
            &["--dry-run", "book", offer_id, "--max-price", "0.001"],
        )
        .json();
    assert_eq!(simulated["submitted"], false);
    assert!(events(&simulated).is_empty(), "a dry run emits nothing");
    let bookings = cli.run(Some("//Charlie"), &["bookings"]).json();
    assert_eq!(
        bookings.as_array().map(Vec::len),
        Some(0),
        "the dry run booked nothing"
    );

    let booked = cli
        .run(
            Some("//Charlie"),
            &["book", offer_id, "--max-price", "0.001"],
        )
        .json();
    assert!(has_event(&booked, "BookingStarted"), "{booked}");
    let booking_id = booked["booking"].to_string();
    std::thread::sleep(std::time::Duration::from_secs(2));
    // Nothing accrued at the latest block yet: a dev node has made none since
    // the booking. The claim is not submitted.
    cli.refused(
        Some("//Bob"),
        &["claim", &booking_id],
        "nothing has accrued yet",
    );
    // A dev node seals a block only for a transaction: one for the clock.
    cli.run(
        Some("//Bob"),
        &["miner-url", "--set", "https://bob.example"],
    )
    .json();
    booking_id
}

/// Bob's miner loop claims what accrued; Charlie reports and stops, and
/// nothing is left to claim or to report later.
fn bobs_loop_claims_and_charlie_reports(cli: &Cli, booking_id: &str) {
    let round = cli.run(Some("//Bob"), &["miner", "run", "--once"]);
    let claimed = round.json();
    assert_eq!(
        claimed["claimed_booking"].to_string(),
        booking_id,
        "{claimed}"
    );
    assert_a_claim_with_time_left(&claimed);
    // The stop pays only whole seconds since the claim's block: without the
    // wait, a quick stop lands within the same second and pays nothing.
    std::thread::sleep(std::time::Duration::from_secs(2));
    let stopped = cli
        .run(
            Some("//Charlie"),
            &["stop", booking_id, "--reason", "misbehaviour"],
        )
        .json();
    assert!(has_event(&stopped, "BookingReported"), "{stopped}");
    cli.refused(
        Some("//Bob"),
        &["claim", booking_id],
        "there is no such active booking",
    );
    // Reported at its stop: nothing is left to report later.
    cli.refused(
        Some("//Charlie"),
        &["report", booking_id],
        "no ended booking with this id waits for a report",
    );
}

/// Charlie withdraws all that is free.
fn charlie_withdraws_all(cli: &Cli) {
    let free = cli.free_balance("//Charlie");
    let withdrawn = cli.run(Some("//Charlie"), &["withdraw", "all"]).json();
    assert_eq!(withdrawn["withdrawn"], free.as_str());
    assert_eq!(cli.free_balance("//Charlie"), "0");
}

/// The community collects its fee and lowers it by vote; the execution
/// waits for the vote to end.
fn the_community_lowers_its_fee(cli: &Cli) {
    let collected = cli.run(Some("//Alice"), &["community", "collect"]).json();
    assert!(has_event(&collected, "FeesCollected"), "{collected}");
    // No stablecoin change yet, so no fee book has closed.
    cli.refused(
        Some("//Alice"),
        &["community", "claim", "--book", "0"],
        "no closed fee book has this id",
    );
    let proposed = cli
        .run(
            Some("//Alice"),
            &[
                "community",
                "propose",
                "--description",
                "lower the fee",
                "fee",
                "300",
            ],
        )
        .json();
    let proposal = proposed["proposal"].to_string();
    cli.run(Some("//Alice"), &["community", "vote", &proposal, "yes"])
        .json();
    cli.refused(
        Some("//Alice"),
        &["community", "execute", &proposal],
        "the proposal is still open for votes",
    );
    std::thread::sleep(std::time::Duration::from_secs(7));
    // A dev node seals a block only for a transaction: one for the clock.
    cli.run(
        Some("//Eve"),
        &["miner-url", "--set", "https://eve.example"],
    )
    .json();
    let executed = cli
        .run(Some("//Eve"), &["community", "execute", &proposal])
        .json();
    assert!(has_event(&executed, "CommunityFeeChanged"), "{executed}");
    assert_eq!(cli.run(None, &["info"]).json()["community_fee_bps"], 300);
}

/// A membership proposal is described in a sentence.
fn a_membership_proposal_reads_as_a_sentence(cli: &Cli) {
    let dave = ss58(&account_of(&dev::dave()));
    let membership = cli
        .run(
            Some("//Eve"),
            &["community", "propose", "add-member", &dave, "2"],
        )
        .json();
    let shown = cli
        .run(
            None,
            &["community", "proposal", &membership["proposal"].to_string()],
        )
        .json();
    assert_eq!(shown["state"], "voting", "{shown}");
    let expected = format!("add the member {dave} with weight 2");
    assert_eq!(shown["action"], expected.as_str(), "{shown}");
}

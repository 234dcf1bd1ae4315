//! The JSON API over real HTTP requests on a local socket: events filtered
//! and paged, a miner's reputation, offer search, and a 400 with a sentence
//! for every kind of wrong parameter.
use broker::types::BalanceReport;
use broker::types::Offer;
use ink::primitives::AccountId;
use p2pcloud_client::{
    domain::{ss58, EventKind, Position, StopReason},
    history::Record,
    time_left::BalanceSummary,
};
use p2pcloud_indexer::{
    api::{ErrorAnswer, EventsPage, OffersAnswer, ReputationAnswer},
    http::{router, Api, BalanceQuestion},
    page::Cursor,
    search::Catalogue,
    store::Store,
};
use serde::de::DeserializeOwned;
use std::sync::{Arc, RwLock};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

const MINER: [u8; 32] = [9; 32];

fn record(block: u64, kind: EventKind, user: u8) -> Record {
    Record {
        position: Position {
            block_number: block,
            block_time: 1_767_225_600_000 + block * 6_000,
            event_index: 1,
            extrinsic_index: Some(1),
        },
        kind,
        booking_id: block,
        user: AccountId::from([user; 32]),
        miner: AccountId::from(MINER),
        reason: (kind != EventKind::Payment).then_some(StopReason::MinerMisbehaviour),
        seconds: 600,
        amount: 600_000_000,
        paid_amount: if kind == EventKind::Payment {
            600_000_000
        } else {
            0
        },
        paid_seconds: if kind == EventKind::Payment { 600 } else { 0 },
    }
}

/// GET `path`: the status and the JSON body, read as a `T`.
async fn get<T: DeserializeOwned>(address: std::net::SocketAddr, path: &str) -> (u16, T) {
    let mut stream = TcpStream::connect(address).await.expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("read");
    let response = String::from_utf8(response).expect("utf-8");
    let (head, body) = response.split_once("\r\n\r\n").expect("a head and a body");
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("a status");
    let body = serde_json::from_str(body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"));
    (status, body)
}

/// When the node answers: a user whose bookings cost 10 a second, paid for
/// until a day and three hours after `NOW`.
const NOW: u64 = 1_796_083_200_000;

/// The server's side of its node connection, answering every balance
/// question as the node would for that user.
fn node_answering_balances() -> tokio::sync::mpsc::Sender<BalanceQuestion> {
    let (asker, mut questions) = tokio::sync::mpsc::channel::<BalanceQuestion>(4);
    tokio::spawn(async move {
        while let Some(question) = questions.recv().await {
            let report = BalanceReport {
                deposited: 7_000_000,
                owed: 0,
                locked: 6_048_000,
                free: 952_000,
                runs_out_at: Some(NOW + 97_200_000),
            };
            let summary = BalanceSummary::new(ss58(&question.account), &report, NOW, "mUSD", 6);
            let _ = question.answer.send(Ok(summary));
        }
    });
    asker
}

#[tokio::test(flavor = "multi_thread")]
async fn the_api_answers_over_http_and_refuses_bad_queries_with_a_400() {
    let path = std::env::temp_dir().join(format!("p2pcloud-http-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let store = Store::open(path.to_str().expect("a path"))
        .await
        .expect("open");
    for block in 1..=12u64 {
        let kind = if block % 4 == 0 {
            EventKind::Complaint
        } else {
            EventKind::Payment
        };
        store
            .save_block(block, &[record(block, kind, (block % 3) as u8 + 1)])
            .await
            .expect("save");
    }
    let offer = |vm_type_id, price| Offer {
        miner: AccountId::from(MINER),
        vm_type_id,
        price_per_second: price,
        machines: 2,
        booked: 0,
        specs: [0; 32],
        closed: false,
    };
    let api = Api {
        store: Arc::new(store),
        catalogue: Arc::new(
            Catalogue::parse(include_str!("../data/catalogue.sample.json")).expect("catalogue"),
        ),
        offers: Arc::new(RwLock::new(vec![
            (0, offer(1, 10)),
            (1, offer(2, 30)),
            (2, offer(2, 20)),
        ])),
        balances: Some(node_answering_balances()),
    };
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, router(api)).await });

    let (status, page): (_, EventsPage) = get(address, "/events?kind=complaint&limit=2").await;
    assert_eq!(status, 200, "{page:?}");
    let blocks: Vec<u64> = page.events.iter().map(|event| event.block).collect();
    assert_eq!(blocks, vec![4, 8]);
    assert_eq!(page.next, Some(Cursor { block: 8, event: 1 }));
    let (_, rest): (_, EventsPage) = get(address, "/events?kind=complaint&limit=2&after=8:1").await;
    assert_eq!(rest.events[0].block, 12);
    assert_eq!(rest.events[0].reason, Some(StopReason::MinerMisbehaviour));
    let user = ss58(&AccountId::from([2; 32]));
    let (_, by_user): (_, EventsPage) = get(
        address,
        &format!("/events?user={user}&from_block=2&to_block=9"),
    )
    .await;
    let blocks: Vec<u64> = by_user.events.iter().map(|event| event.block).collect();
    assert_eq!(blocks, vec![4, 7]);

    let miner = ss58(&AccountId::from(MINER));
    let (status, reputation): (_, ReputationAnswer) =
        get(address, &format!("/miners/{miner}/reputation")).await;
    assert_eq!(status, 200, "{reputation:?}");
    assert_eq!(reputation.complaints, 3);
    assert_eq!(reputation.distinct_users, 3);
    assert_eq!(reputation.seconds_served, 5_400);

    let (status, found): (_, OffersAnswer) =
        get(address, "/offers/search?min_ram_gb=16&region=eu-west").await;
    assert_eq!(status, 200, "{found:?}");
    let offers: Vec<u64> = found.offers.iter().map(|offer| offer.offer).collect();
    assert_eq!(offers, vec![2, 1], "cheapest first");

    let (status, balance): (_, BalanceSummary) =
        get(address, &format!("/accounts/{user}/balance")).await;
    assert_eq!(status, 200, "{balance:?}");
    assert_eq!(balance.account, user.as_str());
    assert_eq!(balance.deposited, "7");
    assert_eq!(balance.runs_out_at, Some(NOW + 97_200_000));
    assert_eq!(
        balance.time_left,
        "runs out in 1 day 3 hours, at 2026-12-02 03:00 UTC"
    );

    for (path, says) in [
        ("/events?kind=bogus", "is not a kind"),
        ("/events?limit=0", "is not from 1 to 1000"),
        ("/events?user=somebody", "neither an SS58 address"),
        ("/events?after=12", "is not a position"),
        ("/events?reason=angry", "is not a reason"),
        (
            "/events?kind=payment&reason=misbehaviour",
            "payments have no reason",
        ),
        (
            "/events?from_block=yesterday",
            "from_block \"yesterday\" is not a whole number",
        ),
        ("/miners/0x12/reputation", "not 32 bytes"),
        ("/accounts/nobody/balance", "neither an SS58 address"),
        ("/offers/search?sort=random", "is not an order"),
        (
            "/offers/search?min_cpu=lots",
            "min_cpu \"lots\" is not a whole number",
        ),
    ] {
        let (status, body): (_, ErrorAnswer) = get(address, path).await;
        assert_eq!(status, 400, "{path}: {body:?}");
        assert!(
            body.error.contains(says),
            "{path}: {:?} does not say {says:?}",
            body.error
        );
    }
    let _ = std::fs::remove_file(path);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_without_a_node_connection_says_so_for_balances() {
    let path = std::env::temp_dir().join(format!("p2pcloud-http-none-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let api = Api {
        store: Arc::new(
            Store::open(path.to_str().expect("a path"))
                .await
                .expect("open"),
        ),
        catalogue: Arc::new(
            Catalogue::parse(include_str!("../data/catalogue.sample.json")).expect("catalogue"),
        ),
        offers: Arc::new(RwLock::new(Vec::new())),
        balances: None,
    };
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, router(api)).await });
    let user = ss58(&AccountId::from([2; 32]));
    let (status, body): (_, ErrorAnswer) = get(address, &format!("/accounts/{user}/balance")).await;
    assert_eq!(status, 500, "{body:?}");
    assert_eq!(
        body.error,
        "this server has no node connection to read balances from"
    );
    let _ = std::fs::remove_file(path);
}

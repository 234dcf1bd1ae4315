//! The web console beside the JSON API, over real HTTP requests on a local
//! socket: its page, script and style as built into the binary, each with
//! the content security policy that keeps it to this server and the node,
//! its defaults, and the API's paths answering as before.
use p2pcloud_indexer::{
    api::{EventsPage, OffersAnswer},
    console::{self, ConsoleDefaults, CONTENT_SECURITY_POLICY},
    http::{router, Api},
    search::Catalogue,
    store::Store,
};
use std::sync::{Arc, RwLock};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

/// An answer: its status, its headers (names lower-cased) and its body.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

async fn get(address: std::net::SocketAddr, path: &str) -> Answer {
    let mut stream = TcpStream::connect(address).await.expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("read");
    let split = response
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .expect("a head and a body");
    let head = String::from_utf8(response[..split].to_vec()).expect("utf-8 head");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .expect("a status");
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    Answer {
        status,
        headers,
        body: response[split + 4..].to_vec(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_console_is_served_beside_the_api_and_kept_to_this_server_and_the_node() {
    let path = std::env::temp_dir().join(format!("p2pcloud-console-{}.db", std::process::id()));
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
    let defaults = ConsoleDefaults {
        broker: "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty".into(),
        node_url: "ws://127.0.0.1:9944".into(),
    };
    let app = router(api).merge(console::router(defaults.clone()));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });

    let page = get(address, "/").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(
        page.header("content-security-policy"),
        Some(CONTENT_SECURITY_POLICY)
    );
    assert!(
        page.text().contains(r#"<script defer src="app.js">"#),
        "{}",
        page.text()
    );
    assert_eq!(get(address, "/index.html").await.body, page.body);

    let script = get(address, "/app.js").await;
    assert_eq!(script.status, 200);
    assert_eq!(
        script.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(script.header("x-content-type-options"), Some("nosniff"));
    assert!(script.body.len() > 100_000, "the whole bundle");
    let style = get(address, "/app.css").await;
    assert_eq!(
        style.header("content-type"),
        Some("text/css; charset=utf-8")
    );

    let answered = get(address, "/console/defaults.json").await;
    let read: ConsoleDefaults = serde_json::from_slice(&answered.body).expect("defaults");
    assert_eq!(read, defaults);

    // The API's paths answer as before.
    let events = get(address, "/events").await;
    assert_eq!(events.status, 200);
    let page: EventsPage = serde_json::from_slice(&events.body).expect("events");
    assert!(page.events.is_empty());
    let offers: OffersAnswer =
        serde_json::from_slice(&get(address, "/offers/search").await.body).expect("offers");
    assert!(offers.offers.is_empty());
    assert_eq!(get(address, "/nothing-here").await.status, 404);
    let _ = std::fs::remove_file(path);
}

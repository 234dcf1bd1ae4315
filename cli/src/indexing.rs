//! `p2pcloud index`, `events`, `reputation`, `search` and `serve`: the read
//! side, from the indexer's store.
use crate::{
    args::{Global, SearchArgs},
    deploy::read_deployment,
    output::Output,
    say, session,
};
use ink::primitives::AccountId;
use p2pcloud_client::units::parse_duration_ms;
use p2pcloud_client::{
    chain::Chain,
    events::{parse_account, ss58},
    node::NodeChain,
    sdk::{P2pCloud, Session},
    time_left::BalanceSummary,
};
use p2pcloud_indexer::{
    api::{
        event_json, events_page, miner_reputation, now_ms, reputation_json, search_offers,
        EventQuery,
    },
    follow::{follow, Watched},
    http::{serve as serve_api, Api, BalanceQuestion},
    search::Catalogue,
    store::Store,
};
use std::{
    sync::{Arc, RwLock},
    time::Duration,
};

async fn open(global: &Global) -> Result<Store, String> {
    Store::open(&global.db).await.map_err(|e| e.to_string())
}

/// Follows the node's finalized chain into the store, saying what it did.
pub async fn index(
    global: &Global,
    from_block: u64,
    until: Option<u64>,
    once: bool,
    every: &str,
) -> Result<(), String> {
    let every = Duration::from_millis(parse_duration_ms(every)?);
    let until = if once {
        let mut node = NodeChain::connect(&global.url, Vec::new())
            .await
            .map_err(|e| e.to_string())?;
        Some(node.finalized_block().await.map_err(|e| e.to_string())?)
    } else {
        until
    };
    let deployment = read_deployment(global)?;
    if let Some(folder) = &deployment.bundles {
        p2pcloud_client::events::use_metadata_from(folder.clone());
    }
    let watched = Watched {
        broker: parse_account(&deployment.broker)?,
        community: parse_account(&deployment.community)?,
    };
    let store = open(global).await?;
    if let Some(last) = store.last_block().await.map_err(|e| e.to_string())? {
        eprintln!("p2pcloud: resuming after block {last}");
    }
    follow(
        &global.url,
        &store,
        &watched,
        from_block,
        until,
        every,
        |error| eprintln!("p2pcloud: {error}; trying again"),
    )
    .await
    .map_err(|e| e.to_string())?;
    let last = store.last_block().await.map_err(|e| e.to_string())?;
    let count = store.count().await.map_err(|e| e.to_string())?;
    eprintln!(
        "p2pcloud: indexed up to block {}, {count} events stored",
        last.unwrap_or_default()
    );
    Ok(())
}

pub async fn events(global: &Global, query: &EventQuery, out: &Output) -> Result<(), String> {
    let store = open(global).await?;
    let page = events_page(&store, query)
        .await
        .map_err(|e| e.to_string())?;
    let rows = page["events"].as_array().cloned().unwrap_or_default();
    out.table(&rows);
    if let Some(next) = page["next"].as_str() {
        eprintln!("p2pcloud: more after {next} (pass --after {next})");
    }
    Ok(())
}

/// The events `query` wants, read from the node's blocks through the SDK
/// (no index needed; at most `MAX_SCANNED_BLOCKS` blocks).
pub async fn events_on_chain(
    session: &mut Session<NodeChain>,
    query: &EventQuery,
    out: &Output,
) -> Result<(), String> {
    let (filter, after, limit) = query.read()?;
    if after.is_some() {
        return Err("--after pages the index; with --chain, narrow the blocks instead".into());
    }
    let records = session
        .broker_events(&filter)
        .await
        .map_err(|e| e.to_string())?;
    let shown = records.len().min(limit as usize);
    let rows: Vec<serde_json::Value> = records[..shown].iter().map(event_json).collect();
    out.table(&rows);
    if records.len() > shown {
        eprintln!(
            "p2pcloud: {} more; raise --limit or narrow the blocks",
            records.len() - shown
        );
    }
    Ok(())
}

/// Every stored event of the broker and the community (named `name`, if
/// given), oldest first, as the contracts' metadata prints them.
pub async fn log(
    global: &Global,
    name: Option<&str>,
    limit: u32,
    out: &Output,
) -> Result<(), String> {
    let deployment = read_deployment(global)?;
    let community = parse_account(&deployment.community)?;
    let store = open(global).await?;
    let events = store
        .contract_events(name, limit)
        .await
        .map_err(|e| e.to_string())?;
    let rows: Vec<serde_json::Value> = events
        .iter()
        .map(|(contract, name, text)| {
            let role = if *contract == community {
                "community"
            } else {
                "broker"
            };
            serde_json::json!({ "contract": role, "name": name, "event": text })
        })
        .collect();
    out.table(&rows);
    Ok(())
}

pub async fn reputation(global: &Global, miner: &str, out: &Output) -> Result<(), String> {
    let miner = parse_account(miner)?;
    let store = open(global).await?;
    let report = miner_reputation(&store, miner, now_ms())
        .await
        .map_err(|e| e.to_string())?;
    out.record(&reputation_json(&report));
    Ok(())
}

fn catalogue(path: &std::path::Path) -> Result<Catalogue, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the catalogue {}: {e}", path.display()))?;
    Catalogue::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

pub async fn search(global: &Global, args: &SearchArgs, out: &Output) -> Result<(), String> {
    let catalogue = catalogue(&args.catalogue)?;
    let store = open(global).await?;
    let mut session = session(global).await?;
    let offers = session
        .available_offers(None)
        .await
        .map_err(|e| e.to_string())?;
    let found = search_offers(&store, &offers, &catalogue, &args.query(), now_ms())
        .await
        .map_err(|e| e.to_string())?;
    out.table(&found["offers"].as_array().cloned().unwrap_or_default());
    Ok(())
}

/// Serves the JSON API until stopped, refreshing the offers every `refresh`.
pub async fn serve(
    global: &Global,
    listen: &str,
    catalogue_path: &std::path::Path,
    refresh: &str,
) -> Result<(), String> {
    let refresh = Duration::from_millis(parse_duration_ms(refresh)?);
    let (asker, mut questions) = tokio::sync::mpsc::channel::<BalanceQuestion>(16);
    let api = Api {
        store: Arc::new(open(global).await?),
        catalogue: Arc::new(catalogue(catalogue_path)?),
        offers: Arc::new(RwLock::new(Vec::new())),
        balances: Some(asker),
    };
    let offers = api.offers.clone();
    let mut session = session(global).await?;
    // The node connection runs beside the server in this task (the session
    // is not shared between threads): it refreshes the offers and answers
    // the balance questions the server forwards.
    let node_side = async move {
        let mut next_refresh = tokio::time::Instant::now();
        loop {
            tokio::select! {
                () = tokio::time::sleep_until(next_refresh) => {
                    match session.available_offers(None).await {
                        Ok(fresh) => {
                            if let Ok(mut held) = offers.write() {
                                *held = fresh;
                            }
                        }
                        Err(error) => eprintln!("p2pcloud: offers not refreshed: {error}"),
                    }
                    next_refresh = tokio::time::Instant::now() + refresh;
                }
                Some(question) = questions.recv() => {
                    let summary = balance_summary(&mut session, question.account).await;
                    let _ = question.answer.send(summary);
                }
            }
        }
    };
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    eprintln!("p2pcloud: serving on http://{listen}");
    tokio::select! {
        served = serve_api(listener, api) => served.map_err(|e| format!("the server stopped: {e}")),
        () = node_side => Ok(()),
    }
}

/// What `p2pcloud balance` prints for `account`, read from the node now.
async fn balance_summary(
    session: &mut Session<NodeChain>,
    account: AccountId,
) -> Result<BalanceSummary, String> {
    let token = session.token().await.map_err(say)?;
    let report = session.balance(account).await.map_err(say)?;
    let now = session.now().await.map_err(say)?;
    Ok(BalanceSummary::new(
        ss58(&account),
        &report,
        now,
        &token.symbol,
        token.decimals,
    ))
}

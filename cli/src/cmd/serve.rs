//! `p2pcloud serve`: the indexer's JSON API, with the node connection that
//! keeps its offers fresh and answers balance questions; with `--console`,
//! the web console beside it.
use super::search::read_catalogue;
use crate::{context::Context, error::CliError};
use clap::Args;
use ink::primitives::AccountId;
use p2pcloud_client::{
    domain::{ss58, Duration},
    node::NodeChain,
    sdk::{P2pCloud, Session},
    time_left::BalanceSummary,
};
use p2pcloud_indexer::{
    console::{self, ConsoleDefaults},
    http::{router, serve, Api, BalanceQuestion},
};
use std::{
    path::PathBuf,
    sync::{Arc, RwLock},
};
use tokio::sync::mpsc;

#[derive(Args)]
pub struct ServeCommand {
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: String,
    /// The VM type catalogue for /offers/search.
    #[arg(long)]
    catalogue: PathBuf,
    /// How often to read the offers from the broker.
    #[arg(long, default_value = "30s")]
    refresh: Duration,
    /// Also serve the web console at / (the pages over the API and the
    /// node: market, account, miner, community), built into this binary.
    #[arg(long)]
    console: bool,
}

impl ServeCommand {
    /// Serves the JSON API until stopped, refreshing the offers every
    /// `--refresh`.
    pub async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        let (asker, questions) = mpsc::channel::<BalanceQuestion>(16);
        let api = Api {
            store: Arc::new(ctx.store().await?),
            catalogue: Arc::new(read_catalogue(&self.catalogue)?),
            offers: Arc::new(RwLock::new(Vec::new())),
            balances: Some(asker),
        };
        let offers = api.offers.clone();
        let session = ctx.session().await?;
        let mut app = router(api);
        if self.console {
            app = app.merge(console::router(ConsoleDefaults {
                broker: ctx.deployment()?.broker,
                node_url: ctx.global.url.clone(),
            }));
        }
        let listen = &self.listen;
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
        if self.console {
            eprintln!("p2pcloud: serving the API and the console on http://{listen}/");
        } else {
            eprintln!("p2pcloud: serving on http://{listen}");
        }
        tokio::select! {
            served = serve(listener, app) => {
                served.map_err(|e| format!("the server stopped: {e}").into())
            }
            () = node_side(session, offers, questions, self.refresh) => Ok(()),
        }
    }
}

/// The node connection, beside the server in the same task (the session is
/// not shared between threads): it refreshes the offers and answers the
/// balance questions the server forwards.
async fn node_side(
    mut session: Session<NodeChain>,
    offers: Arc<RwLock<Vec<(broker::types::OfferId, broker::types::Offer)>>>,
    mut questions: mpsc::Receiver<BalanceQuestion>,
    refresh: Duration,
) {
    let refresh = std::time::Duration::from_millis(refresh.ms());
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
                let _ = question.answer.send(summary.map_err(|error| error.to_string()));
            }
        }
    }
}

/// What `p2pcloud balance` prints for `account`, read from the node now.
async fn balance_summary(
    session: &mut Session<NodeChain>,
    account: AccountId,
) -> Result<BalanceSummary, p2pcloud_client::Error> {
    let token = session.token().await?;
    let report = session.balance(account).await?;
    let now = session.now().await?;
    Ok(BalanceSummary::new(
        ss58(&account),
        &report,
        now,
        &token.symbol,
        token.decimals,
    ))
}

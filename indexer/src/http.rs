//! The HTTP JSON API (`p2pcloud serve`): events, a miner's reputation,
//! offer search and an account's balance with its time left. A query with a wrong parameter gets a 400 whose body says
//! which and why; a failure of the store a 500.
use crate::{
    api::{
        events_page, miner_reputation, now_ms, reputation_json, search_offers, ApiError,
        EventQuery, SearchQuery,
    },
    search::Catalogue,
    store::Store,
};
use axum::{
    extract::{rejection::QueryRejection, Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use broker::types::{Offer, OfferId};
use ink::primitives::AccountId;
use p2pcloud_client::{domain::Address, time_left::BalanceSummary};
use serde_json::{json, Value};
use std::sync::{Arc, RwLock};
use tokio::sync::{mpsc, oneshot};

/// A question for whoever holds the node connection: `account`'s balance.
pub struct BalanceQuestion {
    pub account: AccountId,
    pub answer: oneshot::Sender<Result<BalanceSummary, String>>,
}

/// What the API answers from.
#[derive(Clone)]
pub struct Api {
    pub store: Arc<Store>,
    pub catalogue: Arc<Catalogue>,
    /// The broker's offers, refreshed by whoever runs the server.
    pub offers: Arc<RwLock<Vec<(OfferId, Offer)>>>,
    /// Where balance questions go (the server's node connection), if any.
    pub balances: Option<mpsc::Sender<BalanceQuestion>>,
}

/// `GET /events`, `GET /miners/{account}/reputation`, `GET /offers/search`,
/// `GET /accounts/{account}/balance`.
pub fn router(api: Api) -> Router {
    Router::new()
        .route("/events", get(events))
        .route("/miners/:account/reputation", get(reputation))
        .route("/accounts/:account/balance", get(balance))
        .route("/offers/search", get(offers))
        .with_state(api)
}

struct Answer(Result<Value, ApiError>);

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        match self.0 {
            Ok(body) => (StatusCode::OK, Json(body)).into_response(),
            Err(ApiError::BadQuery(why)) => {
                (StatusCode::BAD_REQUEST, Json(json!({ "error": why }))).into_response()
            }
            Err(ApiError::Failed(why)) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(json!({ "error": why })),
            )
                .into_response(),
        }
    }
}

/// A query string that does not parse (a word where a number goes) is a 400
/// with axum's own explanation.
fn read<T>(query: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    query
        .map(|Query(query)| query)
        .map_err(|rejection| ApiError::BadQuery(rejection.body_text()))
}

async fn events(
    State(api): State<Api>,
    query: Result<Query<EventQuery>, QueryRejection>,
) -> Answer {
    let answer = match read(query) {
        Ok(query) => events_page(&api.store, &query).await,
        Err(refused) => Err(refused),
    };
    Answer(answer)
}

async fn reputation(State(api): State<Api>, Path(account): Path<String>) -> Answer {
    let answer = match account.parse::<Address>() {
        Ok(miner) => miner_reputation(&api.store, miner.into(), now_ms())
            .await
            .map(|report| reputation_json(&report)),
        Err(refused) => Err(ApiError::BadQuery(refused.to_string())),
    };
    Answer(answer)
}

async fn offers(
    State(api): State<Api>,
    query: Result<Query<SearchQuery>, QueryRejection>,
) -> Answer {
    let query = match read(query) {
        Ok(query) => query,
        Err(refused) => return Answer(Err(refused)),
    };
    let offers = api
        .offers
        .read()
        .map(|offers| offers.clone())
        .unwrap_or_default();
    Answer(search_offers(&api.store, &offers, &api.catalogue, &query, now_ms()).await)
}

/// The account's balance report and time left, asked of the node through
/// the server's own connection (a dashboard needs none of its own).
async fn balance(State(api): State<Api>, Path(account): Path<String>) -> Answer {
    let account = match account.parse::<Address>() {
        Ok(address) => address.into(),
        Err(refused) => return Answer(Err(ApiError::BadQuery(refused.to_string()))),
    };
    let failed = |why: &str| Answer(Err(ApiError::Failed(why.to_string())));
    let Some(asker) = &api.balances else {
        return failed("this server has no node connection to read balances from");
    };
    let (answer, answered) = oneshot::channel();
    if asker
        .send(BalanceQuestion { account, answer })
        .await
        .is_err()
    {
        return failed("the server's node connection is gone");
    }
    match answered.await {
        Ok(Ok(summary)) => {
            Answer(serde_json::to_value(summary).map_err(|e| ApiError::Failed(e.to_string())))
        }
        Ok(Err(why)) => failed(&why),
        Err(_) => failed("the server's node connection did not answer"),
    }
}

/// Serves the API on `listener` until the server stops.
pub async fn serve(listener: tokio::net::TcpListener, api: Api) -> std::io::Result<()> {
    axum::serve(listener, router(api)).await
}

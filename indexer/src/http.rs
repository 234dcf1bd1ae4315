//! The HTTP JSON API (`p2pcloud serve`): events, a miner's reputation,
//! offer search and an account's balance with its time left. A query with a
//! wrong parameter gets a 400 whose body says which and why; a failure of the
//! store or of the node a 500.
use crate::{
    api::{
        events_page, miner_reputation, now_ms, search_offers, ApiError, ErrorAnswer, EventQuery,
        EventsPage, OffersAnswer, ReputationAnswer, SearchQuery,
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
use p2pcloud_client::{
    domain::{account::AddressError, Address},
    time_left::BalanceSummary,
};
use serde_json::Value;
use std::{
    error::Error,
    sync::{Arc, RwLock},
};
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

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            Self::BadQuery(_) => StatusCode::BAD_REQUEST,
            Self::Store(_) | Self::Failed(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorAnswer {
            error: self.to_string(),
        };
        (self.status(), Json(body)).into_response()
    }
}

/// A parameter that does not read: the sentence its type refuses it with
/// (axum's own text wraps it in "Failed to deserialize query string").
impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self::BadQuery(
            rejection
                .source()
                .map_or_else(|| rejection.body_text(), ToString::to_string),
        )
    }
}

impl From<AddressError> for ApiError {
    fn from(error: AddressError) -> Self {
        Self::BadQuery(error.to_string())
    }
}

async fn events(
    State(api): State<Api>,
    query: Result<Query<EventQuery>, QueryRejection>,
) -> Result<Json<EventsPage>, ApiError> {
    let Query(query) = query?;
    Ok(Json(events_page(&api.store, &query).await?))
}

async fn reputation(
    State(api): State<Api>,
    Path(miner): Path<String>,
) -> Result<Json<ReputationAnswer>, ApiError> {
    let miner: Address = miner.parse()?;
    let report = miner_reputation(&api.store, miner.into(), now_ms()).await?;
    Ok(Json(ReputationAnswer::from(&report)))
}

async fn offers(
    State(api): State<Api>,
    query: Result<Query<SearchQuery>, QueryRejection>,
) -> Result<Json<OffersAnswer>, ApiError> {
    let Query(query) = query?;
    let offers = api
        .offers
        .read()
        .map(|offers| offers.clone())
        .unwrap_or_default();
    Ok(Json(
        search_offers(&api.store, &offers, &api.catalogue, &query, now_ms()).await?,
    ))
}

/// The account's balance report and time left, asked of the node through
/// the server's own connection (a dashboard needs none of its own).
async fn balance(
    State(api): State<Api>,
    Path(account): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let account: Address = account.parse()?;
    let failed = |why: &str| ApiError::Failed(why.to_string());
    let asker = api
        .balances
        .as_ref()
        .ok_or_else(|| failed("this server has no node connection to read balances from"))?;
    let (answer, answered) = oneshot::channel();
    let question = BalanceQuestion {
        account: account.into(),
        answer,
    };
    asker
        .send(question)
        .await
        .map_err(|_| failed("the server's node connection is gone"))?;
    let summary = answered
        .await
        .map_err(|_| failed("the server's node connection did not answer"))?
        .map_err(ApiError::Failed)?;
    // Through a `Value`, whose keys are sorted: the order this answer has
    // always had.
    serde_json::to_value(summary)
        .map(Json)
        .map_err(|error| ApiError::Failed(error.to_string()))
}

/// Serves `app` (the API's [`router`], with the console's routes beside it
/// or not) on `listener` until the server stops.
pub async fn serve(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    axum::serve(listener, app).await
}

//! The web console (`console/` in the repository) that `p2pcloud serve
//! --console` serves beside the JSON API: `/` (its page), `/app.js`,
//! `/app.css`, and `/console/defaults.json` (the node and the broker it
//! starts with).
//!
//! The assets are the ones built into `console/dist` and committed there
//! (`scripts/build_console.sh`), embedded in the binary when this crate
//! compiles: serving the console needs no npm and no file beside the
//! binary, and the console a binary serves is the one its source names.
//!
//! Every asset carries a content security policy: the page runs only this
//! server's script and style, and connects only to this server (the JSON
//! API) and over WebSocket (the node the user chooses). Nothing is loaded
//! from any other host.
use axum::{
    http::header,
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use serde::{Deserialize, Serialize};

/// One built file of the console.
struct Asset {
    content_type: &'static str,
    body: &'static [u8],
}

const PAGE: Asset = Asset {
    content_type: "text/html; charset=utf-8",
    body: include_bytes!("../../console/dist/index.html"),
};

const SCRIPT: Asset = Asset {
    content_type: "text/javascript; charset=utf-8",
    body: include_bytes!("../../console/dist/app.js"),
};

const STYLE: Asset = Asset {
    content_type: "text/css; charset=utf-8",
    body: include_bytes!("../../console/dist/app.css"),
};

/// What the console may load and reach. `'wasm-unsafe-eval'` lets the
/// signing library compile its own WebAssembly (sr25519, hashing), which the
/// script carries inline: without it Chromium refuses it and the page cannot
/// even open its node connection (console/test/browser.test.ts runs the
/// console under this policy). `ws:`/`wss:` is the node, whichever the user
/// chooses.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self' \
     'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; \
     base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// `GET /console/defaults.json`: where the console connects until its user
/// says otherwise (the serving CLI's own `--url` and deployment).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleDefaults {
    /// The broker's address; the console reads the community and the
    /// stablecoin from it.
    pub broker: String,
    pub node_url: String,
}

/// The console's routes, to merge beside the JSON API's.
pub fn router(defaults: ConsoleDefaults) -> Router {
    Router::new()
        .route("/", get(|| async { served(&PAGE) }))
        .route("/index.html", get(|| async { served(&PAGE) }))
        .route("/app.js", get(|| async { served(&SCRIPT) }))
        .route("/app.css", get(|| async { served(&STYLE) }))
        .route(
            "/console/defaults.json",
            get(move || {
                let defaults = defaults.clone();
                async move { Json(defaults) }
            }),
        )
}

fn served(asset: &'static Asset) -> Response {
    (
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "no-referrer"),
            // The assets change with the binary: ask again each load.
            (header::CACHE_CONTROL, "no-cache"),
        ],
        asset.body,
    )
        .into_response()
}

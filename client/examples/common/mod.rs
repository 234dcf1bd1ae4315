//! How every example reaches the protocol: the node's URL is the first
//! argument (default `ws://127.0.0.1:9944`), the deployment file that
//! `p2pcloud deploy` wrote the second (default `p2pcloud.json`, as the CLI).
use p2pcloud_client::{
    chain::Keypair, domain::Address, node::NodeChain, protocol::Protocol, sdk::Session,
};
use std::fmt;

/// The contracts' addresses, as the deployment file names them.
#[derive(serde::Deserialize)]
struct Deployment {
    community: String,
    broker: String,
}

/// A session signed by `signer` with the deployed protocol, on the node.
pub async fn connect(signer: Keypair) -> Result<Session<NodeChain>, Failure> {
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "ws://127.0.0.1:9944".into());
    let path = std::env::args()
        .nth(2)
        .unwrap_or_else(|| "p2pcloud.json".into());
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!("cannot read the deployment file {path}: {e} (deploy first: p2pcloud deploy)")
    })?;
    let deployment: Deployment =
        serde_json::from_str(&text).map_err(|e| format!("{path} is not a deployment file: {e}"))?;
    let community: Address = deployment.community.parse()?;
    let broker: Address = deployment.broker.parse()?;
    // No Wasm files: they are for uploading code, and these examples only
    // call the deployed contracts.
    let chain = NodeChain::connect(&url, Vec::new())
        .await?
        .with_progress(Box::new(|status| eprintln!("  {status}")));
    Ok(Session::new(
        chain,
        Protocol::at(community.into(), broker.into()),
        signer,
    ))
}

/// Why an example stopped, printed as the sentence its error reads as
/// (`main` prints the `Debug` of the error it returns).
pub struct Failure(String);

impl fmt::Debug for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<E: fmt::Display> From<E> for Failure {
    fn from(error: E) -> Self {
        Self(error.to_string())
    }
}

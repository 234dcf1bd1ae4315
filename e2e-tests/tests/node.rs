//! The scenarios on substrate-contracts-node: each test starts a fresh `--dev`
//! node (from `CONTRACTS_NODE` or the binary on `PATH`) and every step is a
//! real extrinsic.
use e2e_tests::{
    bundles::contract_wasm, hostile::hostile_tokens, protocol::Failure, workflow::booking_workflow,
};
use p2pcloud_client::node::NodeChain;

fn print(line: String) {
    println!("{line}");
}

#[tokio::test]
async fn the_booking_workflow_on_a_node() -> Result<(), Failure> {
    let mut chain = NodeChain::spawn(contract_wasm()).await?;
    booking_workflow(&mut chain, 3_000, &mut print).await
}

#[tokio::test]
async fn hostile_tokens_on_a_node() -> Result<(), Failure> {
    let mut chain = NodeChain::spawn(contract_wasm()).await?;
    hostile_tokens(&mut chain, &mut print).await
}

#[tokio::test]
async fn the_broker_is_upgraded_by_vote_on_a_node() -> Result<(), Failure> {
    let mut chain = NodeChain::spawn(contract_wasm()).await?;
    e2e_tests::upgrade::upgrade_by_vote(&mut chain).await
}

#[tokio::test]
async fn the_deployment_is_verified_on_a_node() -> Result<(), Failure> {
    let chain = NodeChain::spawn(contract_wasm()).await?;
    let build = e2e_tests::bundles::bundle_folder();
    e2e_tests::verifying::verification(chain, &build).await
}

//! The scenarios written once for every backend (`e2e-tests/src/`), here on
//! the embedded chain; `tests/node.rs` runs them on a node.
use super::{chain, DAY_MS};
use e2e_tests::{hostile::hostile_tokens, protocol::Failure, workflow::booking_workflow};

fn quiet(_: String) {}

#[tokio::test]
async fn the_booking_workflow_on_the_embedded_chain() -> Result<(), Failure> {
    booking_workflow(&mut chain(), DAY_MS, &mut quiet).await
}

#[tokio::test]
async fn hostile_tokens_on_the_embedded_chain() -> Result<(), Failure> {
    hostile_tokens(&mut chain(), &mut quiet).await
}

#[tokio::test]
async fn the_broker_is_upgraded_by_vote_and_its_storage_migrated_once() -> Result<(), Failure> {
    e2e_tests::upgrade::upgrade_by_vote(&mut chain()).await
}

#[tokio::test]
async fn the_deployment_is_verified_against_its_build_and_the_approved_releases(
) -> Result<(), Failure> {
    let build = e2e_tests::bundles::bundle_folder();
    e2e_tests::verifying::verification(chain(), &build).await
}

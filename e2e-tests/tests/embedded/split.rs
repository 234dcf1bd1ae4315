//! The broker's split (broker/src/split.rs): the library its cold messages
//! run in stays on chain once the broker pinned it; before that, its
//! uploader could remove it and take the cold messages with it.
use super::chain;
use broker::{Broker, BrokerRef};
use e2e_tests::{
    market::Market,
    protocol::{check, check_eq, Failure, OrFail},
};
use p2pcloud_client::chain::{account_of, contract_calls, dev_accounts, Chain};

#[tokio::test]
async fn a_pinned_library_cannot_be_removed_and_the_cold_messages_answer() -> Result<(), Failure> {
    let mut market = Market::open(1).await?;
    let alice = market.cast.alice.clone();
    let Market {
        chain, protocol, ..
    } = &mut market;
    // Uploading code that is on chain changes nothing and names its hash.
    let library = chain.upload("broker_library", &alice).await?;
    check(
        chain.remove_code(&alice, library).is_err(),
        "the library's uploader cannot remove it while the broker's pin runs it",
    )?;
    check_eq(
        chain
            .query(&alice, &protocol.broker.get_community_fee())
            .await?,
        500,
        "a cold message, answered by the library",
    )
}

#[tokio::test]
async fn an_unpinned_library_can_be_removed_and_takes_the_cold_messages_with_it(
) -> Result<(), Failure> {
    let mut chain = chain();
    let [alice, ..] = dev_accounts();
    let library = chain.upload("broker_library", &alice).await?;
    let stablecoin = account_of(&alice);
    let mut constructor = BrokerRef::new(stablecoin, account_of(&alice));
    let broker_id = chain
        .instantiate("broker", &alice, &mut constructor)
        .await?
        .value;
    let mut broker = contract_calls::<Broker>(broker_id);
    check_eq(
        chain.query(&alice, &broker.get_community_fee()).await?,
        500,
        "a cold message, answered by the library",
    )?;
    // Created but not pinned: nothing keeps the library's code.
    chain.remove_code(&alice, library)?;
    check(
        chain
            .query(&alice, &broker.get_community_fee())
            .await
            .is_err(),
        "a cold message traps without its library",
    )?;
    check(
        chain.call(&alice, &broker.migrate_storage()).await.is_err(),
        "migrate_storage cannot pin a library that is not on chain",
    )?;
    let in_token = chain
        .query(&alice, &broker.check_balance_in_token(stablecoin))
        .await?
        .or_fail("check_balance_in_token")?;
    check_eq(in_token.token, stablecoin, "a hot message still answers")
}

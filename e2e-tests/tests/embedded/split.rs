//! The split (common/src/split.rs): a library its contract's cold messages
//! run in stays on chain once the contract pinned it; before that, its
//! uploader could remove it and take the cold messages with it. A community
//! swaps its own code, and the broker's, only to a hot build that pins its
//! library at once.
use super::chain;
use broker::{Broker, BrokerRef};
use community::{
    layout::LAYOUT_VERSION,
    types::{Action, BrokerCall, ProposalState},
    CommunityError,
};
use e2e_tests::{
    market::Market,
    protocol::{check, check_eq, Failure, OrFail},
    workflow::pass_vote,
};
use p2pcloud_client::chain::{account_of, contract_calls, dev_accounts, Chain};

#[tokio::test]
async fn pinned_libraries_cannot_be_removed_and_the_cold_messages_answer() -> Result<(), Failure> {
    let mut market = Market::open(1).await?;
    let alice = market.cast.alice.clone();
    let Market {
        chain, protocol, ..
    } = &mut market;
    for library in ["broker_library", "community_library"] {
        // Uploading code that is on chain changes nothing and names its hash.
        let code_hash = chain.upload(library, &alice).await?;
        check(
            chain.remove_code(&alice, code_hash).is_err(),
            format!("{library}'s uploader cannot remove it while its pin runs it"),
        )?;
    }
    check_eq(
        chain
            .query(&alice, &protocol.broker.get_community_fee())
            .await?,
        500,
        "a cold message of the broker, answered by its library",
    )?;
    check_eq(
        chain
            .query(&alice, &protocol.community.get_total_weight())
            .await?,
        4,
        "a cold message of the community, answered by its library",
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
    let nothing_sent = chain
        .query(&alice, &broker.withdraw_up_to(0))
        .await?
        .or_fail("withdraw_up_to")?;
    check_eq(
        nothing_sent.token,
        stablecoin,
        "a hot message still answers",
    )
}

/// Code that is a library (what a swap to it would leave) refuses
/// `migrate_storage`: no hot build hands that message to its library (each
/// hands over `pin_and_migrate`), so the library traps in it, and a swap to
/// a library fails there, even when the community executing it asks nothing
/// after it (release 0.1.0's does not).
#[tokio::test]
async fn code_that_is_a_library_refuses_migrate_storage() -> Result<(), Failure> {
    let mut chain = chain();
    let [alice, ..] = dev_accounts();
    let mut constructor = BrokerRef::new(account_of(&alice), account_of(&alice));
    let library_id = chain
        .instantiate("broker_library", &alice, &mut constructor)
        .await?
        .value;
    let mut library = contract_calls::<Broker>(library_id);
    check(
        chain
            .call(&alice, &library.migrate_storage())
            .await
            .is_err(),
        "migrate_storage on code that is the broker's library",
    )
}

/// broker-next's hot code stands for any code whose library is not on chain:
/// its library (broker_next_library) is never uploaded here, so its
/// `migrate_storage` cannot pin it. A swap to it would leave the community's
/// cold messages, `execute` among them, trapping for good.
#[tokio::test]
async fn a_community_swap_to_code_whose_library_is_missing_is_refused_whole() -> Result<(), Failure>
{
    community_swap_is_refused_whole("broker_next", "code that cannot pin its library").await
}

/// The community's library runs `migrate_storage` as a hot build does, but
/// traps in every hot message: a swap to it would leave every proposal, vote
/// and fee claim trapping, with no vote left to swap back.
#[tokio::test]
async fn a_community_swap_to_its_own_library_is_refused_whole() -> Result<(), Failure> {
    community_swap_is_refused_whole("community_library", "the community's own library").await
}

/// The broker's library runs `migrate_storage` as a hot build does, but
/// traps in every hot message: a swap to it would stop every deposit,
/// booking and claim until another vote swapped the code back.
#[tokio::test]
async fn a_broker_swap_to_its_own_library_is_refused_whole() -> Result<(), Failure> {
    let mut market = Market::open(1).await?;
    let alice = market.cast.alice.clone();
    let Market {
        chain, protocol, ..
    } = &mut market;
    let code_hash = chain.upload("broker_library", &alice).await?;
    let proposal = pass_vote(
        chain,
        &mut protocol.community,
        &alice,
        Action::Broker(BrokerCall::UpgradeCode(code_hash)),
    )
    .await?;
    check_eq(
        chain
            .call(&alice, &protocol.community.execute(proposal))
            .await?
            .value,
        Err(CommunityError::BrokerCallFailed),
        "the broker's swap to its own library",
    )?;
    check_eq(
        chain
            .query(&alice, &protocol.community.get_proposal_state(proposal))
            .await?,
        Some(ProposalState::Passed),
        "the proposal, still passed and not executed",
    )?;
    let nothing_sent = chain
        .query(&alice, &protocol.broker.withdraw_up_to(0))
        .await?
        .or_fail("withdraw_up_to")?;
    check_eq(nothing_sent.amount, 0, "a hot broker message still answers")?;
    check_eq(
        chain
            .query(&alice, &protocol.broker.get_community_fee())
            .await?,
        500,
        "a cold broker message, answered by its library, still answers",
    )
}

/// A vote to swap the community's code to `bundle`'s: its execution is
/// refused whole, the proposal stays passed, and the community's hot and
/// cold messages still answer.
async fn community_swap_is_refused_whole(bundle: &str, what: &str) -> Result<(), Failure> {
    let mut market = Market::open(1).await?;
    let alice = market.cast.alice.clone();
    let Market {
        chain, protocol, ..
    } = &mut market;
    // Uploading code that is on chain changes nothing and names its hash.
    let code_hash = chain.upload(bundle, &alice).await?;
    let community = &mut protocol.community;
    let proposal = pass_vote(
        chain,
        community,
        &alice,
        Action::UpgradeCommunity(code_hash),
    )
    .await?;
    check_eq(
        chain
            .call(&alice, &community.execute(proposal))
            .await?
            .value,
        Err(CommunityError::CodeUpgradeFailed),
        &format!("the swap to {what}"),
    )?;
    check_eq(
        chain
            .query(&alice, &community.get_proposal_state(proposal))
            .await?,
        Some(ProposalState::Passed),
        "the proposal, still passed and not executed",
    )?;
    check_eq(
        chain.query(&alice, &community.get_layout_version()).await?,
        LAYOUT_VERSION,
        "a hot message still answers",
    )?;
    check_eq(
        chain.query(&alice, &community.get_total_weight()).await?,
        4,
        "a cold message, answered by the library, still answers",
    )
}

//! Governance: the longest allowed release approved, the broker moving to a
//! successor community only when it accepts, and proposals passed before
//! the broker is created.
use super::chain;
use community::{
    types::{Action, BrokerCall, Release, ReleaseKind, MAX_RELEASE_FIELD_LEN},
    Community, CommunityRef,
};
use e2e_tests::{
    market::Market,
    protocol::{check, check_eq, Failure, OrFail},
    workflow::{pass_proposal, voting_rules, Cast},
};
use p2pcloud_client::chain::{account_of, contract_calls, Chain};

#[tokio::test]
async fn the_longest_allowed_release_is_approved_and_found_on_chain() -> Result<(), Failure> {
    let mut market = Market::open(1).await?;
    let alice = market.cast.alice.clone();
    // 64 + 64 bytes of names: keyed by the names themselves, this passed
    // pallet-contracts' 128-byte storage key limit and trapped.
    let release = Release {
        kind: ReleaseKind::Protocol,
        name: "n".repeat(MAX_RELEASE_FIELD_LEN),
        version: "v".repeat(MAX_RELEASE_FIELD_LEN),
        content_hash: [7; 32].into(),
    };
    let Market {
        chain, protocol, ..
    } = &mut market;
    let action = Action::ApproveRelease(release.clone());
    pass_proposal(chain, &mut protocol.community, &alice, action).await?;
    let community = &protocol.community;
    check_eq(
        chain
            .query(
                &alice,
                &community.is_release_approved(
                    release.name.clone(),
                    release.version.clone(),
                    release.content_hash,
                ),
            )
            .await?,
        true,
        "the longest release, approved",
    )?;
    let page = chain
        .query(&alice, &community.get_releases(None, 10))
        .await?
        .or_fail("get_releases")?;
    check_eq(page.items, vec![(0, release)], "the approved releases")
}

#[tokio::test]
async fn the_broker_moves_to_a_successor_community_only_when_it_accepts() -> Result<(), Failure> {
    let mut market = Market::open(1).await?;
    let cast = market.cast.clone();
    let Market {
        chain, protocol, ..
    } = &mut market;
    // Dave alone governs the successor, which adopts the running broker.
    let mut adopt = CommunityRef::adopt(
        vec![(account_of(&cast.dave), 1)],
        voting_rules(),
        protocol.broker_id,
    );
    let successor_id = chain
        .instantiate("community", &cast.dave, &mut adopt)
        .await?
        .value;
    let mut successor = contract_calls::<Community>(successor_id);
    let broker = &protocol.broker;

    // Accepting before the offer is refused, and changes nothing.
    let accept = Action::Broker(BrokerCall::AcceptCommunity);
    let refused = pass_proposal(chain, &mut successor, &cast.dave, accept.clone()).await;
    check(
        refused.is_err_and(|e| e.to_string().contains("NotProposedCommunity")),
        "an acceptance without an offer is refused",
    )?;
    let offer = Action::Broker(BrokerCall::SetCommunityContract(successor_id));
    pass_proposal(chain, &mut protocol.community, &cast.alice, offer).await?;
    check_eq(
        chain
            .query(&cast.alice, &broker.get_community_contract())
            .await?,
        protocol.community_id,
        "the community until the successor accepts",
    )?;
    check_eq(
        chain
            .query(&cast.alice, &broker.get_proposed_community())
            .await?,
        Some(successor_id),
        "the proposed successor",
    )?;
    pass_proposal(chain, &mut successor, &cast.dave, accept).await?;
    check_eq(
        chain
            .query(&cast.alice, &broker.get_community_contract())
            .await?,
        successor_id,
        "the community after the successor accepted",
    )?;
    // The old community has lost every right; the successor holds them.
    let fee = Action::Broker(BrokerCall::SetCommunityFee(100));
    let stale = pass_proposal(chain, &mut protocol.community, &cast.alice, fee.clone()).await;
    check(
        stale.is_err_and(|e| e.to_string().contains("NotCommunity")),
        "the old community's fee change is refused",
    )?;
    pass_proposal(chain, &mut successor, &cast.dave, fee).await?;
    check_eq(
        chain
            .query(&cast.alice, &broker.get_community_fee())
            .await?,
        100,
        "the fee the successor set",
    )
}

#[tokio::test]
async fn members_pass_proposals_before_the_broker_is_created() -> Result<(), Failure> {
    let mut chain = chain();
    let cast = Cast::default();
    let broker_code = chain.upload("broker", &cast.alice).await?;
    // The community's cold messages, `execute` among them, run in its
    // library, which a deployment uploads and pins first.
    chain.upload("community_library", &cast.alice).await?;
    let mut new = CommunityRef::new(
        vec![(account_of(&cast.alice), 1)],
        voting_rules(),
        broker_code,
        account_of(&cast.bob),
    );
    let community_id = chain
        .instantiate("community", &cast.alice, &mut new)
        .await?
        .value;
    let mut community = contract_calls::<Community>(community_id);
    chain
        .call(&cast.alice, &community.migrate_storage())
        .await?
        .value
        .or_fail("migrate_storage, which pins the library")?;
    let join = Action::AddMember {
        account: account_of(&cast.dave),
        weight: 1,
    };
    pass_proposal(&mut chain, &mut community, &cast.alice, join).await?;
    check(
        chain
            .query(&cast.alice, &community.get_member(account_of(&cast.dave)))
            .await?
            .is_some(),
        "Dave joined before any broker exists",
    )?;
    let fee = Action::Broker(BrokerCall::SetCommunityFee(100));
    let refused = pass_proposal(&mut chain, &mut community, &cast.alice, fee).await;
    check(
        refused.is_err_and(|e| e.to_string().contains("NoBroker")),
        "a broker call before create_broker is refused with NoBroker",
    )
}

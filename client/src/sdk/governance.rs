//! The community: the broker's link to it and its fee, proposals and votes,
//! the fees it collects and members' shares of them, and its releases.
use super::{P2pCloud, Session};
use crate::{
    chain::{Chain, Outcome},
    domain::{emitted_by, Balance},
    Error,
};
use community::{
    events::{ProposalCreated, ShareClaimed},
    types::{Action, Proposal, ProposalId, ProposalState, Release, ReleaseId},
    CommunityError,
};
use ink::primitives::AccountId;
use p2pcloud_common::MAX_PAGE_LIMIT;

pub(super) async fn community_contract<C: Chain>(
    session: &mut Session<C>,
) -> Result<AccountId, Error> {
    let message = session.protocol.broker.get_community_contract();
    session.query(&message).await
}

pub(super) async fn fee_bps<C: Chain>(session: &mut Session<C>) -> Result<u16, Error> {
    let message = session.protocol.broker.get_community_fee();
    session.query(&message).await
}

pub(super) async fn propose<C: Chain>(
    session: &mut Session<C>,
    action: Action,
    description: String,
) -> Result<Outcome<ProposalId>, Error> {
    let message = session.protocol.community.propose(action, description);
    let sent = session.send(&message).await?;
    session.allocated(sent, |created: ProposalCreated| created.proposal_id)
}

pub(super) async fn vote<C: Chain>(
    session: &mut Session<C>,
    proposal_id: ProposalId,
    yes: bool,
) -> Result<Outcome<()>, Error> {
    let message = session.protocol.community.vote(proposal_id, yes);
    session.send(&message).await
}

pub(super) async fn execute<C: Chain>(
    session: &mut Session<C>,
    proposal_id: ProposalId,
) -> Result<Outcome<()>, Error> {
    let message = session.protocol.community.execute(proposal_id);
    session.send(&message).await
}

pub(super) async fn proposal<C: Chain>(
    session: &mut Session<C>,
    proposal_id: ProposalId,
) -> Result<Option<(Proposal, ProposalState)>, Error> {
    let proposal = session
        .query(&session.protocol.community.get_proposal(proposal_id))
        .await?;
    let state = session
        .query(&session.protocol.community.get_proposal_state(proposal_id))
        .await?;
    Ok(proposal.zip(state))
}

pub(super) async fn collect_fees<C: Chain>(session: &mut Session<C>) -> Result<Outcome<()>, Error> {
    let message = session.protocol.community.collect_fees();
    session.send(&message).await
}

pub(super) async fn claimable<C: Chain>(
    session: &mut Session<C>,
    account: AccountId,
) -> Result<Balance, Error> {
    let message = session.protocol.community.get_claimable(account);
    session.query(&message).await
}

/// Refused by its dry run because the community holds tokens it has not
/// shared (`TokenBalanceMismatch`: a donation, or a migration's payment
/// straight to it), it has them shared first (`share_surplus`, which needs
/// no broker), then claims once more. Submitted, what it paid is read from
/// the community's `ShareClaimed` event; a dry run answers the share it
/// would pay.
pub(super) async fn claim_share<C: Chain>(
    session: &mut Session<C>,
) -> Result<Outcome<Balance>, Error> {
    let message = session.protocol.community.claim_share();
    let sent = match session.send(&message).await {
        Err(Error::Community(CommunityError::TokenBalanceMismatch)) => {
            let share_surplus = session.protocol.community.share_surplus();
            session.send(&share_surplus).await?;
            session.send(&message).await?
        }
        sent => sent?,
    };
    let paid = if session.simulate {
        let own = session.account();
        claimable(session, own).await?
    } else {
        emitted_by::<ShareClaimed>(&sent.events, session.protocol.community_id)
            .map_or(0, |event| event.amount)
    };
    Ok(Outcome {
        value: paid,
        events: sent.events,
        cost: sent.cost,
    })
}

pub(super) async fn closed_claimable<C: Chain>(
    session: &mut Session<C>,
    book: u32,
    account: AccountId,
) -> Result<Balance, Error> {
    let message = session
        .protocol
        .community
        .get_closed_claimable(book, account);
    session.query(&message).await
}

pub(super) async fn claim_closed_share<C: Chain>(
    session: &mut Session<C>,
    book: u32,
) -> Result<Outcome<()>, Error> {
    let message = session.protocol.community.claim_closed_share(book);
    session.send(&message).await
}

pub(super) async fn releases<C: Chain>(
    session: &mut Session<C>,
) -> Result<Vec<(ReleaseId, Release)>, Error> {
    let community = session.protocol.community.clone();
    session
        .all_pages(|cursor| community.get_releases(cursor, MAX_PAGE_LIMIT))
        .await
}

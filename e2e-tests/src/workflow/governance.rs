//! Governance: proposals passed by vote, and the vote that lowers the
//! broker's fee.
use super::{Cast, Stage, VOTING_PERIOD_MS};
use crate::protocol::{check_eq, CommunityCalls, Failure, OrFail};
use broker::events::CommunityFeeChanged;
use community::{
    types::{Action, BrokerCall, ProposalId, ProposalState},
    CommunityError,
};
use p2pcloud_client::{
    chain::{Chain, Keypair},
    domain::{find, Emitted},
};

/// `proposer` proposes setting the broker's fee to `fee_bps` and votes yes.
pub async fn propose_fee_change<C: Chain>(
    chain: &mut C,
    community: &mut CommunityCalls,
    proposer: &Keypair,
    fee_bps: u16,
) -> Result<ProposalId, Failure> {
    let action = Action::Broker(BrokerCall::SetCommunityFee(fee_bps));
    let description = format!("community fee to {fee_bps} bps");
    propose_and_vote(chain, community, proposer, action, description).await
}

/// `proposer`, whose weight alone reaches the quorum, passes `action`: proposes
/// it, votes yes, lets the vote end and executes it; returns what the
/// execution emitted.
pub async fn pass_proposal<C: Chain>(
    chain: &mut C,
    community: &mut CommunityCalls,
    proposer: &Keypair,
    action: Action,
) -> Result<Vec<Emitted>, Failure> {
    let proposal = pass_vote(chain, community, proposer, action).await?;
    let executed = chain.call(proposer, &community.execute(proposal)).await?;
    executed.value.or_fail("execute")?;
    Ok(executed.events)
}

/// `proposer`, holding a majority, proposes `action`, votes yes and waits the
/// vote out: the proposal has passed and is not executed yet.
pub async fn pass_vote<C: Chain>(
    chain: &mut C,
    community: &mut CommunityCalls,
    proposer: &Keypair,
    action: Action,
) -> Result<ProposalId, Failure> {
    let description = format!("{action:?}");
    let proposal = propose_and_vote(chain, community, proposer, action, description).await?;
    chain.pass_time(VOTING_PERIOD_MS + 1).await?;
    Ok(proposal)
}

/// `proposer` proposes `action` and votes yes.
pub async fn propose_and_vote<C: Chain>(
    chain: &mut C,
    community: &mut CommunityCalls,
    proposer: &Keypair,
    action: Action,
    description: String,
) -> Result<ProposalId, Failure> {
    let proposal = chain
        .call(proposer, &community.propose(action, description))
        .await?
        .value
        .or_fail("propose")?;
    chain
        .call(proposer, &community.vote(proposal, true))
        .await?
        .value
        .or_fail("vote yes")?;
    Ok(proposal)
}

impl<C: Chain> Stage<'_, C> {
    /// A proposal lowers the fee to 1%: Alice's yes outweighs Eve's no, it
    /// cannot execute during the vote, and once passed anyone executes it on
    /// the broker.
    pub(super) async fn vote_lowers_the_fee(
        &mut self,
        say: &mut impl FnMut(String),
    ) -> Result<(), Failure> {
        let Cast {
            alice, eve, ferdie, ..
        } = &self.cast;
        let community = &mut self.protocol.community;
        let proposal = propose_fee_change(self.chain, community, alice, 100).await?;
        self.chain
            .call(eve, &community.vote(proposal, false))
            .await?
            .value
            .or_fail("Eve votes")?;
        check_eq(
            self.chain
                .call(alice, &community.execute(proposal))
                .await?
                .value,
            Err(CommunityError::VotingOpen),
            "executing during the vote",
        )?;
        self.chain.pass_time(VOTING_PERIOD_MS + 1_000).await?;
        check_eq(
            self.chain
                .query(alice, &community.get_proposal_state(proposal))
                .await?,
            Some(ProposalState::Passed),
            "the proposal's state",
        )?;
        let executed = self
            .chain
            .call(ferdie, &community.execute(proposal))
            .await?;
        executed.value.or_fail("execute")?;
        let (changed, _) =
            find::<CommunityFeeChanged>(&executed.events).ok_or("no CommunityFeeChanged event")?;
        check_eq(
            (changed.old_bps, changed.new_bps),
            (500, 100),
            "the fee change",
        )?;
        check_eq(
            self.chain
                .query(alice, &self.protocol.broker.get_community_fee())
                .await?,
            100,
            "the broker's fee",
        )?;
        say(format!(
            "proposal #{proposal} passed 3 to 1 and executed: {changed:?}"
        ));
        Ok(())
    }
}

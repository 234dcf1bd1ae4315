//! `verify` on a chain: the deployed broker and community against a build
//! anyone can reproduce and against the community's approved releases, and a
//! proposed upgrade's code before members vote.
use crate::{
    protocol::{check, check_eq, Failure},
    workflow::{deploy_with_mock_usd, pass_proposal, propose_and_vote, Cast},
};
use community::types::{Action, BrokerCall, Release, ReleaseKind};
use ink::primitives::Hash;
use p2pcloud_client::{
    chain::{Chain, Keypair},
    sdk::Session,
    verify::Expected,
};
use std::path::Path;

/// What every step of the verification acts on: Alice's session on the
/// deployment and the hashes of the build it is checked against.
struct Stage<C: Chain> {
    session: Session<C>,
    alice: Keypair,
    expected: Expected,
}

/// The code hashes the deployment answered.
struct Deployed {
    broker: Hash,
    community: Hash,
}

/// Deploys from the bundles in `build` and verifies the deployment, a
/// reference that does not match, a release approved by vote and two
/// upgrade proposals.
pub async fn verification<C: Chain>(chain: C, build: &Path) -> Result<(), Failure> {
    let mut chain = chain;
    let cast = Cast::default();
    let (_, _, protocol) = deploy_with_mock_usd(&mut chain, &cast).await?;
    let mut stage = Stage {
        expected: Expected::from_builds(&[build])?,
        session: Session::new(chain, protocol, cast.alice.clone()),
        alice: cast.alice,
    };
    let deployed = stage.deployment_matches_the_build().await?;
    stage.other_builds_match_nothing().await?;
    stage
        .an_approved_release_is_verified(deployed.broker)
        .await?;
    stage
        .upgrade_proposals_are_checked_before_the_vote(deployed.community)
        .await
}

impl<C: Chain> Stage<C> {
    /// The deployed code is the build's; no release is approved yet.
    async fn deployment_matches_the_build(&mut self) -> Result<Deployed, Failure> {
        let checks = self.session.verify_deployment(&self.expected).await?;
        check_eq(
            checks
                .iter()
                .map(|c| (c.subject.as_str(), c.matches.is_some(), c.approved))
                .collect::<Vec<_>>(),
            vec![("broker", true, false), ("community", true, false)],
            "the deployment matches the build and is not approved yet",
        )?;
        Ok(Deployed {
            broker: checks[0].code_hash.ok_or("the broker has code")?,
            community: checks[1].code_hash.ok_or("the community has code")?,
        })
    }

    /// Against other builds' hashes: a mismatch for each.
    async fn other_builds_match_nothing(&mut self) -> Result<(), Failure> {
        let other = Expected {
            version: self.expected.version.clone(),
            hashes: self
                .expected
                .hashes
                .keys()
                .map(|contract| {
                    (
                        contract.clone(),
                        vec![("another build".into(), Hash::from([7; 32]))],
                    )
                })
                .collect(),
        };
        let mismatched = self.session.verify_deployment(&other).await?;
        check(
            mismatched
                .iter()
                .all(|c| c.matches.is_none() && !c.verified()),
            format!("another build's hashes match nothing: {mismatched:?}"),
        )
    }

    /// The members approve the broker's release by vote: it is verified.
    async fn an_approved_release_is_verified(&mut self, broker_hash: Hash) -> Result<(), Failure> {
        let release = Release {
            kind: ReleaseKind::Protocol,
            name: "broker".into(),
            version: self.expected.version.clone(),
            content_hash: broker_hash,
        };
        pass_proposal(
            &mut self.session.chain,
            &mut self.session.protocol.community,
            &self.alice,
            Action::ApproveRelease(release),
        )
        .await?;
        let checks = self.session.verify_deployment(&self.expected).await?;
        check_eq(
            checks.iter().map(|c| c.verified()).collect::<Vec<_>>(),
            vec![true, false],
            "the approved broker is verified, the unapproved community not",
        )
    }

    /// Upgrade proposals, checked before the vote ends: unknown code, and a
    /// build of the community.
    async fn upgrade_proposals_are_checked_before_the_vote(
        &mut self,
        community_hash: Hash,
    ) -> Result<(), Failure> {
        let unknown = propose_and_vote(
            &mut self.session.chain,
            &mut self.session.protocol.community,
            &self.alice,
            Action::Broker(BrokerCall::UpgradeCode(Hash::from([9; 32]))),
            "unknown code".into(),
        )
        .await?;
        let proposed = self
            .session
            .verify_proposal(unknown, &self.expected)
            .await?;
        check(
            proposed.matches.is_none() && proposed.subject == format!("proposal {unknown}"),
            format!("an upgrade to unknown code matches no build: {proposed:?}"),
        )?;
        let rebuilt = propose_and_vote(
            &mut self.session.chain,
            &mut self.session.protocol.community,
            &self.alice,
            Action::UpgradeCommunity(community_hash),
            "the community's own build".into(),
        )
        .await?;
        let proposed = self
            .session
            .verify_proposal(rebuilt, &self.expected)
            .await?;
        check(
            proposed.contract == "community" && proposed.matches.is_some() && !proposed.approved,
            format!("an upgrade to the community's build matches it: {proposed:?}"),
        )
    }
}

//! The session's side of `verify`: the deployed contracts' code, or a
//! proposed upgrade's, against expected builds and the community's release
//! approvals.
use super::Session;
use crate::{
    chain::Chain,
    verify::{CodeCheck, Expected},
    Error,
};
use community::types::{Action, BrokerCall, ProposalId};
use ink::primitives::Hash;

impl<C: Chain> Session<C> {
    /// The code the broker and the community run now, each checked against
    /// `expected` and against the community's approved releases.
    pub async fn verify_deployment(
        &mut self,
        expected: &Expected,
    ) -> Result<Vec<CodeCheck>, Error> {
        let mut checks = Vec::new();
        for (contract, address) in [
            ("broker", self.protocol.broker_id),
            ("community", self.protocol.community_id),
        ] {
            let code_hash = self.chain.code_hash(address).await?;
            checks.push(
                self.check_code(contract, contract, code_hash, expected)
                    .await?,
            );
        }
        Ok(checks)
    }

    /// The code an upgrade proposal would install (`UpgradeCode` for the
    /// broker, `UpgradeCommunity`), checked the same way before members vote.
    pub async fn verify_proposal(
        &mut self,
        proposal_id: ProposalId,
        expected: &Expected,
    ) -> Result<CodeCheck, Error> {
        let proposal = self
            .query(&self.protocol.community.get_proposal(proposal_id))
            .await?
            .ok_or(community::CommunityError::UnknownProposal)?;
        let (contract, code_hash) = match proposal.action {
            Action::Broker(BrokerCall::UpgradeCode(hash)) => ("broker", hash),
            Action::UpgradeCommunity(hash) => ("community", hash),
            _ => {
                return Err(Error::Unexpected(format!(
                    "proposal {proposal_id} upgrades no code"
                )))
            }
        };
        let subject = format!("proposal {proposal_id}");
        self.check_code(&subject, contract, Some(code_hash), expected)
            .await
    }

    async fn check_code(
        &mut self,
        subject: &str,
        contract: &str,
        code_hash: Option<Hash>,
        expected: &Expected,
    ) -> Result<CodeCheck, Error> {
        let matches =
            code_hash.and_then(|hash| expected.matches(contract, &hash).map(String::from));
        let approved = match code_hash {
            Some(hash) => {
                let question = self.protocol.community.is_release_approved(
                    contract.to_string(),
                    expected.version.clone(),
                    hash,
                );
                self.query(&question).await?
            }
            None => false,
        };
        Ok(CodeCheck {
            subject: subject.to_string(),
            contract: contract.to_string(),
            code_hash,
            matches,
            approved,
        })
    }
}

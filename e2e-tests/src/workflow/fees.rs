//! The community's fees: it collects them from the broker and its members
//! claim their shares.
use super::{Cast, Stage};
use crate::names::musd;
use crate::protocol::{balance_report, check, check_eq, Failure, OrFail};
use community::CommunityError;
use p2pcloud_client::chain::{account_of, Chain};
use psp22::PSP22;

impl<C: Chain> Stage<'_, C> {
    /// The community collects its fees; members claim in proportion to
    /// weight, and a stranger cannot.
    pub(super) async fn community_shares_fees(
        &mut self,
        say: &mut impl FnMut(String),
    ) -> Result<(), Failure> {
        let Cast {
            alice, eve, ferdie, ..
        } = &self.cast;
        let (community_id, broker_id) = (self.protocol.community_id, self.protocol.broker_id);
        let community = &mut self.protocol.community;
        let fees = balance_report(self.chain, &self.protocol.broker, community_id)
            .await?
            .free;
        check(fees > 0, "the community earned fees")?;
        self.chain
            .call(alice, &community.collect_fees())
            .await?
            .value
            .or_fail("collect_fees")?;
        check_eq(
            self.chain
                .query(alice, &self.token.balance_of(community_id))
                .await?,
            fees,
            "tokens the community collected",
        )?;
        check_eq(
            self.chain
                .query(alice, &self.token.balance_of(broker_id))
                .await?,
            0,
            "tokens left in the broker",
        )?;
        let mut claimed = 0;
        for (name, member, weight) in [("Alice", alice, 3), ("Eve", eve, 1)] {
            self.chain
                .call(member, &community.claim_share())
                .await?
                .value
                .or_fail("claim_share")?;
            let share = self
                .chain
                .query(member, &self.token.balance_of(account_of(member)))
                .await?;
            check_eq(share, fees * weight / 4, "a member's share")?;
            claimed += share;
            say(format!(
                "{name} (weight {weight}) claims {} of {} in fees",
                musd(share),
                musd(fees)
            ));
        }
        check(
            claimed <= fees && fees - claimed < 4,
            "shares add up to the fees, less dust",
        )?;
        check_eq(
            self.chain
                .call(ferdie, &community.claim_share())
                .await?
                .value,
            Err(CommunityError::NotMember),
            "a stranger's claim",
        )
    }
}

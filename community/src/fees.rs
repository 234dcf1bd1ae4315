//! Fee shares: fees collected from the broker are spread over the weight in
//! force when they arrive; members claim their share, or anyone pays shares
//! out in batches.
use crate::{
    data::{BrokerPort, CommunityData, CommunityMaps, Events},
    errors::CommunityError,
    events::*,
    types::*,
};
use ink::{
    prelude::{vec, vec::Vec},
    primitives::AccountId,
};
use p2pcloud_common::{ensure, ensure_change, Store, Token};

type Result<T> = core::result::Result<T, CommunityError>;

/// Withdraws every fee waiting in the broker and returns how much arrived,
/// refusing if this contract's token balance did not grow by exactly that.
fn withdraw_waiting_fees(broker: &mut impl BrokerPort) -> Result<Balance> {
    let waiting = broker.fees_waiting()?;
    if waiting == 0 {
        return Ok(0);
    }
    let before = broker.token_balance()?;
    broker.withdraw(waiting)?;
    let after = broker.token_balance()?;
    ensure_change(before, after, waiting)?;
    Ok(waiting)
}

impl<M: CommunityMaps> CommunityData<M> {
    /// Withdraws the community's fees from the broker and spreads them over
    /// the current weight.
    pub fn collect_fees(&mut self, broker: &mut impl BrokerPort) -> Result<Events> {
        let received = withdraw_waiting_fees(broker)?;
        ensure(received > 0, CommunityError::NothingToCollect)?;
        self.distribute(received)
    }

    /// Collects the fees waiting in the broker before a membership or weight
    /// change, so they are shared by the weights in force while they arrived:
    /// a member who joins, or gains weight, gets nothing of fees earned before.
    pub(crate) fn collect_waiting_fees(&mut self, broker: &mut impl BrokerPort) -> Result<Events> {
        match withdraw_waiting_fees(broker)? {
            0 => Ok(Vec::new()),
            received => self.distribute(received),
        }
    }

    /// Spreads `received`, now held by the community, over the current weight.
    fn distribute(&mut self, received: Balance) -> Result<Events> {
        let total_weight = u128::from(self.config.total_weight);
        let scaled = received
            .checked_mul(SHARE_PRECISION)
            .and_then(|s| s.checked_add(self.config.undistributed_scaled))
            .ok_or(CommunityError::Overflow)?;
        let per_weight = scaled
            .checked_div(total_weight)
            .ok_or(CommunityError::Overflow)?;
        let remainder = scaled
            .checked_rem(total_weight)
            .ok_or(CommunityError::Overflow)?;
        let fees_per_weight = self
            .config
            .fees_per_weight
            .checked_add(per_weight)
            .ok_or(CommunityError::Overflow)?;
        let total_collected = self
            .config
            .total_collected
            .checked_add(received)
            .ok_or(CommunityError::Overflow)?;

        self.config.fees_per_weight = fees_per_weight;
        self.config.undistributed_scaled = remainder;
        self.config.total_collected = total_collected;
        Ok(vec![CommunityEvent::FeesCollected(FeesCollected {
            amount: received,
        })])
    }

    /// What `account` could claim right now.
    pub fn claimable(&self, account: AccountId) -> Balance {
        self.payout(account).map_or(0, |payout| payout.amount)
    }

    /// Pays the caller their share of the fees collected so far.
    pub fn claim_share(&mut self, caller: AccountId, token: &mut impl Token) -> Result<Events> {
        let payout = self.payout(caller)?;
        self.pay(vec![payout], token)
    }

    /// Pays out the shares of the member records `start..start + limit` (in
    /// the order the accounts first became members; `limit` from 1 to
    /// `MAX_PAYOUT_BATCH`), skipping those with nothing to claim, and returns
    /// where the next batch starts (`member_records` once all are done).
    /// Anyone may call it, so a member who never claims cannot hold fees in
    /// the community, for instance before its token changes.
    pub fn pay_out_shares(
        &mut self,
        start: u32,
        limit: u32,
        token: &mut impl Token,
    ) -> Result<(u32, Events)> {
        ensure(
            limit > 0 && limit <= MAX_PAYOUT_BATCH,
            CommunityError::BatchLimitOutOfRange,
        )?;
        let records = self.config.member_records;
        ensure(start < records, CommunityError::PayoutStartOutOfRange)?;
        let end = start.saturating_add(limit).min(records);
        let mut payouts = Vec::new();
        for index in start..end {
            let account = self
                .member_index
                .get(&index)
                .ok_or(CommunityError::UnknownMember)?;
            match self.payout(account) {
                Ok(payout) => payouts.push(payout),
                Err(CommunityError::NothingToClaim) => {}
                Err(error) => return Err(error),
            }
        }
        let events = self.pay(payouts, token)?;
        Ok((end, events))
    }

    /// What `account` is paid now, and its record once paid: the whole units
    /// of its settled share, the fraction kept.
    fn payout(&self, account: AccountId) -> Result<Payout> {
        let member = self
            .members
            .get(&account)
            .ok_or(CommunityError::NotMember)?;
        let mut member = self.settled(&member)?;
        let amount = whole_units(member.owed_scaled);
        ensure(amount > 0, CommunityError::NothingToClaim)?;
        member.owed_scaled = member
            .owed_scaled
            .checked_rem(SHARE_PRECISION)
            .ok_or(CommunityError::Overflow)?;
        Ok(Payout {
            account,
            member,
            amount,
        })
    }

    /// Sends every payout, then records them: a failed transfer leaves every
    /// record as it was.
    fn pay(&mut self, payouts: Vec<Payout>, token: &mut impl Token) -> Result<Events> {
        let total_claimed = payouts
            .iter()
            .try_fold(self.config.total_claimed, |total, payout| {
                total.checked_add(payout.amount)
            })
            .ok_or(CommunityError::Overflow)?;
        for payout in &payouts {
            token.send_to(payout.account, payout.amount)?;
        }

        self.config.total_claimed = total_claimed;
        let mut events = Vec::with_capacity(payouts.len());
        for payout in payouts {
            self.members.insert(&payout.account, &payout.member);
            events.push(CommunityEvent::ShareClaimed(ShareClaimed {
                member: payout.account,
                amount: payout.amount,
            }));
        }
        Ok(events)
    }

    /// Collected and not claimed: member shares not yet claimed plus rounding.
    pub(crate) fn unclaimed_fees(&self) -> Balance {
        self.config
            .total_collected
            .saturating_sub(self.config.total_claimed)
    }

    /// The member with their share of fees collected so far settled.
    pub(crate) fn settled(&self, member: &Member) -> Result<Member> {
        let delta = self
            .config
            .fees_per_weight
            .checked_sub(member.settled_per_weight)
            .ok_or(CommunityError::Overflow)?;
        let earned = delta
            .checked_mul(u128::from(member.weight))
            .ok_or(CommunityError::Overflow)?;
        Ok(Member {
            owed_scaled: member
                .owed_scaled
                .checked_add(earned)
                .ok_or(CommunityError::Overflow)?,
            settled_per_weight: self.config.fees_per_weight,
            ..member.clone()
        })
    }
}

/// A share about to be paid: to whom, how much, and the member record after.
struct Payout {
    account: AccountId,
    member: Member,
    amount: Balance,
}

fn whole_units(scaled: u128) -> Balance {
    scaled.checked_div(SHARE_PRECISION).unwrap_or_default()
}

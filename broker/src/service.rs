//! Service functions: what only the community may do, and the stablecoin
//! migration that, once the community starts it, anyone can drive to its end.
use crate::{
    bookings::Report,
    data::{BrokerData, BrokerMaps, Events, Result},
    events::*,
    lists::{self, ListId},
    types::*,
};
use ink::{
    prelude::{vec, vec::Vec},
    primitives::{AccountId, Hash},
};
use p2pcloud_common::{ensure, BrokerError, Store, Token};

impl<M: BrokerMaps> BrokerData<M> {
    /// Starts moving the broker to the stablecoin `new`: deposits, bookings
    /// and new prices stop at once; `migrate` then ends every booking (miners
    /// paid what they earned), removes every offer and pays every balance
    /// back to its owner; the token changes when the broker holds nothing, at
    /// once if it already does.
    pub fn set_stablecoin(&mut self, caller: AccountId, new: AccountId) -> Result<Events> {
        self.ensure_community(caller)?;
        self.ensure_not_migrating()?;
        self.config.migrating_to = Some(new);
        let mut events = vec![BrokerEvent::MigrationStarted(MigrationStarted {
            from: self.config.stablecoin,
            to: new,
        })];
        events.extend(self.finish_migration_if_empty());
        Ok(events)
    }

    /// One bounded step of the migration, open to anyone: ends up to `limit`
    /// bookings (with `CommunityTerminated`, or `NonPayment` where the user's
    /// balance ran out), then, once none is left, removes offers (priced in
    /// the old token), then pays accounts their whole balance in the old
    /// token, `limit` items in all; switches the token when done.
    /// A batch is one message: if a token call fails, the message's revert
    /// undoes the whole batch.
    pub fn migrate(
        &mut self,
        token: &mut impl Token,
        limit: u32,
        now: Timestamp,
    ) -> Result<Events> {
        ensure(self.config.migrating_to.is_some(), BrokerError::NoMigration)?;
        ensure(
            (1..=MAX_MIGRATION_BATCH).contains(&limit),
            BrokerError::BatchLimitOutOfRange,
        )?;
        let mut events = Vec::new();
        for _ in 0..limit {
            if let Some(booking_id) = lists::first(&self.ends, ListId::Bookings) {
                let mut booking = self.active_booking(booking_id)?;
                let reason = StopReason::CommunityTerminated;
                let report = Report::Later;
                events.extend(self.settle_and_end(
                    booking_id,
                    &mut booking,
                    reason,
                    report,
                    now,
                )?);
            } else if let Some(offer_id) = lists::first(&self.ends, ListId::Offers) {
                // Its price is in the old token: its miner prices anew.
                events.push(self.remove_offer_for_migration(offer_id)?);
            } else if let Some(last) = self.config.holders.checked_sub(1) {
                events.push(self.pay_out_holder(token, last, now)?);
            } else {
                break;
            }
        }
        events.extend(self.finish_migration_if_empty());
        Ok(events)
    }

    /// Sends the holder in `slot`, who has no bookings left, their whole
    /// balance, exactly: a migration must empty every balance, so a payout
    /// the token did not move whole fails the step (unlike a withdrawal, it
    /// cannot leave the rest in the balance, or a donation would keep the
    /// holder waiting step after step).
    fn pay_out_holder(
        &mut self,
        token: &mut impl Token,
        slot: u64,
        now: Timestamp,
    ) -> Result<BrokerEvent> {
        let holder = self.holders.get(&slot).ok_or(BrokerError::Overflow)?;
        let mut account = self.account_at(holder, now)?;
        let amount = core::mem::take(&mut account.balance);
        token.send_exactly(holder, amount)?;
        self.save_account(holder, account)?;
        // Cannot underflow: a balance is part of the total.
        self.config.total_deposits = self.config.total_deposits.saturating_sub(amount);
        Ok(BrokerEvent::Withdrawn(Withdrawn {
            account: holder,
            amount,
        }))
    }

    fn finish_migration_if_empty(&mut self) -> Option<BrokerEvent> {
        let new = self.config.migrating_to?;
        let busy = [ListId::Bookings, ListId::Offers]
            .into_iter()
            .any(|list| lists::first(&self.ends, list).is_some());
        if self.config.holders > 0 || busy {
            return None;
        }
        self.config.migrating_to = None;
        let old = core::mem::replace(&mut self.config.stablecoin, new);
        Some(BrokerEvent::StablecoinChanged(StablecoinChanged {
            old,
            new,
        }))
    }

    /// Offers the community role to `new`; it moves only when `new` accepts,
    /// so a mistyped address cannot take the broker. Offering it to the
    /// current community withdraws the offer.
    pub fn set_community(&mut self, caller: AccountId, new: AccountId) -> Result<Events> {
        self.ensure_community(caller)?;
        let proposed = (new != caller).then_some(new);
        self.config.proposed_community = proposed;
        Ok(vec![BrokerEvent::CommunityProposed(CommunityProposed {
            current: caller,
            proposed,
        })])
    }

    /// The proposed successor takes the community role. Fees already earned
    /// stay in the old community's balance, which it can still withdraw.
    pub fn accept_community(&mut self, caller: AccountId) -> Result<Events> {
        ensure(
            self.config.proposed_community == Some(caller),
            BrokerError::NotProposedCommunity,
        )?;
        self.config.proposed_community = None;
        let old = core::mem::replace(&mut self.config.community, caller);
        Ok(vec![BrokerEvent::CommunityChanged(CommunityChanged {
            old,
            new: caller,
        })])
    }

    /// Applies to bookings made from now on.
    pub fn set_community_fee(&mut self, caller: AccountId, new_bps: u16) -> Result<Events> {
        self.ensure_community(caller)?;
        ensure(new_bps <= MAX_FEE_BPS, BrokerError::FeeTooHigh)?;
        let old_bps = core::mem::replace(&mut self.config.fee_bps, new_bps);
        Ok(vec![BrokerEvent::CommunityFeeChanged(
            CommunityFeeChanged { old_bps, new_bps },
        )])
    }

    /// What each token call may spend from now on.
    pub fn set_token_call_limits(
        &mut self,
        caller: AccountId,
        limits: TokenCallLimits,
    ) -> Result<Events> {
        self.ensure_community(caller)?;
        // Zero means "no limit" to pallet-contracts.
        ensure(
            limits.ref_time > 0 && limits.proof_size > 0 && limits.storage_deposit > 0,
            BrokerError::ZeroTokenCallLimit,
        )?;
        self.config.token_call_limits = limits;
        Ok(vec![BrokerEvent::TokenCallLimitsChanged(
            TokenCallLimitsChanged { limits },
        )])
    }

    /// Authorizes a code upgrade; the contract swaps the code, then emits.
    pub fn upgrade_code(&self, caller: AccountId, code_hash: Hash) -> Result<Events> {
        self.ensure_community(caller)?;
        Ok(vec![BrokerEvent::CodeUpgraded(CodeUpgraded { code_hash })])
    }
}

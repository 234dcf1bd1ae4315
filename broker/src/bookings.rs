//! Bookings: a user books a machine, the miner claims what it accrued, and a
//! booking ends by a stop, by non-payment or by a migration.
//!
//! When a user's balance cannot pay what all their bookings accrued, it ran
//! out at one moment for all of them (it drains at their summed price), and
//! every booking is paid up to that moment and no further, in whatever order
//! miners claim: no miner's pay depends on who settles first.
use crate::{
    balances::{fee_of, owed},
    data::{BrokerData, BrokerMaps, Events, Result},
    events::*,
    lists::ListId,
    types::*,
};
use ink::{
    prelude::{vec, vec::Vec},
    primitives::AccountId,
};
use p2pcloud_common::{ensure, BrokerError, Page, Store};

/// What becomes of a booking's report when it ends.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Report {
    /// Its user reports it as it stops it.
    Now,
    /// Kept for `REPORT_WINDOW`, so its user can still report it.
    Later,
    /// Its user ended it without one: nothing is kept.
    Never,
}

/// What one settlement did.
struct Settlement {
    /// The user's balance ran out: the booking is paid up to that moment only.
    ran_out: bool,
    /// What it paid, if anything: a `MinerPayout` if the booking goes on,
    /// else part of its `BookingStopped`.
    payout: Option<MinerPayout>,
}

impl<M: BrokerMaps> BrokerData<M> {
    /// Books one machine of `offer_id` if its price is at most
    /// `max_price_per_second` and the user's balance pays a week of all their
    /// bookings, this one included, besides what they owe already.
    pub fn book_vm(
        &mut self,
        user: AccountId,
        offer_id: OfferId,
        max_price_per_second: Balance,
        now: Timestamp,
    ) -> Result<(BookingId, Events)> {
        self.ensure_not_migrating()?;
        let mut offer = self
            .offers
            .get(&offer_id)
            .ok_or(BrokerError::UnknownOffer)?;
        ensure(!offer.closed, BrokerError::OfferClosed)?;
        ensure(offer.miner != user, BrokerError::OwnOffer)?;
        let price = offer.price_per_second;
        ensure(price <= max_price_per_second, BrokerError::PriceAboveLimit)?;
        ensure(offer.is_available(), BrokerError::NoFreeMachine)?;
        let mut account = self.account_at(user, now)?;
        ensure(account.ran_out_at.is_none(), BrokerError::BalanceRanOut)?;
        let total_pps = account
            .total_pps
            .checked_add(price)
            .filter(|total| *total <= MAX_PRICE_PER_SECOND)
            .ok_or(BrokerError::PriceTooHigh)?;
        let needed = total_pps
            .checked_mul(WEEK_SECONDS)
            .and_then(|week| week.checked_add(owed(&account, now).ok()?))
            .ok_or(BrokerError::Overflow)?;
        ensure(needed <= account.balance, BrokerError::InsufficientBalance)?;
        let pps_time = price
            .checked_mul(u128::from(now))
            .and_then(|started| account.pps_time.checked_add(started))
            .ok_or(BrokerError::Overflow)?;
        let booking_id = self.config.next_booking_id;
        let next_booking_id = booking_id.checked_add(1).ok_or(BrokerError::Overflow)?;

        self.config.next_booking_id = next_booking_id;
        account.total_pps = total_pps;
        account.pps_time = pps_time;
        self.save_account(user, account)?;
        // Cannot overflow: booked < machines.
        offer.booked = offer.booked.saturating_add(1);
        self.offers.insert(&offer_id, &offer);
        let booking = Booking {
            offer_id,
            user,
            miner: offer.miner,
            vm_type_id: offer.vm_type_id,
            price_per_second: price,
            fee_bps: self.config.fee_bps,
            started_at: now,
            last_payment: now,
        };
        self.bookings.insert(&booking_id, &booking);
        for list in booking_lists(&booking) {
            self.push(list, booking_id);
        }
        let event = BookingStarted {
            booking_id,
            offer_id,
            user,
            miner: offer.miner,
            price_per_second: price,
        };
        Ok((booking_id, vec![BrokerEvent::BookingStarted(event)]))
    }

    /// Pays the miner what accrued; ends the booking with `NonPayment` if the
    /// user's balance ran out.
    pub fn claim_payment(
        &mut self,
        caller: AccountId,
        booking_id: BookingId,
        now: Timestamp,
    ) -> Result<Events> {
        let mut booking = self.active_booking(booking_id)?;
        ensure(caller == booking.miner, BrokerError::NotBookingMiner)?;
        let Settlement { ran_out, payout } = self.settle(booking_id, &mut booking, now)?;
        if ran_out {
            let reason = StopReason::NonPayment;
            return self.end(booking_id, &booking, reason, Report::Later, payout, now);
        }
        self.bookings.insert(&booking_id, &booking);
        Ok(payout.map(BrokerEvent::MinerPayout).into_iter().collect())
    }

    /// Settles like a claim, then ends the booking and frees its machine. The
    /// end reason is `NonPayment` whatever the caller gave if the user's
    /// balance ran out; a report is emitted either way.
    pub fn stop_booking(
        &mut self,
        caller: AccountId,
        booking_id: BookingId,
        reason: StopReason,
        now: Timestamp,
    ) -> Result<Events> {
        let mut booking = self.active_booking(booking_id)?;
        let allowed = match reason {
            StopReason::Ok | StopReason::MinerMisbehaviour => {
                ensure(caller == booking.user, BrokerError::NotBookingUser)
            }
            StopReason::MinerTerminated => {
                ensure(caller == booking.miner, BrokerError::NotBookingMiner)
            }
            StopReason::NonPayment => Err(BrokerError::ReasonReserved),
            StopReason::CommunityTerminated => self.ensure_community(caller),
        };
        allowed?;
        let report = match reason {
            StopReason::MinerMisbehaviour => Report::Now,
            // The user could have reported as it stopped.
            StopReason::Ok => Report::Never,
            _ => Report::Later,
        };
        self.settle_and_end(booking_id, &mut booking, reason, report, now)
    }

    /// The user of a booking that ended without a report reports it now,
    /// within `REPORT_WINDOW` of its end, whoever ended it: the report says
    /// what the booking ran and paid, and its record is deleted.
    pub fn report_ended_booking(
        &mut self,
        caller: AccountId,
        booking_id: BookingId,
        now: Timestamp,
    ) -> Result<Events> {
        let ended = self.ended_record(booking_id)?;
        ensure(caller == ended.user, BrokerError::NotBookingUser)?;
        ensure(
            now <= report_deadline(&ended),
            BrokerError::ReportWindowClosed,
        )?;
        self.ended.remove(&booking_id);
        Ok(vec![reported(booking_id, &ended)])
    }

    /// Anyone deletes the record of an ended booking once its report window
    /// closed, so its storage deposit comes back.
    pub fn forget_ended_booking(
        &mut self,
        booking_id: BookingId,
        now: Timestamp,
    ) -> Result<Events> {
        let ended = self.ended_record(booking_id)?;
        ensure(now > report_deadline(&ended), BrokerError::ReportWindowOpen)?;
        self.ended.remove(&booking_id);
        Ok(Vec::new())
    }

    /// What is kept of a booking that ended without a report, while it may be reported.
    pub fn ended_booking(&self, booking_id: BookingId) -> Option<EndedBooking> {
        self.ended.get(&booking_id)
    }

    fn ended_record(&self, booking_id: BookingId) -> Result<EndedBooking> {
        self.ended
            .get(&booking_id)
            .ok_or(BrokerError::NoReportableBooking)
    }

    pub fn booking(&self, booking_id: BookingId) -> Option<Booking> {
        self.bookings.get(&booking_id)
    }

    /// The user's active bookings.
    pub fn user_bookings(
        &self,
        user: AccountId,
        cursor: Option<BookingId>,
        limit: u32,
    ) -> Result<Page<BookingId, Booking>> {
        self.page(
            ListId::UserBookings(user),
            cursor,
            limit,
            &self.bookings,
            |_| true,
        )
    }

    /// The miner's active bookings.
    pub fn miner_bookings(
        &self,
        miner: AccountId,
        cursor: Option<BookingId>,
        limit: u32,
    ) -> Result<Page<BookingId, Booking>> {
        self.page(
            ListId::MinerBookings(miner),
            cursor,
            limit,
            &self.bookings,
            |_| true,
        )
    }

    pub(crate) fn active_booking(&self, booking_id: BookingId) -> Result<Booking> {
        self.bookings
            .get(&booking_id)
            .ok_or(BrokerError::UnknownBooking)
    }

    /// Settles the booking, then ends it with `reason` (or `NonPayment` if
    /// the user's balance ran out), with its `report`.
    pub(crate) fn settle_and_end(
        &mut self,
        booking_id: BookingId,
        booking: &mut Booking,
        reason: StopReason,
        report: Report,
        now: Timestamp,
    ) -> Result<Events> {
        let Settlement { ran_out, payout } = self.settle(booking_id, booking, now)?;
        let reason = if ran_out {
            StopReason::NonPayment
        } else {
            reason
        };
        self.end(booking_id, booking, reason, report, payout, now)
    }

    /// Pays the whole seconds accrued since the last payment, up to now or to
    /// the moment the user's balance ran out, whichever is first: the fee to
    /// the community, the rest to the miner.
    fn settle(
        &mut self,
        booking_id: BookingId,
        booking: &mut Booking,
        now: Timestamp,
    ) -> Result<Settlement> {
        let mut user = self.account_at(booking.user, now)?;
        let paid_until = user.ran_out_at.map_or(now, |at| at.min(now));
        let seconds = seconds_between(booking.last_payment, paid_until);
        let paid_ms = seconds
            .checked_mul(MS_PER_SECOND)
            .ok_or(BrokerError::Overflow)?;
        let price = booking.price_per_second;
        let charged = price
            .checked_mul(u128::from(seconds))
            .ok_or(BrokerError::Overflow)?;
        let fee = fee_of(charged, booking.fee_bps).ok_or(BrokerError::Overflow)?;
        // Cannot underflow: fee <= charged.
        let miner_amount = charged.saturating_sub(fee);
        // The balance covers every booking up to `paid_until` (that is how
        // that moment is defined), so this never fails.
        user.balance = user
            .balance
            .checked_sub(charged)
            .ok_or(BrokerError::Overflow)?;
        user.pps_time = price
            .checked_mul(u128::from(paid_ms))
            .and_then(|paid| user.pps_time.checked_add(paid))
            .ok_or(BrokerError::Overflow)?;
        booking.last_payment = booking
            .last_payment
            .checked_add(paid_ms)
            .ok_or(BrokerError::Overflow)?;
        let ran_out = user.ran_out_at.is_some();

        self.save_account(booking.user, user)?;
        self.credit(booking.miner, miner_amount, now)?;
        self.credit(self.config.community, fee, now)?;
        let payout = (charged > 0).then_some(MinerPayout {
            booking_id,
            miner: booking.miner,
            user: booking.user,
            amount: miner_amount,
            fee,
            seconds,
        });
        Ok(Settlement { ran_out, payout })
    }

    /// Ends a booking whose last settlement paid `settled`: releases its
    /// lock, its machine and its list entries, and deletes it; what it ran is
    /// reported now, kept for a report, or dropped, as `report` says.
    fn end(
        &mut self,
        booking_id: BookingId,
        booking: &Booking,
        reason: StopReason,
        report: Report,
        settled: Option<MinerPayout>,
        now: Timestamp,
    ) -> Result<Events> {
        let mut user = self.account_at(booking.user, now)?;
        let price = booking.price_per_second;
        let time_value = price
            .checked_mul(u128::from(booking.last_payment))
            .ok_or(BrokerError::Overflow)?;
        user.total_pps = user
            .total_pps
            .checked_sub(price)
            .ok_or(BrokerError::Overflow)?;
        user.pps_time = user
            .pps_time
            .checked_sub(time_value)
            .ok_or(BrokerError::Overflow)?;
        let amount_paid = booking.amount_paid()?;
        self.save_account(booking.user, user)?;

        for list in booking_lists(booking) {
            self.unlink(list, booking_id);
        }
        self.bookings.remove(&booking_id);
        let ended = EndedBooking {
            user: booking.user,
            miner: booking.miner,
            vm_type_id: booking.vm_type_id,
            price_per_second: price,
            seconds_used: booking.seconds_paid(),
            amount_paid,
            ended_at: now,
        };
        let mut events = vec![BrokerEvent::BookingStopped(BookingStopped {
            booking_id,
            user: ended.user,
            miner: ended.miner,
            reason,
            seconds_used: ended.seconds_used,
            amount_paid,
            settled_amount: settled.as_ref().map_or(0, |paid| paid.amount),
            settled_fee: settled.as_ref().map_or(0, |paid| paid.fee),
            settled_seconds: settled.map_or(0, |paid| paid.seconds),
        })];
        events.extend(self.release_machine(booking.offer_id));
        match report {
            Report::Now => events.push(reported(booking_id, &ended)),
            Report::Later => self.ended.insert(&booking_id, &ended),
            Report::Never => {}
        }
        Ok(events)
    }
}

/// The last moment the user of an ended booking may report it.
fn report_deadline(ended: &EndedBooking) -> Timestamp {
    // Past the u64 range means never within any block time.
    ended.ended_at.saturating_add(REPORT_WINDOW)
}

fn reported(booking_id: BookingId, ended: &EndedBooking) -> BrokerEvent {
    BrokerEvent::BookingReported(BookingReported {
        booking_id,
        user: ended.user,
        miner: ended.miner,
        vm_type_id: ended.vm_type_id,
        price_per_second: ended.price_per_second,
        seconds_used: ended.seconds_used,
        amount_paid: ended.amount_paid,
    })
}

/// The lists a booking is in while it runs.
fn booking_lists(booking: &Booking) -> [ListId; 3] {
    [
        ListId::UserBookings(booking.user),
        ListId::MinerBookings(booking.miner),
        ListId::Bookings,
    ]
}

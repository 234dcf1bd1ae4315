//! Bookings from start to end: both users book, the VMs run, the miner
//! claims, one user stops normally and the other reports the miner, and
//! everyone withdraws what is free.
use super::{Cast, Stage, PRICE_PER_SECOND};
use crate::names::musd;
use crate::protocol::{balance_report, check, check_eq, Failure, OrFail};
use broker::{
    events::{BookingReported, BookingStopped, MinerPayout},
    types::{BalanceReport, BookingId, OfferId, BPS_DENOMINATOR, DEFAULT_FEE_BPS, WEEK_SECONDS},
    StopReason,
};
use p2pcloud_client::{
    chain::{account_of, Chain},
    domain::{find, Emitted, Metadata},
};
use p2pcloud_common::testing::topic;
use psp22::PSP22;

/// Charlie's and Dave's bookings of Bob's offer.
pub(super) struct Bookings {
    pub(super) charlie: BookingId,
    pub(super) dave: BookingId,
    /// The time of the block Charlie booked in, in milliseconds.
    booked_at: u64,
}

impl<C: Chain> Stage<'_, C> {
    /// Charlie and Dave book Bob's offer; Charlie's week is locked and her
    /// booking starts at its block's time.
    pub(super) async fn charlie_and_dave_book(
        &mut self,
        offer: OfferId,
        say: &mut impl FnMut(String),
    ) -> Result<Bookings, Failure> {
        let Cast {
            alice,
            charlie,
            dave,
            ..
        } = &self.cast;
        let broker = &mut self.protocol.broker;
        let charlie_booking = self
            .chain
            .call(charlie, &broker.book_vm(offer, PRICE_PER_SECOND))
            .await?
            .value
            .or_fail("Charlie books")?;
        let booked_at = self.chain.now().await?;
        let dave_booking = self
            .chain
            .call(dave, &broker.book_vm(offer, PRICE_PER_SECOND))
            .await?
            .value
            .or_fail("Dave books")?;
        let report = balance_report(self.chain, broker, account_of(charlie)).await?;
        check_eq(
            report.locked,
            PRICE_PER_SECOND * WEEK_SECONDS,
            "Charlie's 7-day lock",
        )?;
        say(format!(
            "Charlie books #{charlie_booking}, Dave books #{dave_booking}; Charlie: {}",
            describe_balance(&report)
        ));
        let booking = self
            .chain
            .query(alice, &broker.get_booking(charlie_booking))
            .await?
            .ok_or("Charlie's booking is missing")?;
        check_eq(
            booking.started_at,
            booked_at,
            "the booking starts at its block's time",
        )?;
        Ok(Bookings {
            charlie: charlie_booking,
            dave: dave_booking,
            booked_at,
        })
    }

    /// The VMs run for `usage_ms`; Bob claims Charlie's booking and is paid
    /// for exactly the seconds that passed, less the community's fee. Returns
    /// what the claim emitted.
    pub(super) async fn bob_claims(
        &mut self,
        bookings: &Bookings,
        usage_ms: u64,
        say: &mut impl FnMut(String),
    ) -> Result<Vec<Emitted>, Failure> {
        let Cast { bob, charlie, .. } = &self.cast;
        self.chain.pass_time(usage_ms).await?;
        let claim = self
            .chain
            .call(bob, &self.protocol.broker.claim_payment(bookings.charlie))
            .await?;
        claim.value.or_fail("claim_payment")?;
        let claimed_at = self.chain.now().await?;
        let (payout, topics) = find::<MinerPayout>(&claim.events).ok_or("no MinerPayout event")?;
        // The seconds paid are the whole seconds of block time between the booking
        // and the claim, as the chain's own clock says.
        check(
            claimed_at >= bookings.booked_at + usage_ms,
            "the claim's block is at least the usage time after the booking",
        )?;
        check_eq(
            payout.seconds,
            (claimed_at - bookings.booked_at) / 1_000,
            "seconds paid by the claim",
        )?;
        let price = PRICE_PER_SECOND * u128::from(payout.seconds);
        check_eq(
            payout.amount + payout.fee,
            price,
            "payout + fee == price × seconds",
        )?;
        check_eq(
            payout.fee,
            price * u128::from(DEFAULT_FEE_BPS) / BPS_DENOMINATOR,
            "the 5% community fee",
        )?;
        check_eq(
            topics[1..].to_vec(),
            vec![topic(&account_of(bob))],
            "MinerPayout topics (the miner)",
        )?;
        check_eq(
            payout.user,
            account_of(charlie),
            "the user, in the MinerPayout's data",
        )?;
        say(format!("Bob claims {payout:?}"));
        Ok(claim.events)
    }

    /// Charlie stops her booking normally: no report. Returns what the stop
    /// emitted.
    pub(super) async fn charlie_stops(
        &mut self,
        booking: BookingId,
    ) -> Result<Vec<Emitted>, Failure> {
        let stop = self.protocol.broker.stop_booking(booking, StopReason::Ok);
        let stopped = self.chain.call(&self.cast.charlie, &stop).await?;
        stopped.value.or_fail("stop with reason 0")?;
        check(
            find::<BookingStopped>(&stopped.events).is_some(),
            "BookingStopped",
        )?;
        check(
            find::<BookingReported>(&stopped.events).is_none(),
            "no report on reason 0",
        )?;
        Ok(stopped.events)
    }

    /// Dave stops his booking reporting the miner. Returns the report and
    /// what the stop emitted.
    pub(super) async fn dave_reports_bob(
        &mut self,
        booking: BookingId,
    ) -> Result<(BookingReported, Vec<Emitted>), Failure> {
        let Cast { bob, dave, .. } = &self.cast;
        let stop = self
            .protocol
            .broker
            .stop_booking(booking, StopReason::MinerMisbehaviour);
        let reported = self.chain.call(dave, &stop).await?;
        reported.value.or_fail("stop with reason 1")?;
        let (report, topics) =
            find::<BookingReported>(&reported.events).ok_or("no BookingReported event")?;
        check_eq(
            (report.booking_id, report.price_per_second),
            (booking, PRICE_PER_SECOND),
            "the report",
        )?;
        check_eq(
            topics[1..].to_vec(),
            vec![topic(&account_of(bob))],
            "BookingReported topics (the miner)",
        )?;
        check_eq(
            report.user,
            account_of(dave),
            "the user, in the BookingReported's data",
        )?;
        Ok((report, reported.events))
    }

    /// Everyone withdraws what is free; the token agrees.
    pub(super) async fn everyone_withdraws(
        &mut self,
        say: &mut impl FnMut(String),
    ) -> Result<(), Failure> {
        let Cast {
            bob, charlie, dave, ..
        } = &self.cast;
        for (name, who) in [("Bob", bob), ("Charlie", charlie), ("Dave", dave)] {
            let BalanceReport { free, locked, .. } =
                balance_report(self.chain, &self.protocol.broker, account_of(who)).await?;
            check_eq(locked, 0, "nothing locked once every booking stopped")?;
            let tokens = self.token.balance_of(account_of(who));
            let before = self.chain.query(who, &tokens).await?;
            self.chain
                .call(who, &self.protocol.broker.withdraw_coin(free))
                .await?
                .value
                .or_fail("withdraw_coin")?;
            check_eq(
                self.chain.query(who, &tokens).await?,
                before + free,
                "tokens after the withdrawal",
            )?;
            say(format!("{name} withdraws {}", musd(free)));
        }
        Ok(())
    }
}

/// Tells what the two stops emitted.
pub(super) fn say_stops(
    metadata: &Metadata,
    stopped: &[Emitted],
    reported: &[Emitted],
    say: &mut impl FnMut(String),
) {
    for event in stopped.iter().chain(reported) {
        say(format!("stop: {}", metadata.describe(event)));
    }
}

/// A balance report as one line: held, owed, locked, free, and when it runs out.
fn describe_balance(report: &BalanceReport) -> String {
    let runs_out = match report.runs_out_at {
        Some(at) => format!("runs out at {at} ms"),
        None => "no bookings".into(),
    };
    format!(
        "{} held, {} owed, {} locked for 7 days, {} free, {runs_out}",
        musd(report.deposited),
        musd(report.owed),
        musd(report.locked),
        musd(report.free)
    )
}

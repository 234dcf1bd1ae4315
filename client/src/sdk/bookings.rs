//! Bookings: a user books, stops and reports; the miner claims what a
//! booking accrued.
use super::Session;
use crate::{
    chain::{Chain, Outcome},
    domain::Balance,
    Error,
};
use broker::{
    events::BookingStarted,
    types::{Booking, BookingId, OfferId},
    BrokerError,
};
use ink::primitives::AccountId;
use p2pcloud_common::{StopReason, MAX_PAGE_LIMIT};

pub(super) async fn book<C: Chain>(
    session: &mut Session<C>,
    offer_id: OfferId,
    max_price_per_second: Balance,
) -> Result<Outcome<BookingId>, Error> {
    let message = session
        .protocol
        .broker
        .book_vm(offer_id, max_price_per_second);
    let sent = session.send(&message).await?;
    session.allocated(sent, |started: BookingStarted| started.booking_id)
}

pub(super) async fn stop<C: Chain>(
    session: &mut Session<C>,
    booking_id: BookingId,
    reason: StopReason,
) -> Result<Outcome<()>, Error> {
    let message = session.protocol.broker.stop_booking(booking_id, reason);
    session.send(&message).await
}

pub(super) async fn report_ended<C: Chain>(
    session: &mut Session<C>,
    booking_id: BookingId,
) -> Result<Outcome<()>, Error> {
    let message = session.protocol.broker.report_ended_booking(booking_id);
    session.send(&message).await
}

pub(super) async fn claim_payment<C: Chain>(
    session: &mut Session<C>,
    booking_id: BookingId,
) -> Result<Outcome<()>, Error> {
    // A claim dry-run on a block less than a second after the last payment
    // takes the broker's cheap path (nothing to pay), so its gas estimate
    // would not cover the paying path the submitted claim takes one block
    // later (measured: OutOfGas). Such a claim would pay nothing anyway.
    let booking = get(session, booking_id)
        .await?
        .ok_or(Error::Broker(BrokerError::UnknownBooking))?;
    let now = session.chain.now().await?;
    if now.saturating_sub(booking.last_payment) < 1_000 {
        return Err(Error::NothingAccrued);
    }
    let message = session.protocol.broker.claim_payment(booking_id);
    session.send(&message).await
}

pub(super) async fn get<C: Chain>(
    session: &mut Session<C>,
    booking_id: BookingId,
) -> Result<Option<Booking>, Error> {
    let message = session.protocol.broker.get_booking(booking_id);
    session.query(&message).await
}

pub(super) async fn of_user<C: Chain>(
    session: &mut Session<C>,
    user: AccountId,
) -> Result<Vec<(BookingId, Booking)>, Error> {
    let broker = session.protocol.broker.clone();
    session
        .all_pages(|cursor| broker.get_user_bookings(user, cursor, MAX_PAGE_LIMIT))
        .await
}

pub(super) async fn of_miner<C: Chain>(
    session: &mut Session<C>,
    miner: AccountId,
) -> Result<Vec<(BookingId, Booking)>, Error> {
    let broker = session.protocol.broker.clone();
    session
        .all_pages(|cursor| broker.get_miner_bookings(miner, cursor, MAX_PAGE_LIMIT))
        .await
}

//! `p2pcloud book`, `stop`, `report`, `claim` and `bookings`: a booking's
//! life, from both sides.
use crate::{
    context::Context, describe::booking_row, error::CliError, error::NotDone, values::StopAs,
};
use broker::types::{BookingId, OfferId};
use clap::Args;
use p2pcloud_client::{
    domain::{Address, Amount},
    sdk::P2pCloud,
    time_left::users_time_left,
};
use serde_json::json;

#[derive(Args)]
pub struct BookCommand {
    offer: OfferId,
    #[arg(long)]
    max_price: Amount,
}

impl BookCommand {
    pub async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        let (mut session, token) = ctx.market(true).await?;
        let offer = self.offer;
        let max_price = self.max_price.in_units(token.decimals)?;
        let sent = session
            .book(offer, max_price)
            .await
            .not_done(format!("offer {offer} not booked"))?;
        ctx.sent(&sent, json!({ "booking": sent.value, "offer": offer }));
        Ok(())
    }
}

#[derive(Args)]
pub struct StopCommand {
    booking: BookingId,
    #[arg(long, value_enum, default_value_t = StopAs::Ok)]
    reason: StopAs,
}

impl StopCommand {
    pub async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        let (booking, reason) = (self.booking, self.reason.into());
        let sent = ctx
            .sign(format!("booking {booking} not stopped"), async |session| {
                session.stop(booking, reason).await
            })
            .await?;
        ctx.sent(&sent, json!({ "booking": booking }));
        Ok(())
    }
}

#[derive(Args)]
pub struct ReportCommand {
    booking: BookingId,
}

impl ReportCommand {
    pub async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        let booking = self.booking;
        let sent = ctx
            .sign(format!("booking {booking} not reported"), async |session| {
                session.report_ended(booking).await
            })
            .await?;
        ctx.sent(&sent, json!({ "booking": booking }));
        Ok(())
    }
}

#[derive(Args)]
pub struct ClaimCommand {
    booking: BookingId,
}

impl ClaimCommand {
    pub async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        let booking = self.booking;
        let sent = ctx
            .sign(format!("booking {booking} not claimed"), async |session| {
                session.claim_payment(booking).await
            })
            .await?;
        ctx.sent(&sent, json!({ "booking": booking }));
        Ok(())
    }
}

#[derive(Args)]
pub struct BookingsCommand {
    #[arg(long, conflicts_with = "miner")]
    user: Option<Address>,
    #[arg(long)]
    miner: Option<Address>,
    #[arg(long, conflicts_with_all = ["user", "miner"])]
    id: Option<BookingId>,
}

impl BookingsCommand {
    pub async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        let (mut session, token) = ctx.market(false).await?;
        let now = session.now().await?;
        let bookings = match (self.id, self.miner) {
            (Some(id), _) => session
                .booking(id)
                .await?
                .map(|booking| vec![(id, booking)])
                .ok_or_else(|| format!("booking {id} is not active"))?,
            (None, Some(miner)) => session.miner_bookings(miner.0).await?,
            (None, None) => {
                let user = ctx.account_or_own(&session, self.user)?;
                session.user_bookings(user).await?
            }
        };
        let time_left = users_time_left(&mut session, &bookings, now).await?;
        let rows: Vec<_> = bookings
            .iter()
            .map(|(id, booking)| {
                booking_row(*id, booking, &token, now, time_left.get(&booking.user))
            })
            .collect();
        ctx.out.table(&rows);
        Ok(())
    }
}

//! What people read: offers, bookings and proposals as records and
//! sentences.
use crate::output::Record;
use broker::types::{Booking, BookingId, Offer, OfferId};
use community::types::{Action, BrokerCall, ReleaseKind};
use p2pcloud_client::{
    domain::{ss58, Duration, Hex32, TokenAmount},
    sdk::TokenInfo,
    time_left::TimeLeft,
};
use serde_json::json;

/// A proposal's action as a sentence.
pub fn describe_action(action: &Action) -> String {
    let hex = |hash: &ink::primitives::Hash| Hex32::from(*hash).to_string();
    match action {
        Action::Broker(call) => match call {
            BrokerCall::SetCommunityFee(bps) => format!("set the community fee to {bps} bps"),
            BrokerCall::SetStablecoin(token) => {
                format!("move the broker to the stablecoin {}", ss58(token))
            }
            BrokerCall::SetCommunityContract(successor) => {
                format!("offer the broker to the community {}", ss58(successor))
            }
            BrokerCall::UpgradeCode(hash) => {
                format!("upgrade the broker to code {}", hex(hash))
            }
            BrokerCall::TerminateBooking(id) => format!("terminate booking {id}"),
            BrokerCall::SetTokenCallLimits(limits) => format!(
                "limit token calls to {} ref_time, {} proof bytes, {} storage deposit",
                limits.ref_time, limits.proof_size, limits.storage_deposit
            ),
            BrokerCall::AcceptCommunity => "accept the broker offered to this community".into(),
        },
        Action::AddMember { account, weight } => {
            format!("add the member {} with weight {weight}", ss58(account))
        }
        Action::RemoveMember { account } => format!("remove the member {}", ss58(account)),
        Action::ChangeWeight { account, weight } => {
            format!("set the weight of {} to {weight}", ss58(account))
        }
        Action::ApproveRelease(release) => format!(
            "approve the {} release {} {} ({})",
            match release.kind {
                ReleaseKind::Protocol => "protocol",
                ReleaseKind::Sdk => "SDK",
            },
            release.name,
            release.version,
            hex(&release.content_hash)
        ),
        Action::UpgradeCommunity(hash) => {
            format!("upgrade this community to code {}", hex(hash))
        }
    }
}

pub fn offer_row(id: OfferId, offer: &Offer, token: &TokenInfo) -> Record {
    json!({
        "offer": id,
        "miner": ss58(&offer.miner),
        "vm_type": offer.vm_type_id,
        "price_per_second": TokenAmount::new(offer.price_per_second, token.decimals).to_string(),
        "machines": offer.machines,
        "booked": offer.booked,
        "closed": offer.closed,
    })
}

/// A booking as a row; `user_time_left`, where known, says how long its
/// user's balance keeps paying (what a miner wants to see).
pub fn booking_row(
    id: BookingId,
    booking: &Booking,
    token: &TokenInfo,
    now: u64,
    user_time_left: Option<&TimeLeft>,
) -> Record {
    json!({
        "booking": id,
        "offer": booking.offer_id,
        "user": ss58(&booking.user),
        "miner": ss58(&booking.miner),
        "price_per_second": TokenAmount::new(booking.price_per_second, token.decimals).to_string(),
        "running": Duration(now.saturating_sub(booking.started_at)).to_string(),
        "unpaid": Duration(now.saturating_sub(booking.last_payment)).to_string(),
        "user_time_left": user_time_left.map(ToString::to_string),
    })
}

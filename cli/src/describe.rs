//! What people read: submitted messages, offers, bookings and proposals as
//! records and sentences.
use crate::{
    args::Global,
    output::{Output, Record},
};
use broker::types::{Booking, BookingId, Offer, OfferId};
use community::types::{Action, BrokerCall, ReleaseKind};
use p2pcloud_client::time_left::TimeLeft;
use p2pcloud_client::units::{format_amount, format_duration_ms};
use p2pcloud_client::{
    chain::Outcome,
    events::{describe, hex_bytes, parse_hex32, ss58},
    sdk::TokenInfo,
};
use serde_json::json;

/// A submitted (or simulated) message: its result, its decoded events and
/// what it cost.
pub fn sent_record<T>(
    out: &Output,
    global: &Global,
    sent: &Outcome<T>,
    mut result: serde_json::Value,
) {
    if let Some(fields) = result.as_object_mut() {
        fields.insert("submitted".into(), json!(!global.dry_run));
        fields.insert("ref_time".into(), json!(sent.cost.ref_time));
        fields.insert("proof_size".into(), json!(sent.cost.proof_size));
        fields.insert(
            "storage_deposit".into(),
            json!(sent.cost.storage_deposit.to_string()),
        );
        fields.insert(
            "events".into(),
            json!(sent.events.iter().map(describe).collect::<Vec<_>>()),
        );
    }
    out.record(&result);
}

/// A proposal's action as a sentence.
pub fn describe_action(action: &Action) -> String {
    let hex = |hash: &ink::primitives::Hash| hex_bytes(hash.as_ref());
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
        "price_per_second": format_amount(offer.price_per_second, token.decimals),
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
        "price_per_second": format_amount(booking.price_per_second, token.decimals),
        "running": format_duration_ms(now.saturating_sub(booking.started_at)),
        "unpaid": format_duration_ms(now.saturating_sub(booking.last_payment)),
        "user_time_left": user_time_left.map(ToString::to_string),
    })
}

pub fn parse_hash(text: &str) -> Result<[u8; 32], String> {
    parse_hex32(text)
}

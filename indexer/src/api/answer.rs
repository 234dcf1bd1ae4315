//! The API's answers as types: each serializes to the JSON the API has
//! always answered, and deserializes back for the CLI and the tests.
//! Fields are declared in alphabetical order because that is the order the
//! answers' keys have always had (serde_json's maps sort them). Amounts are
//! decimal strings (`*_units`, in the token's smallest units: JSON numbers
//! lose precision past 2^53), accounts SS58 addresses, scores rounded to
//! three decimals.
use crate::{
    as_text,
    page::{Cursor, Page},
    reputation::{Reputation, StopCounts},
    search::Match,
};
use broker::types::OfferId;
use p2pcloud_client::{
    domain::{Address, EventKind, StopReason},
    history::Record,
};
use p2pcloud_common::Balance;
use serde::{Deserialize, Serialize};

/// One payment, stop or complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventAnswer {
    #[serde(with = "as_text")]
    pub amount_units: Balance,
    pub block: u64,
    pub booking: u64,
    /// The event's index among the block's events.
    pub event: u32,
    pub extrinsic: Option<u32>,
    #[serde(with = "as_text")]
    pub kind: EventKind,
    #[serde(with = "as_text")]
    pub miner: Address,
    /// What the event paid the miner: all of a payment, the settlement that
    /// ended the booking for a stop, nothing for a complaint.
    pub paid_seconds: u64,
    #[serde(with = "as_text")]
    pub paid_units: Balance,
    /// For stops and complaints.
    #[serde(with = "as_text::option")]
    pub reason: Option<StopReason>,
    pub seconds: u64,
    pub time_ms: u64,
    #[serde(with = "as_text")]
    pub user: Address,
}

impl From<&Record> for EventAnswer {
    fn from(record: &Record) -> Self {
        Self {
            amount_units: record.amount,
            block: record.position.block_number,
            booking: record.booking_id,
            event: record.position.event_index,
            extrinsic: record.position.extrinsic_index,
            kind: record.kind,
            miner: record.miner.into(),
            paid_seconds: record.paid_seconds,
            paid_units: record.paid_amount,
            reason: record.reason,
            seconds: record.seconds,
            time_ms: record.position.block_time,
            user: record.user.into(),
        }
    }
}

/// A page of events, and where the next page begins if this one is full.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventsPage {
    pub events: Vec<EventAnswer>,
    /// `BLOCK:EVENT`, to pass as `after`; `null` after the last page.
    #[serde(with = "as_text::option")]
    pub next: Option<Cursor>,
}

impl From<&Page> for EventsPage {
    fn from(page: &Page) -> Self {
        Self {
            events: page.records.iter().map(EventAnswer::from).collect(),
            next: page.next,
        }
    }
}

/// `score` as the answers give it: to three decimals.
fn rounded(score: f64) -> f64 {
    (score * 1000.0).round() / 1000.0
}

/// What a miner did, and its score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReputationAnswer {
    pub complaints: u64,
    pub distinct_users: u64,
    #[serde(with = "as_text")]
    pub earned_units: Balance,
    #[serde(with = "as_text")]
    pub miner: Address,
    pub score: f64,
    pub seconds_served: u64,
    pub stops_by_reason: StopCounts,
}

impl From<&Reputation> for ReputationAnswer {
    fn from(report: &Reputation) -> Self {
        Self {
            complaints: report.complaints,
            distinct_users: report.distinct_users,
            earned_units: report.earned,
            miner: report.miner.into(),
            score: rounded(report.score),
            seconds_served: report.seconds_served,
            stops_by_reason: report.stops_by_reason,
        }
    }
}

/// An offer that fits a search: its VM type's spec, its price, its free
/// machines and its miner's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfferMatch {
    pub cpu: u32,
    pub disk_gb: u32,
    pub disk_speed: String,
    pub free_machines: u32,
    #[serde(with = "as_text")]
    pub miner: Address,
    pub name: String,
    pub network_mbps: u32,
    pub offer: OfferId,
    #[serde(with = "as_text")]
    pub price_per_second_units: Balance,
    pub ram_gb: u32,
    pub region: String,
    pub score: f64,
    pub vm_type: u32,
}

impl From<&Match> for OfferMatch {
    fn from(found: &Match) -> Self {
        Self {
            cpu: found.spec.cpu,
            disk_gb: found.spec.disk_gb,
            disk_speed: found.spec.disk_speed.clone(),
            free_machines: found.offer.machines.saturating_sub(found.offer.booked),
            miner: found.offer.miner.into(),
            name: found.spec.name.clone(),
            network_mbps: found.spec.network_mbps,
            offer: found.offer_id,
            price_per_second_units: found.offer.price_per_second,
            ram_gb: found.spec.ram_gb,
            region: found.spec.region.clone(),
            score: rounded(found.score),
            vm_type: found.offer.vm_type_id,
        }
    }
}

/// The offers that fit a search, in the order it asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OffersAnswer {
    pub offers: Vec<OfferMatch>,
}

/// Why a request has no answer: a 400 or a 500 with this body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorAnswer {
    pub error: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::VmSpec;
    use broker::types::Offer;
    use ink::primitives::AccountId;
    use p2pcloud_client::domain::{ss58, Position};

    fn account(byte: u8) -> AccountId {
        AccountId::from([byte; 32])
    }

    /// The JSON of `answer`, with the accounts 1 and 2 written `USER` and
    /// `MINER`, checked to read back as the same answer.
    fn json<T>(answer: &T) -> String
    where
        T: Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let text = serde_json::to_string(answer).expect("serializes");
        let read: T = serde_json::from_str(&text).expect("reads back");
        assert_eq!(&read, answer);
        text.replace(&ss58(&account(1)), "USER")
            .replace(&ss58(&account(2)), "MINER")
    }

    #[test]
    fn events_read_as_they_always_have_with_what_each_paid() {
        let record = Record {
            position: Position {
                block_number: 12,
                block_time: 72_000,
                event_index: 1,
                extrinsic_index: Some(2),
            },
            kind: EventKind::Complaint,
            booking_id: 4,
            user: account(1),
            miner: account(2),
            reason: Some(StopReason::MinerMisbehaviour),
            seconds: 600,
            amount: u128::MAX,
            paid_amount: 0,
            paid_seconds: 0,
        };
        let page = Page {
            records: vec![record],
            next: Some(Cursor {
                block: 12,
                event: 1,
            }),
        };
        assert_eq!(
            json(&EventsPage::from(&page)),
            concat!(
                r#"{"events":[{"amount_units":"340282366920938463463374607431768211455","#,
                r#""block":12,"booking":4,"event":1,"extrinsic":2,"kind":"complaint","#,
                r#""miner":"MINER","paid_seconds":0,"paid_units":"0","reason":"misbehaviour","#,
                r#""seconds":600,"time_ms":72000,"#,
                r#""user":"USER"}],"next":"12:1"}"#
            )
        );
        let payment = EventAnswer {
            kind: EventKind::Payment,
            reason: None,
            extrinsic: None,
            ..EventAnswer::from(&page.records[0])
        };
        let text = json(&payment);
        assert!(text.contains(r#""extrinsic":null,"#), "{text}");
        assert!(text.contains(r#""reason":null,"#), "{text}");
        let last = EventsPage {
            events: Vec::new(),
            next: None,
        };
        assert_eq!(json(&last), r#"{"events":[],"next":null}"#);
    }

    #[test]
    fn reputations_and_offers_read_as_they_always_have() {
        let mut stops = StopCounts::default();
        for reason in [StopReason::Ok, StopReason::NonPayment, StopReason::Ok] {
            stops.add(reason);
        }
        let report = Reputation {
            miner: account(2),
            seconds_served: 5_400,
            earned: 5_400_000_000,
            distinct_users: 3,
            stops_by_reason: stops,
            complaints: 1,
            score: 0.912_345,
        };
        assert_eq!(
            json(&ReputationAnswer::from(&report)),
            concat!(
                r#"{"complaints":1,"distinct_users":3,"earned_units":"5400000000","#,
                r#""miner":"MINER","score":0.912,"seconds_served":5400,"#,
                r#""stops_by_reason":{"non-payment":1,"ok":2}}"#
            )
        );
        let found = Match {
            offer_id: 7,
            offer: Offer {
                miner: account(2),
                vm_type_id: 3,
                price_per_second: 20,
                machines: 3,
                booked: 1,
                specs: [0; 32],
                closed: false,
            },
            spec: VmSpec {
                name: "large".into(),
                cpu: 16,
                ram_gb: 64,
                disk_gb: 800,
                disk_speed: "nvme".into(),
                network_mbps: 10_000,
                region: "eu-west".into(),
            },
            score: 0.5,
        };
        let offers = OffersAnswer {
            offers: vec![OfferMatch::from(&found)],
        };
        assert_eq!(
            json(&offers),
            concat!(
                r#"{"offers":[{"cpu":16,"disk_gb":800,"disk_speed":"nvme","free_machines":2,"#,
                r#""miner":"MINER","name":"large","network_mbps":10000,"offer":7,"#,
                r#""price_per_second_units":"20","ram_gb":64,"region":"eu-west","score":0.5,"#,
                r#""vm_type":3}]}"#
            )
        );
    }
}

//! Offer search: what a VM type is comes from a catalogue (a JSON file that
//! maps each type id to its spec, as the original project's search API does);
//! offers come from the broker; reputation from the index.
use crate::{as_text, whole_number};
use broker::types::{Offer, OfferId};
use p2pcloud_common::Balance;
use serde::Deserialize;
use std::{collections::BTreeMap, fmt, str::FromStr};

/// A VM type's spec.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct VmSpec {
    pub name: String,
    pub cpu: u32,
    pub ram_gb: u32,
    pub disk_gb: u32,
    /// For example `hdd`, `ssd` or `nvme`.
    pub disk_speed: String,
    pub network_mbps: u32,
    pub region: String,
}

/// VM type ids to their specs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Catalogue {
    pub vm_types: BTreeMap<u32, VmSpec>,
}

impl Catalogue {
    /// A catalogue from its JSON text, or why it is not one.
    pub fn parse(json: &str) -> Result<Self, String> {
        serde_json::from_str(json).map_err(|e| format!("not a VM type catalogue: {e}"))
    }
}

/// How matches are ordered: `price` or `reputation`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    /// Cheapest first (then best reputation).
    #[default]
    Price,
    /// Best reputation first (then cheapest).
    Reputation,
}

impl Order {
    const ALL: [Self; 2] = [Self::Price, Self::Reputation];

    fn name(self) -> &'static str {
        match self {
            Self::Price => "price",
            Self::Reputation => "reputation",
        }
    }
}

impl fmt::Display for Order {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A text that names no order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderError(pub String);

impl fmt::Display for OrderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not an order: price or reputation", self.0)
    }
}

impl std::error::Error for OrderError {}

impl FromStr for Order {
    type Err = OrderError;

    fn from_str(text: &str) -> Result<Self, OrderError> {
        Self::ALL
            .into_iter()
            .find(|order| order.name() == text)
            .ok_or_else(|| OrderError(text.to_string()))
    }
}

/// What a user needs, every field narrowing the search, and how to order
/// what fits: `GET /offers/search`'s parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct SearchQuery {
    #[serde(default, deserialize_with = "whole_number::min_cpu")]
    pub min_cpu: Option<u32>,
    #[serde(default, deserialize_with = "whole_number::min_ram_gb")]
    pub min_ram_gb: Option<u32>,
    #[serde(default, deserialize_with = "whole_number::min_disk_gb")]
    pub min_disk_gb: Option<u32>,
    /// For example `hdd`, `ssd` or `nvme`, as the catalogue names them.
    pub disk_speed: Option<String>,
    #[serde(default, deserialize_with = "whole_number::min_network_mbps")]
    pub min_network_mbps: Option<u32>,
    pub region: Option<String>,
    /// The most per second, in the token's smallest units.
    #[serde(default, deserialize_with = "whole_number::max_price")]
    pub max_price: Option<Balance>,
    #[serde(default, with = "as_text")]
    pub sort: Order,
}

/// An offer that fits, with its spec and its miner's score.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub offer_id: OfferId,
    pub offer: Offer,
    pub spec: VmSpec,
    pub score: f64,
}

/// The offers with a free machine whose type the catalogue knows and that
/// meet `query`, in its order. `score` gives a miner's reputation.
pub fn search(
    offers: &[(OfferId, Offer)],
    catalogue: &Catalogue,
    query: &SearchQuery,
    score: impl Fn(&Offer) -> f64,
) -> Vec<Match> {
    let at_least = |value: u32, wanted: Option<u32>| wanted.is_none_or(|wanted| value >= wanted);
    let mut matches: Vec<Match> = offers
        .iter()
        .filter(|(_, offer)| !offer.closed && offer.booked < offer.machines)
        .filter(|(_, offer)| {
            query
                .max_price
                .is_none_or(|max| offer.price_per_second <= max)
        })
        .filter_map(|(id, offer)| {
            let spec = catalogue.vm_types.get(&offer.vm_type_id)?;
            let fits = at_least(spec.cpu, query.min_cpu)
                && at_least(spec.ram_gb, query.min_ram_gb)
                && at_least(spec.disk_gb, query.min_disk_gb)
                && at_least(spec.network_mbps, query.min_network_mbps)
                && query
                    .region
                    .as_ref()
                    .is_none_or(|region| &spec.region == region)
                && query
                    .disk_speed
                    .as_ref()
                    .is_none_or(|speed| &spec.disk_speed == speed);
            fits.then(|| Match {
                offer_id: *id,
                offer: offer.clone(),
                spec: spec.clone(),
                score: score(offer),
            })
        })
        .collect();
    let by_price = |a: &Match, b: &Match| a.offer.price_per_second.cmp(&b.offer.price_per_second);
    let by_score = |a: &Match, b: &Match| b.score.total_cmp(&a.score);
    matches.sort_by(|a, b| match query.sort {
        Order::Price => by_price(a, b)
            .then(by_score(a, b))
            .then(a.offer_id.cmp(&b.offer_id)),
        Order::Reputation => by_score(a, b)
            .then(by_price(a, b))
            .then(a.offer_id.cmp(&b.offer_id)),
    });
    matches
}

#[cfg(test)]
mod tests {
    use super::*;
    use ink::primitives::AccountId;

    fn offer(vm_type_id: u32, price: Balance, miner: u8, booked: u32) -> Offer {
        Offer {
            miner: AccountId::from([miner; 32]),
            vm_type_id,
            price_per_second: price,
            machines: 2,
            booked,
            specs: [0; 32],
            closed: false,
        }
    }

    fn sample() -> Catalogue {
        Catalogue::parse(include_str!("../data/catalogue.sample.json")).expect("the sample parses")
    }

    #[test]
    fn finds_by_minimum_spec_region_and_price_in_the_asked_order() {
        let offers = vec![
            (0, offer(1, 10, 1, 0)),
            (1, offer(2, 30, 2, 0)),
            (2, offer(2, 20, 3, 0)),
            (3, offer(3, 90, 4, 0)),
            (4, offer(2, 25, 5, 2)), // no free machine
            (5, offer(99, 5, 6, 0)), // a type the catalogue does not know
        ];
        let score = |offer: &Offer| {
            if offer.miner == AccountId::from([2; 32]) {
                0.9
            } else {
                0.5
            }
        };
        let query = SearchQuery {
            min_ram_gb: Some(16),
            region: Some("eu-west".into()),
            ..SearchQuery::default()
        };
        let by_reputation = SearchQuery {
            sort: Order::Reputation,
            ..query.clone()
        };
        let ids = |matches: Vec<Match>| matches.iter().map(|m| m.offer_id).collect::<Vec<_>>();
        assert_eq!(ids(search(&offers, &sample(), &query, score)), vec![2, 1]);
        assert_eq!(
            ids(search(&offers, &sample(), &by_reputation, score)),
            vec![1, 2]
        );
        let cheap = SearchQuery {
            max_price: Some(20),
            ..SearchQuery::default()
        };
        assert_eq!(ids(search(&offers, &sample(), &cheap, score)), vec![0, 2]);
        let big = SearchQuery {
            min_cpu: Some(16),
            disk_speed: Some("nvme".into()),
            ..SearchQuery::default()
        };
        assert_eq!(ids(search(&offers, &sample(), &big, score)), vec![3]);
    }

    #[test]
    fn orders_read_back_as_written_and_others_are_refused() {
        for order in Order::ALL {
            assert_eq!(order.to_string().parse(), Ok(order));
        }
        assert_eq!(
            "cheapest".parse::<Order>().unwrap_err().to_string(),
            "\"cheapest\" is not an order: price or reputation"
        );
    }

    #[test]
    fn a_malformed_catalogue_is_refused_with_a_reason() {
        assert!(Catalogue::parse("{\"vm_types\": {\"x\": {}}}").is_err());
        assert!(Catalogue::parse("[]").is_err());
    }
}

//! Closed sets and composite values of the command line, read by clap: a
//! bad one is refused before anything connects.
use clap::ValueEnum;
use community::types::{ReleaseKind, Weight};
use p2pcloud_client::domain::{Address, Amount, StopReason};
use std::str::FromStr;

/// How a user or a miner ends a booking (the broker sets the other reasons).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StopAs {
    /// The user is done with the VM.
    Ok,
    /// The user reports the miner.
    #[value(alias = "misbehavior", alias = "report")]
    Misbehaviour,
    /// The miner ends the booking.
    Terminated,
}

impl From<StopAs> for StopReason {
    fn from(reason: StopAs) -> Self {
        match reason {
            StopAs::Ok => Self::Ok,
            StopAs::Misbehaviour => Self::MinerMisbehaviour,
            StopAs::Terminated => Self::MinerTerminated,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Vote {
    #[value(alias = "y")]
    Yes,
    #[value(alias = "n")]
    No,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReleaseKindArg {
    Protocol,
    Sdk,
}

impl From<ReleaseKindArg> for ReleaseKind {
    fn from(kind: ReleaseKindArg) -> Self {
        match kind {
            ReleaseKindArg::Protocol => Self::Protocol,
            ReleaseKindArg::Sdk => Self::Sdk,
        }
    }
}

/// A founding member: `ADDRESS:WEIGHT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub address: Address,
    pub weight: Weight,
}

impl FromStr for Member {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let (account, weight) = text
            .rsplit_once(':')
            .ok_or_else(|| format!("{text}: write a member as ADDRESS:WEIGHT"))?;
        let weight = weight
            .parse()
            .map_err(|_| format!("{text}: the weight {weight:?} is not a whole number"))?;
        let address = account.parse().map_err(|error| format!("{error}"))?;
        Ok(Self { address, weight })
    }
}

/// What `withdraw` takes: an amount, or `all` that is free.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Withdrawal {
    All,
    Amount(Amount),
}

impl FromStr for Withdrawal {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "all" => Ok(Self::All),
            amount => amount
                .parse()
                .map(Self::Amount)
                .map_err(|error| error.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_is_an_address_and_a_whole_weight() {
        let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
        let member: Member = format!("{alice}:3").parse().expect("a member");
        assert_eq!(
            (member.address.to_string(), member.weight),
            (alice.into(), 3)
        );
        assert_eq!(
            "alice".parse::<Member>().unwrap_err(),
            "alice: write a member as ADDRESS:WEIGHT"
        );
        assert_eq!(
            format!("{alice}:x").parse::<Member>().unwrap_err(),
            format!("{alice}:x: the weight \"x\" is not a whole number")
        );
    }

    #[test]
    fn withdraw_takes_all_or_an_amount() {
        assert_eq!("all".parse(), Ok(Withdrawal::All));
        assert!(matches!("1.5".parse(), Ok(Withdrawal::Amount(_))));
        assert!("al"
            .parse::<Withdrawal>()
            .unwrap_err()
            .contains("is not an amount"));
    }
}

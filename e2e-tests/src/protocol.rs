//! How scenarios check what the chain answered, on top of the client's
//! deployed `Protocol`.
use broker::types::BalanceReport;
use ink::primitives::AccountId;
use p2pcloud_client::chain::{account_of, dev, Chain, Keypair};
pub use p2pcloud_client::protocol::{BrokerCalls, CommunityCalls, Protocol};

/// A failed step of a scenario: a chain error or an answer that was not the
/// expected one.
pub type Failure = Box<dyn std::error::Error>;

/// Fails the scenario with `what` unless `holds`.
pub fn check(holds: bool, what: impl Into<String>) -> Result<(), Failure> {
    if holds {
        Ok(())
    } else {
        Err(what.into().into())
    }
}

/// Fails the scenario unless `actual == expected`.
pub fn check_eq<T: PartialEq + std::fmt::Debug>(
    actual: T,
    expected: T,
    what: &str,
) -> Result<(), Failure> {
    check(
        actual == expected,
        format!("{what}: got {actual:?}, expected {expected:?}"),
    )
}

/// Turns a message's typed error into a scenario failure naming the step.
pub trait OrFail<T> {
    fn or_fail(self, step: &str) -> Result<T, Failure>;
}

impl<T, E: std::fmt::Debug> OrFail<T> for Result<T, E> {
    fn or_fail(self, step: &str) -> Result<T, Failure> {
        self.map_err(|error| format!("{step}: {error:?}").into())
    }
}

/// What the broker says `account` holds, owes, has locked and may withdraw.
pub async fn balance_report<C: Chain>(
    chain: &mut C,
    broker: &BrokerCalls,
    account: AccountId,
) -> Result<BalanceReport, Failure> {
    chain
        .query(&dev::alice(), &broker.check_balance(account))
        .await?
        .or_fail("check_balance")
}

/// `who` withdraws all their free balance from the broker; returns how much.
pub async fn withdraw_free<C: Chain>(
    chain: &mut C,
    broker: &mut BrokerCalls,
    who: &Keypair,
) -> Result<u128, Failure> {
    let free = balance_report(chain, broker, account_of(who)).await?.free;
    chain
        .call(who, &broker.withdraw_coin(free))
        .await?
        .value
        .or_fail("withdraw_coin")?;
    Ok(free)
}

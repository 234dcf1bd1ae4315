//! Deploys the protocol the way a real deployment does: upload the broker's
//! code, then instantiate the community, whose constructor instantiates the
//! broker with the community's own address. No trusted step follows.
use crate::chain::{account_of, Chain, Keypair};
use broker::{types::BalanceReport, Broker};
use community::{
    types::{VotingRules, Weight},
    Community, CommunityRef,
};
use ink::{codegen::ContractCallBuilder, primitives::AccountId};

pub type BrokerCalls = <Broker as ContractCallBuilder>::Type;
pub type CommunityCalls = <Community as ContractCallBuilder>::Type;

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

pub struct Protocol {
    pub community_id: AccountId,
    pub broker_id: AccountId,
    pub community: CommunityCalls,
    pub broker: BrokerCalls,
}

impl Protocol {
    /// Uploads the broker, instantiates the community with `members`, `rules`
    /// and the `stablecoin` address, and has it create the broker.
    pub async fn deploy<C: Chain>(
        chain: &mut C,
        deployer: &Keypair,
        members: Vec<(&Keypair, Weight)>,
        rules: VotingRules,
        stablecoin: AccountId,
    ) -> Result<Self, Failure> {
        let members = members
            .into_iter()
            .map(|(member, weight)| (account_of(member), weight))
            .collect();
        Self::deploy_for(chain, deployer, members, rules, stablecoin).await
    }

    /// As `deploy`, with members given by address.
    pub async fn deploy_for<C: Chain>(
        chain: &mut C,
        deployer: &Keypair,
        members: Vec<(AccountId, Weight)>,
        rules: VotingRules,
        stablecoin: AccountId,
    ) -> Result<Self, Failure> {
        let broker_code = chain.upload("broker", deployer).await?;
        let mut constructor = CommunityRef::new(members, rules, broker_code, stablecoin);
        let community_id = chain
            .instantiate("community", deployer, &mut constructor)
            .await?
            .value;
        let mut community = ink_e2e::create_call_builder::<Community>(community_id);
        let broker_id = chain
            .call(deployer, &community.create_broker())
            .await?
            .value
            .or_fail("create_broker")?;
        check_eq(
            chain.query(deployer, &community.get_broker()).await?,
            Some(broker_id),
            "the community's broker",
        )?;
        let broker = ink_e2e::create_call_builder::<Broker>(broker_id);
        check_eq(
            chain
                .query(deployer, &broker.get_community_contract())
                .await?,
            community_id,
            "the broker's community",
        )?;
        check_eq(
            chain
                .query(deployer, &broker.get_stablecoin_address())
                .await?,
            stablecoin,
            "the broker's stablecoin",
        )?;
        Ok(Self {
            community_id,
            broker_id,
            community,
            broker,
        })
    }
}

/// What the broker says `account` holds, owes, has locked and may withdraw.
pub async fn balance_report<C: Chain>(
    chain: &mut C,
    broker: &BrokerCalls,
    account: AccountId,
) -> Result<BalanceReport, Failure> {
    chain
        .query(&ink_e2e::alice(), &broker.check_balance(account))
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

//! Deploys the protocol the way a real deployment does: upload the broker's
//! code, instantiate the community with it, and have the community create the
//! broker with the community's own address. No trusted step follows.
use crate::{
    bundles::PROTOCOL,
    chain::{account_of, contract_calls, Chain, Keypair},
    domain::ss58,
    Error,
};
use broker::Broker;
use community::{
    types::{VotingRules, Weight},
    Community, CommunityRef,
};
use ink::{codegen::ContractCallBuilder, primitives::AccountId};

/// The broker's typed message builder.
pub type BrokerCalls = <Broker as ContractCallBuilder>::Type;
/// The community's typed message builder.
pub type CommunityCalls = <Community as ContractCallBuilder>::Type;

pub struct Protocol {
    pub community_id: AccountId,
    pub broker_id: AccountId,
    pub community: CommunityCalls,
    pub broker: BrokerCalls,
}

impl Protocol {
    /// The protocol deployed at `community_id` and `broker_id`.
    pub fn at(community_id: AccountId, broker_id: AccountId) -> Self {
        Self {
            community_id,
            broker_id,
            community: contract_calls::<Community>(community_id),
            broker: contract_calls::<Broker>(broker_id),
        }
    }

    /// Uploads the broker and its library, instantiates the community with
    /// `members`, `rules` and the `stablecoin` address, has it create the
    /// broker, and has the broker pin its library.
    pub async fn deploy<C: Chain>(
        chain: &mut C,
        deployer: &Keypair,
        members: Vec<(&Keypair, Weight)>,
        rules: VotingRules,
        stablecoin: AccountId,
    ) -> Result<Self, Error> {
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
    ) -> Result<Self, Error> {
        chain.check_code(&PROTOCOL).await?;
        chain.upload("broker_library", deployer).await?;
        let broker_code = chain.upload("broker", deployer).await?;
        chain.upload("community_library", deployer).await?;
        let mut constructor = CommunityRef::new(members, rules, broker_code, stablecoin);
        let community_id = chain
            .instantiate("community", deployer, &mut constructor)
            .await?
            .value;
        let mut community = contract_calls::<Community>(community_id);
        let broker_id = chain
            .call(deployer, &community.create_broker())
            .await?
            .value?;
        let mut protocol = Self::at(community_id, broker_id);
        // A library stays on chain while its pin does (common/src/split.rs);
        // the community and the broker pin in `migrate_storage`, not in
        // their constructors.
        chain
            .call(deployer, &protocol.community.migrate_storage())
            .await?
            .value?;
        chain
            .call(deployer, &protocol.broker.migrate_storage())
            .await?
            .value?;
        protocol.verify(chain, deployer, stablecoin).await?;
        Ok(protocol)
    }

    /// Checks that the community and the broker point at each other and the
    /// broker at `stablecoin`.
    async fn verify<C: Chain>(
        &self,
        chain: &mut C,
        reader: &Keypair,
        stablecoin: AccountId,
    ) -> Result<(), Error> {
        let links = [
            (
                chain.query(reader, &self.community.get_broker()).await?,
                Some(self.broker_id),
                "the community's broker",
            ),
            (
                Some(
                    chain
                        .query(reader, &self.broker.get_community_contract())
                        .await?,
                ),
                Some(self.community_id),
                "the broker's community",
            ),
            (
                Some(
                    chain
                        .query(reader, &self.broker.get_stablecoin_address())
                        .await?,
                ),
                Some(stablecoin),
                "the broker's stablecoin",
            ),
        ];
        let shown =
            |account: Option<AccountId>| account.map_or_else(|| "none".into(), |a| ss58(&a));
        for (actual, expected, what) in links {
            if actual != expected {
                return Err(Error::Unexpected(format!(
                    "{what} is {}, expected {}",
                    shown(actual),
                    shown(expected)
                )));
            }
        }
        Ok(())
    }
}

//! The market a measurement runs on: the protocol on a fresh chain, already
//! holding `population` of everything a message could walk over.
use crate::{backend::BenchChain, table::Table};
use broker::types::WEEK_SECONDS;
use community::types::{Action, ProposalId};
use e2e_tests::{
    protocol::{Failure, OrFail, Protocol},
    workflow::{
        deploy_with_mock_usd, fund, Cast, MockUsdCalls, PRICE_PER_SECOND, VOTING_PERIOD_MS,
    },
};
use ink::primitives::AccountId;
use p2pcloud_client::chain::{account_of, Chain};
use std::time::Instant;

/// What every group of measured messages acts on, and the rows measured so far.
pub struct Bench<C: BenchChain> {
    pub chain: C,
    pub cast: Cast,
    pub token: MockUsdCalls,
    pub protocol: Protocol,
    /// How many offers, users with bookings and extra members the market holds.
    pub population: u32,
    pub table: Table<C::Shares>,
}

impl<C: BenchChain> Bench<C> {
    /// The protocol on `chain`, fresh, its market filled with `population`.
    pub async fn open(mut chain: C, population: u32) -> Result<Self, Failure> {
        let started = Instant::now();
        let cast = Cast::default();
        let (_, mut token, mut protocol) = deploy_with_mock_usd(&mut chain, &cast).await?;
        populate(&mut chain, &cast, &mut token, &mut protocol, population).await?;
        eprintln!(
            "bench: a market of {population} built on {} in {:.0?}",
            chain.backend(),
            started.elapsed()
        );
        Ok(Self {
            chain,
            cast,
            token,
            protocol,
            population,
            table: Table::default(),
        })
    }
}

/// Fills the market with `n` of everything the messages could walk over:
/// `n` offers of Ferdie's, `n` users (`BenchChain::market_user`) each with a
/// deposit and a running booking of one of them, and `n` more community
/// members.
async fn populate<C: BenchChain>(
    chain: &mut C,
    cast: &Cast,
    token: &mut MockUsdCalls,
    protocol: &mut Protocol,
    n: u32,
) -> Result<(), Failure> {
    let deposit = PRICE_PER_SECOND * WEEK_SECONDS * 2;
    for i in 0..n {
        let offer = chain
            .call(
                &cast.ferdie,
                &protocol.broker.add_offer(9, PRICE_PER_SECOND, 2, [9; 32]),
            )
            .await?
            .value
            .or_fail("add_offer")?;
        let user = chain.market_user(i)?;
        fund(chain, token, protocol, &user, deposit).await?;
        chain
            .call(&user, &protocol.broker.book_vm(offer, PRICE_PER_SECOND))
            .await?
            .value
            .or_fail("book_vm")?;
    }
    add_members(chain, cast, protocol, n).await
}

/// Adds `n` community members by vote, with Alice's weight raised in the
/// same vote so she still passes proposals alone.
async fn add_members<C: Chain>(
    chain: &mut C,
    cast: &Cast,
    protocol: &mut Protocol,
    n: u32,
) -> Result<(), Failure> {
    let mut actions: Vec<Action> = (0..n)
        .map(|i| Action::AddMember {
            account: member_account(i),
            weight: 1,
        })
        .collect();
    actions.push(Action::ChangeWeight {
        account: account_of(&cast.alice),
        weight: 1_000_000,
    });
    let mut proposals: Vec<ProposalId> = Vec::new();
    for action in actions {
        let proposal = chain
            .call(
                &cast.alice,
                &protocol.community.propose(action, String::new()),
            )
            .await?
            .value
            .or_fail("propose")?;
        chain
            .call(&cast.alice, &protocol.community.vote(proposal, true))
            .await?
            .value
            .or_fail("vote")?;
        proposals.push(proposal);
    }
    chain.pass_time(VOTING_PERIOD_MS + 1).await?;
    for proposal in proposals {
        chain
            .call(&cast.eve, &protocol.community.execute(proposal))
            .await?
            .value
            .or_fail("execute")?;
    }
    Ok(())
}

/// The `i`th extra member's address (members need no key: they never sign here).
fn member_account(i: u32) -> AccountId {
    let mut bytes = [0xB5; 32];
    bytes[..4].copy_from_slice(&i.to_le_bytes());
    AccountId::from(bytes)
}

//! Unit tests of the env-free community core. Each file tests one concern of
//! a rule file; the world and helpers here serve them all.
use crate::{
    data::{Events, NoBrokerYet},
    events::*,
    memory::{FakeBroker, MemoryCommunity, FIRST_TOKEN, THIS},
    types::*,
    CommunityError,
};
use ink::primitives::{AccountId, Hash};
use p2pcloud_common::{
    testing::{MemoryPsp22, TokenBehaviour},
    BrokerError, TokenCallLimits, MAX_PAGE_LIMIT,
};

use p2pcloud_common::testing::START;
const PERIOD: Timestamp = 60_000;
const RULES: VotingRules = VotingRules {
    quorum_bps: 5_000,
    voting_period: PERIOD,
    execution_period: PERIOD,
};

fn account(byte: u8) -> AccountId {
    AccountId::from([byte; 32])
}
fn alice() -> AccountId {
    account(1)
}
fn bob() -> AccountId {
    account(2)
}
fn carol() -> AccountId {
    account(3)
}
fn stranger() -> AccountId {
    account(9)
}
fn this() -> AccountId {
    THIS
}
fn broker_account() -> AccountId {
    account(0xB0)
}

/// A community at `this()` governing the broker at `broker_account()`.
fn community_of(
    members: &[(AccountId, Weight)],
    rules: VotingRules,
) -> Result<MemoryCommunity, CommunityError> {
    let broker = BrokerLink::At(broker_account());
    MemoryCommunity::new(this(), members, rules, broker, FIRST_TOKEN)
}

#[derive(Debug)]
struct World {
    community: MemoryCommunity,
    /// The broker, with the token ledgers.
    broker: FakeBroker,
    now: Timestamp,
}

fn world_of(members: &[(AccountId, Weight)]) -> World {
    World {
        community: community_of(members, RULES).unwrap(),
        broker: FakeBroker::default(),
        now: START,
    }
}

fn world() -> World {
    world_of(&[(alice(), 1), (bob(), 1), (carol(), 2)])
}

impl World {
    fn propose(&mut self, action: Action) -> ProposalId {
        let now = self.now;
        self.community
            .propose(alice(), action, "why".into(), now)
            .unwrap()
            .0
    }

    fn vote(
        &mut self,
        voter: AccountId,
        proposal_id: ProposalId,
        yes: bool,
    ) -> Result<Events, CommunityError> {
        let now = self.now;
        self.community.vote(voter, proposal_id, yes, now)
    }

    fn execute(&mut self, proposal_id: ProposalId) -> Result<Events, CommunityError> {
        let now = self.now;
        self.community.execute(proposal_id, now, &mut self.broker)
    }

    /// Proposes, lets `yes` vote yes, closes voting and executes.
    fn pass(&mut self, action: Action, yes: &[AccountId]) -> Result<Events, CommunityError> {
        let id = self.propose(action);
        for voter in yes {
            self.vote(*voter, id, true).unwrap();
        }
        self.now += PERIOD;
        self.execute(id)
    }

    /// `amount` of fees wait in the broker and are collected.
    fn collect(&mut self, amount: Balance) -> Result<Events, CommunityError> {
        self.broker.fees = amount;
        self.community.collect_fees(&mut self.broker)
    }

    /// Claims `member`'s share of the current book; what it received.
    fn claim(&mut self, member: AccountId) -> Result<Balance, CommunityError> {
        let token = self.community.config.book.token;
        let before = self.broker.balance_of(token, member);
        self.community.claim_share(member, &mut self.broker)?;
        Ok(self.broker.balance_of(token, member) - before)
    }

    /// The ledger of the broker's stablecoin now.
    fn ledger(&mut self) -> &mut MemoryPsp22 {
        let token = self.broker.stablecoin;
        self.broker.ledger_mut(token)
    }

    /// What `owner` holds of the broker's stablecoin now.
    fn tokens(&self, owner: AccountId) -> Balance {
        self.broker.balance_of(self.broker.stablecoin, owner)
    }

    fn snapshot(&self) -> (MemoryCommunity, FakeBroker) {
        (self.community.clone(), self.broker.clone())
    }
}

/// Runs an operation that must fail with `error` and change nothing.
fn assert_refused<T: core::fmt::Debug>(
    world: &mut World,
    error: CommunityError,
    operation: impl FnOnce(&mut World) -> Result<T, CommunityError>,
) {
    let before = world.snapshot();
    assert_eq!(operation(world).unwrap_err(), error);
    assert_eq!(world.snapshot(), before, "a failed operation changed state");
}

mod broker_creation;
mod fee_book_bounds;
mod fee_books;
mod fees;
mod instantiation;
mod membership;
mod one_read_shares;
mod proposals;
mod releases;

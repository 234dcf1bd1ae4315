//! The community core over in-memory maps, for tests and property tests.
use crate::{
    data::{BrokerPort, CommunityData, CommunityMaps, FeeTokens, FeesWithdrawn},
    errors::CommunityError,
    types::*,
};
use ink::primitives::AccountId;
use p2pcloud_common::{testing::MemoryPsp22, BrokerError, CheckedToken, Token};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InMemory {}

impl CommunityMaps for InMemory {
    type Members = BTreeMap<AccountId, Member>;
    type Proposals = BTreeMap<ProposalId, Proposal>;
    type Votes = BTreeMap<(ProposalId, AccountId), bool>;
    type Releases = BTreeMap<ReleaseId, Release>;
    type ReleaseIndex = BTreeMap<[u8; 32], ReleaseId>;
    type Decisions = BTreeMap<Subject, ProposalId>;
    type MemberIndex = BTreeMap<u32, AccountId>;
    type MemberBooks = BTreeMap<AccountId, u32>;
    type ClosedBooks = BTreeMap<u32, ClosedBook>;
    type ClosedShares = BTreeMap<(u32, AccountId), u128>;
    type Held = BTreeMap<AccountId, Balance>;
}

pub type MemoryCommunity = CommunityData<InMemory>;

impl MemoryCommunity {
    /// Every member record, former members included, for invariant checks.
    pub fn member_records(&self) -> impl Iterator<Item = (&AccountId, &Member)> {
        self.members.iter()
    }

    /// What the community owes in each token, for invariant checks.
    pub fn held(&self) -> impl Iterator<Item = (&AccountId, &Balance)> {
        self.held.iter()
    }

    /// The book `account`'s share was last settled in, for invariant checks.
    pub fn member_book(&self, account: AccountId) -> u32 {
        self.member_books.get(&account).copied().unwrap_or_default()
    }
}

impl Clone for MemoryCommunity {
    fn clone(&self) -> Self {
        Self {
            config: self.config.clone(),
            members: self.members.clone(),
            proposals: self.proposals.clone(),
            votes: self.votes.clone(),
            releases: self.releases.clone(),
            release_index: self.release_index.clone(),
            decisions: self.decisions.clone(),
            member_index: self.member_index.clone(),
            member_books: self.member_books.clone(),
            closed_books: self.closed_books.clone(),
            closed_shares: self.closed_shares.clone(),
            held: self.held.clone(),
        }
    }
}

impl PartialEq for MemoryCommunity {
    fn eq(&self, other: &Self) -> bool {
        self.config == other.config
            && self.members == other.members
            && self.proposals == other.proposals
            && self.votes == other.votes
            && self.releases == other.releases
            && self.release_index == other.release_index
            && self.decisions == other.decisions
            && self.member_index == other.member_index
            && self.member_books == other.member_books
            && self.closed_books == other.closed_books
            && self.closed_shares == other.closed_shares
            && self.held == other.held
    }
}

impl core::fmt::Debug for MemoryCommunity {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MemoryCommunity")
            .field("config", &self.config)
            .field("members", &self.members)
            .field("proposals", &self.proposals)
            .finish_non_exhaustive()
    }
}

/// This community's address in the tests.
pub const THIS: AccountId = AccountId([0xC0; 32]);
/// The broker's stablecoin when a test starts.
pub const FIRST_TOKEN: AccountId = AccountId([0x5C; 32]);

/// The broker as the community sees it, in memory, with the token ledgers:
/// records calls, can refuse them, holds `fees` waiting for the community in
/// `stablecoin` and pays them into the community's account in that token's
/// ledger, less `shortfall` (a token that delivers less than said).
#[derive(Debug, Clone, PartialEq)]
pub struct FakeBroker {
    pub calls: Vec<BrokerCall>,
    pub refuse_with: Option<CommunityError>,
    pub fees: Balance,
    pub stablecoin: AccountId,
    pub shortfall: Balance,
    /// How the broker refuses a withdrawal whose token call fails inside it
    /// (its other messages still answer).
    pub withdrawal_fails: Option<CommunityError>,
    /// A token whose every call fails (terminated, or trapping).
    pub silent_token: Option<AccountId>,
    /// Each token's ledger, as seen by this community (`THIS`).
    pub tokens: BTreeMap<AccountId, CheckedToken<MemoryPsp22>>,
}

impl Default for FakeBroker {
    fn default() -> Self {
        Self {
            calls: Vec::new(),
            refuse_with: None,
            fees: 0,
            stablecoin: FIRST_TOKEN,
            shortfall: 0,
            withdrawal_fails: None,
            silent_token: None,
            tokens: BTreeMap::new(),
        }
    }
}

impl FakeBroker {
    pub fn with_fees(fees: Balance) -> Self {
        Self {
            fees,
            ..Self::default()
        }
    }

    fn answer(&self) -> Result<(), CommunityError> {
        self.refuse_with.map_or(Ok(()), Err)
    }

    /// `token`'s ledger, opened empty on first use.
    pub fn ledger_mut(&mut self, token: AccountId) -> &mut MemoryPsp22 {
        self.checked(token).api_mut()
    }

    /// `token`'s ledger behind the checked adapter, opened empty on first use.
    fn checked(&mut self, token: AccountId) -> &mut CheckedToken<MemoryPsp22> {
        self.tokens
            .entry(token)
            .or_insert_with(|| CheckedToken::new(MemoryPsp22::new(THIS), THIS))
    }

    fn answer_for(&self, token: AccountId) -> Result<(), CommunityError> {
        match self.silent_token {
            Some(silent) if silent == token => Err(CommunityError::TokenCallFailed),
            _ => Ok(()),
        }
    }

    /// What `owner` holds of `token`.
    pub fn balance_of(&self, token: AccountId, owner: AccountId) -> Balance {
        self.tokens
            .get(&token)
            .map_or(0, |ledger| ledger.api().balance(owner))
    }
}

impl BrokerPort for FakeBroker {
    fn call(&mut self, call: &BrokerCall) -> Result<(), CommunityError> {
        self.answer()?;
        self.calls.push(call.clone());
        Ok(())
    }

    fn withdraw_fees(&mut self, limit: Balance) -> Result<FeesWithdrawn, CommunityError> {
        self.answer()?;
        let amount = self.fees.min(limit);
        let token = self.stablecoin;
        // Nothing free, no token call, as in the broker; a token call that
        // fails inside the broker reverts its side whole.
        if amount > 0 {
            self.withdrawal_fails.map_or(Ok(()), Err)?;
            self.answer_for(token)
                .map_err(|_| CommunityError::Broker(BrokerError::TokenCallFailed))?;
            let arrived = amount.saturating_sub(self.shortfall);
            self.ledger_mut(token).mint(THIS, arrived);
        }
        self.fees = self.fees.saturating_sub(amount);
        Ok(FeesWithdrawn {
            stablecoin: token,
            amount,
        })
    }

    fn stablecoin(&mut self) -> Result<AccountId, CommunityError> {
        self.answer()?;
        Ok(self.stablecoin)
    }
}

impl FeeTokens for FakeBroker {
    fn balance(&mut self, token: AccountId) -> Result<Balance, CommunityError> {
        self.answer_for(token)?;
        Ok(self.balance_of(token, THIS))
    }

    fn send(
        &mut self,
        token: AccountId,
        to: AccountId,
        amount: Balance,
    ) -> Result<(), CommunityError> {
        self.answer_for(token)?;
        Ok(self.checked(token).send_exactly(to, amount)?)
    }

    fn send_owed(
        &mut self,
        token: AccountId,
        to: AccountId,
        amount: Balance,
        owed: Balance,
    ) -> Result<(), CommunityError> {
        self.answer_for(token)?;
        Ok(self.checked(token).send_owed(to, amount, owed)?)
    }
}

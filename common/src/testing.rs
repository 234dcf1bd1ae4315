//! An in-memory PSP22 ledger for tests of the contract cores: honest, or
//! failing in each way a real token can.
use crate::{Balance, Psp22Api, TokenError};
use ink::primitives::AccountId;
use std::collections::BTreeMap;

/// The block time every test starts at (14 November 2023, in milliseconds).
pub const START: crate::Timestamp = 1_700_000_000_000;

/// The topic ink! gives an event field of at most 32 encoded bytes: the
/// bytes, zero-padded. (Longer fields are hashed; no test topic is.)
pub fn topic<T: scale::Encode>(value: &T) -> [u8; 32] {
    let encoded = value.encode();
    assert!(
        encoded.len() <= 32,
        "a field over 32 bytes has a hashed topic"
    );
    let mut topic = [0u8; 32];
    topic[..encoded.len()].copy_from_slice(&encoded);
    topic
}

/// How the ledger answers transfers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode)]
pub enum TokenBehaviour {
    Honest,
    /// Answers every transfer with a PSP22 error.
    Rejects,
    /// Every transfer traps.
    Traps,
    /// Answers `Ok` without moving anything.
    Lies,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoryPsp22 {
    /// The contract that calls the token (the `caller` of `transfer`).
    pub caller: AccountId,
    pub balances: BTreeMap<AccountId, Balance>,
    pub behaviour: TokenBehaviour,
}

impl MemoryPsp22 {
    pub fn new(caller: AccountId) -> Self {
        Self {
            caller,
            balances: BTreeMap::new(),
            behaviour: TokenBehaviour::Honest,
        }
    }

    pub fn mint(&mut self, to: AccountId, value: Balance) {
        let balance = self.balances.entry(to).or_default();
        *balance = balance.checked_add(value).expect("test mint overflow");
    }

    pub fn balance(&self, owner: AccountId) -> Balance {
        self.balances.get(&owner).copied().unwrap_or_default()
    }

    fn move_value(
        &mut self,
        from: AccountId,
        to: AccountId,
        value: Balance,
    ) -> Result<(), TokenError> {
        match self.behaviour {
            TokenBehaviour::Honest => {}
            TokenBehaviour::Rejects => return Err(TokenError::Rejected),
            TokenBehaviour::Traps => return Err(TokenError::CallFailed),
            TokenBehaviour::Lies => return Ok(()),
        }
        let from_balance = self
            .balance(from)
            .checked_sub(value)
            .ok_or(TokenError::Rejected)?;
        self.balances.insert(from, from_balance);
        let to_balance = self
            .balance(to)
            .checked_add(value)
            .ok_or(TokenError::Rejected)?;
        self.balances.insert(to, to_balance);
        Ok(())
    }
}

impl Psp22Api for MemoryPsp22 {
    fn balance_of(&self, owner: AccountId) -> Result<Balance, TokenError> {
        Ok(self.balance(owner))
    }

    fn transfer(&mut self, to: AccountId, value: Balance) -> Result<(), TokenError> {
        self.move_value(self.caller, to, value)
    }

    /// Allowances are not modelled: tests approve implicitly.
    fn transfer_from(
        &mut self,
        from: AccountId,
        to: AccountId,
        value: Balance,
    ) -> Result<(), TokenError> {
        self.move_value(from, to, value)
    }
}

/// Who may call a message.
#[derive(Debug, Clone, Copy)]
pub enum Access<'a, C, E> {
    /// Any account, whatever it holds or owns.
    Anyone,
    /// Only these callers; every other one gets this error.
    Only(&'a [C], E),
}

/// One row of an access-control matrix: a message, how to call it on a fresh
/// world as some account, and who may call it.
pub type AccessRow<'a, W, C, E> = (
    &'a str,
    fn(&mut W, AccountId) -> Result<(), E>,
    Access<'a, C, E>,
);

/// Calls every row as every caller, each on a fresh world from `world`, and
/// asserts exactly the allowed callers succeed and all others get the row's error.
pub fn assert_access_matrix<W, C, E>(
    callers: &[C],
    account_of: impl Fn(C) -> AccountId,
    world: impl Fn() -> W,
    matrix: &[AccessRow<'_, W, C, E>],
) where
    C: Copy + PartialEq + core::fmt::Debug,
    E: Copy + PartialEq + core::fmt::Debug,
{
    for (message, attempt, access) in matrix {
        for caller in callers {
            let result = attempt(&mut world(), account_of(*caller));
            match access {
                Access::Only(allowed, refusal) if !allowed.contains(caller) => assert_eq!(
                    result,
                    Err(*refusal),
                    "{message} as {caller:?} must be refused"
                ),
                _ => assert_eq!(result, Ok(()), "{message} as {caller:?} must be allowed"),
            }
        }
    }
}

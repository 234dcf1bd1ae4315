//! A PSP22 token for tests that turns hostile on request. It implements the
//! `psp22` crate's `PSP22` and `PSP22Mintable` traits, so its selectors are the
//! standard ones, and, depending on its mode, behaves honestly, rejects every
//! transfer, traps, reports success without moving anything, calls back into
//! the contract that called it before moving the tokens, burns all the gas it
//! is given, or writes far more storage than a transfer needs. It keeps no
//! allowances: `transfer_from` is honest about balances only, which is all the
//! tests need, and the allowance messages refuse. Never deploy it outside tests.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub use self::hostile_token::{
    HostileToken, HostileTokenRef, Mode, Reentry, HOARD_BYTES, HOARD_ITEMS,
};

#[ink::contract]
mod hostile_token {
    use broker::BrokerRef;
    use ink::{
        codegen::TraitCallBuilder,
        prelude::{string::String, vec, vec::Vec},
        storage::Mapping,
    };
    use psp22::{PSP22Error, PSP22Mintable, PSP22};

    /// How transfers behave.
    #[allow(clippy::cast_possible_truncation)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Mode {
        /// Moves tokens like any PSP22.
        Honest,
        /// Answers every transfer with `PSP22Error::Custom`.
        Rejects,
        /// Panics inside every transfer.
        Traps,
        /// Answers `Ok(())` to every transfer and moves nothing.
        Lies,
        /// Calls `withdraw_coin(value)` on its caller, then moves the tokens.
        Reenters,
        /// Loops until its gas runs out.
        BurnsGas,
        /// Writes `HOARD_ITEMS` values of `HOARD_BYTES` each, then moves the tokens.
        Hoards,
    }

    /// What one hoarding transfer writes: the storage deposit of 16 items
    /// and 128 KiB, far beyond the few bytes a transfer needs.
    pub const HOARD_ITEMS: u32 = 16;
    pub const HOARD_BYTES: usize = 8 * 1024;

    /// What the last re-entry attempt got back. A call back that the chain
    /// refuses (pallet-contracts' `ReentranceDenied`) traps this token instead,
    /// so that transfer, and this record, are reverted with it.
    #[allow(clippy::cast_possible_truncation)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Reentry {
        /// The caller's message ran and failed or reverted.
        Failed,
        /// The caller's message ran and succeeded.
        Succeeded,
    }

    #[ink(storage)]
    pub struct HostileToken {
        balances: Mapping<AccountId, Balance>,
        total_supply: Balance,
        mode: Mode,
        last_reentry: Option<Reentry>,
        hoard: Mapping<u32, Vec<u8>>,
        hoarded: u32,
    }

    impl HostileToken {
        #[ink(constructor)]
        pub fn new(mode: Mode) -> Self {
            Self {
                balances: Mapping::default(),
                total_supply: 0,
                mode,
                last_reentry: None,
                hoard: Mapping::default(),
                hoarded: 0,
            }
        }

        /// Switches behaviour; anyone may, this is a test token.
        #[ink(message)]
        pub fn set_mode(&mut self, mode: Mode) {
            self.mode = mode;
        }

        #[ink(message)]
        pub fn mode(&self) -> Mode {
            self.mode
        }

        #[ink(message)]
        pub fn last_reentry(&self) -> Option<Reentry> {
            self.last_reentry
        }

        fn hostile_transfer(
            &mut self,
            from: AccountId,
            to: AccountId,
            value: Balance,
        ) -> Result<(), PSP22Error> {
            match self.mode {
                Mode::Honest => self.move_tokens(from, to, value),
                Mode::Rejects => Err(PSP22Error::Custom(String::from("rejected"))),
                Mode::Traps => panic!("hostile token traps"),
                Mode::Lies => Ok(()),
                Mode::Reenters => {
                    self.last_reentry = Some(self.call_back(value));
                    self.move_tokens(from, to, value)
                }
                Mode::BurnsGas => loop {
                    // A storage read per round: the loop cannot be optimised away.
                    let _ = self.balances.get(from);
                },
                Mode::Hoards => {
                    for _ in 0..HOARD_ITEMS {
                        self.hoard.insert(self.hoarded, &vec![0xAB; HOARD_BYTES]);
                        self.hoarded = self.hoarded.wrapping_add(1);
                    }
                    self.move_tokens(from, to, value)
                }
            }
        }

        /// Tries to take `value` out of the calling broker mid-transfer.
        fn call_back(&self, value: Balance) -> Reentry {
            let mut broker: BrokerRef =
                ink::env::call::FromAccountId::from_account_id(self.env().caller());
            let answer = broker.call_mut().withdraw_coin(value).try_invoke();
            match answer {
                Ok(Ok(Ok(()))) => Reentry::Succeeded,
                Ok(Ok(Err(_))) | Ok(Err(_)) | Err(_) => Reentry::Failed,
            }
        }

        fn move_tokens(
            &mut self,
            from: AccountId,
            to: AccountId,
            value: Balance,
        ) -> Result<(), PSP22Error> {
            let from_balance = self.balance_of(from);
            let left = from_balance
                .checked_sub(value)
                .ok_or(PSP22Error::InsufficientBalance)?;
            self.balances.insert(from, &left);
            let to_balance = self.balance_of(to);
            let received = to_balance.checked_add(value).ok_or_else(overflow)?;
            self.balances.insert(to, &received);
            Ok(())
        }
    }

    impl PSP22 for HostileToken {
        #[ink(message)]
        fn total_supply(&self) -> u128 {
            self.total_supply
        }

        #[ink(message)]
        fn balance_of(&self, owner: AccountId) -> u128 {
            self.balances.get(owner).unwrap_or_default()
        }

        /// Always zero: this token keeps no allowances.
        #[ink(message)]
        fn allowance(&self, _owner: AccountId, _spender: AccountId) -> u128 {
            0
        }

        #[ink(message)]
        fn transfer(
            &mut self,
            to: AccountId,
            value: u128,
            _data: Vec<u8>,
        ) -> Result<(), PSP22Error> {
            let from = self.env().caller();
            self.hostile_transfer(from, to, value)
        }

        /// Moves from anyone without an allowance: only the balance is checked.
        #[ink(message)]
        fn transfer_from(
            &mut self,
            from: AccountId,
            to: AccountId,
            value: u128,
            _data: Vec<u8>,
        ) -> Result<(), PSP22Error> {
            self.hostile_transfer(from, to, value)
        }

        /// Refuses: this token keeps no allowances.
        #[ink(message)]
        fn approve(&mut self, _spender: AccountId, _value: u128) -> Result<(), PSP22Error> {
            Err(no_allowances())
        }

        /// Refuses: this token keeps no allowances.
        #[ink(message)]
        fn increase_allowance(
            &mut self,
            _spender: AccountId,
            _delta_value: u128,
        ) -> Result<(), PSP22Error> {
            Err(no_allowances())
        }

        /// Refuses: this token keeps no allowances.
        #[ink(message)]
        fn decrease_allowance(
            &mut self,
            _spender: AccountId,
            _delta_value: u128,
        ) -> Result<(), PSP22Error> {
            Err(no_allowances())
        }
    }

    impl PSP22Mintable for HostileToken {
        /// Mints `value` to the caller; anyone may, this is a test token.
        #[ink(message)]
        fn mint(&mut self, value: u128) -> Result<(), PSP22Error> {
            let caller = self.env().caller();
            let new_balance = self
                .balance_of(caller)
                .checked_add(value)
                .ok_or_else(overflow)?;
            let new_supply = self.total_supply.checked_add(value).ok_or_else(overflow)?;
            self.balances.insert(caller, &new_balance);
            self.total_supply = new_supply;
            Ok(())
        }
    }

    fn overflow() -> PSP22Error {
        PSP22Error::Custom(String::from("overflow"))
    }

    fn no_allowances() -> PSP22Error {
        PSP22Error::Custom(String::from("hostile-token keeps no allowances"))
    }
}

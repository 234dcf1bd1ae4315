//! A PSP22 token for tests that turns hostile on request. It answers the PSP22
//! selectors the broker and community use (`balance_of`, `transfer`,
//! `transfer_from`) and, depending on its mode, behaves honestly, rejects every
//! transfer, traps, reports success without moving anything, calls back into
//! the contract that called it before moving the tokens, burns all the gas it
//! is given, or writes far more storage than a transfer needs. There are no
//! allowances: `transfer_from` is honest about balances only, which is all the
//! tests need. Never deploy it outside tests.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub use self::hostile_token::{
    HostileToken, HostileTokenRef, Mode, Reentry, HOARD_BYTES, HOARD_ITEMS,
};

#[ink::contract]
mod hostile_token {
    use ink::{
        env::call::{build_call, ExecutionInput, Selector},
        prelude::{string::String, vec, vec::Vec},
        storage::Mapping,
    };
    use p2pcloud_common::BrokerError;
    use psp22::PSP22Error;

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

        /// Mints `value` to the caller (the PSP22Mintable selector).
        #[ink(message, selector = 0xfc3c75d4)]
        pub fn mint(&mut self, value: Balance) -> Result<(), PSP22Error> {
            let caller = self.env().caller();
            let balance = self.balance_of(caller);
            let new_balance = balance
                .checked_add(value)
                .ok_or(PSP22Error::Custom(String::from("overflow")))?;
            let new_supply = self
                .total_supply
                .checked_add(value)
                .ok_or(PSP22Error::Custom(String::from("overflow")))?;
            self.balances.insert(caller, &new_balance);
            self.total_supply = new_supply;
            Ok(())
        }

        #[ink(message, selector = 0x162df8c2)]
        pub fn total_supply(&self) -> Balance {
            self.total_supply
        }

        #[ink(message, selector = 0x6568382f)]
        pub fn balance_of(&self, owner: AccountId) -> Balance {
            self.balances.get(owner).unwrap_or_default()
        }

        #[ink(message, selector = 0xdb20f9f5)]
        pub fn transfer(
            &mut self,
            to: AccountId,
            value: Balance,
            _data: Vec<u8>,
        ) -> Result<(), PSP22Error> {
            let from = self.env().caller();
            self.hostile_transfer(from, to, value)
        }

        #[ink(message, selector = 0x54b3c76e)]
        pub fn transfer_from(
            &mut self,
            from: AccountId,
            to: AccountId,
            value: Balance,
            _data: Vec<u8>,
        ) -> Result<(), PSP22Error> {
            self.hostile_transfer(from, to, value)
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

        /// Tries to take `value` out of the calling contract mid-transfer.
        fn call_back(&self, value: Balance) -> Reentry {
            let answer = build_call::<Environment>()
                .call(self.env().caller())
                .exec_input(
                    ExecutionInput::new(Selector::new(ink::selector_bytes!("withdraw_coin")))
                        .push_arg(value),
                )
                .returns::<Result<(), BrokerError>>()
                .try_invoke();
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
            let received = to_balance
                .checked_add(value)
                .ok_or(PSP22Error::Custom(String::from("overflow")))?;
            self.balances.insert(to, &received);
            Ok(())
        }
    }
}

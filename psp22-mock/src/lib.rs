//! The stablecoin for development and tests: a PSP22 token (with PSP22Metadata)
//! built on Cardinal-Cryptography's `psp22` crate, so its rules and selectors
//! are the standard ones, plus an open `PSP22Mintable::mint` that anyone may
//! call. Never deploy it as real money.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub use self::psp22_mock::{Psp22Mock, Psp22MockRef};

#[ink::contract]
mod psp22_mock {
    use ink::prelude::{string::String, vec::Vec};
    use psp22::{PSP22Data, PSP22Error, PSP22Event, PSP22Metadata, PSP22Mintable, PSP22};

    #[ink(storage)]
    pub struct Psp22Mock {
        data: PSP22Data,
        name: Option<String>,
        symbol: Option<String>,
        decimals: u8,
    }

    impl Psp22Mock {
        /// Anyone: creates the token with `supply` held by the deployer and the given
        /// metadata. Emits `Transfer` (from `None`) if `supply` is above zero.
        #[ink(constructor)]
        pub fn new(
            supply: u128,
            name: Option<String>,
            symbol: Option<String>,
            decimals: u8,
        ) -> Self {
            let (data, events) = PSP22Data::new(supply, Self::env().caller());
            let token = Self {
                data,
                name,
                symbol,
                decimals,
            };
            token.emit(events);
            token
        }

        fn emit(&self, events: Vec<PSP22Event>) {
            for event in events {
                match event {
                    PSP22Event::Transfer(e) => self.env().emit_event(e),
                    PSP22Event::Approval(e) => self.env().emit_event(e),
                }
            }
        }
    }

    impl PSP22 for Psp22Mock {
        /// Query: all the tokens in existence.
        #[ink(message)]
        fn total_supply(&self) -> u128 {
            self.data.total_supply()
        }

        /// Query: `owner`'s balance (0 for an account that never held any).
        #[ink(message)]
        fn balance_of(&self, owner: AccountId) -> u128 {
            self.data.balance_of(owner)
        }

        /// Query: what `spender` may still transfer from `owner` (0 if none approved).
        #[ink(message)]
        fn allowance(&self, owner: AccountId, spender: AccountId) -> u128 {
            self.data.allowance(owner, spender)
        }

        /// Anyone: sends `value` from the caller to `to` (`_data` is ignored). Emits
        /// `Transfer`; a transfer to oneself or of zero does nothing. Errors:
        /// `InsufficientBalance`.
        #[ink(message)]
        fn transfer(
            &mut self,
            to: AccountId,
            value: u128,
            _data: Vec<u8>,
        ) -> Result<(), PSP22Error> {
            let events = self.data.transfer(self.env().caller(), to, value)?;
            self.emit(events);
            Ok(())
        }

        /// Anyone: sends `value` from `from` to `to` out of the allowance `from` gave the
        /// caller (none needed if the caller is `from`). Emits `Approval` (the allowance
        /// left, if the caller is not `from`) and `Transfer`; from `from` to itself or of
        /// zero it does nothing. Errors: `InsufficientAllowance`, `InsufficientBalance`.
        #[ink(message)]
        fn transfer_from(
            &mut self,
            from: AccountId,
            to: AccountId,
            value: u128,
            _data: Vec<u8>,
        ) -> Result<(), PSP22Error> {
            let events = self
                .data
                .transfer_from(self.env().caller(), from, to, value)?;
            self.emit(events);
            Ok(())
        }

        /// Anyone: lets `spender` transfer up to `value` of the caller's tokens,
        /// replacing the previous allowance. Emits `Approval`; approving oneself does
        /// nothing. Never fails.
        #[ink(message)]
        fn approve(&mut self, spender: AccountId, value: u128) -> Result<(), PSP22Error> {
            let events = self.data.approve(self.env().caller(), spender, value)?;
            self.emit(events);
            Ok(())
        }

        /// Anyone: raises the allowance the caller gave `spender` by `delta_value`
        /// (capped at `u128::MAX`). Emits `Approval` with the new allowance; for oneself
        /// or a zero `delta_value` it does nothing. Never fails.
        #[ink(message)]
        fn increase_allowance(
            &mut self,
            spender: AccountId,
            delta_value: u128,
        ) -> Result<(), PSP22Error> {
            let events = self
                .data
                .increase_allowance(self.env().caller(), spender, delta_value)?;
            self.emit(events);
            Ok(())
        }

        /// Anyone: lowers the allowance the caller gave `spender` by `delta_value`. Emits
        /// `Approval` with the new allowance; for oneself or a zero `delta_value` it does
        /// nothing. Errors: `InsufficientAllowance` (`delta_value` above the allowance).
        #[ink(message)]
        fn decrease_allowance(
            &mut self,
            spender: AccountId,
            delta_value: u128,
        ) -> Result<(), PSP22Error> {
            let events = self
                .data
                .decrease_allowance(self.env().caller(), spender, delta_value)?;
            self.emit(events);
            Ok(())
        }
    }

    impl PSP22Metadata for Psp22Mock {
        /// Query: the token's name, as given at instantiation.
        #[ink(message)]
        fn token_name(&self) -> Option<String> {
            self.name.clone()
        }

        /// Query: the token's symbol, as given at instantiation.
        #[ink(message)]
        fn token_symbol(&self) -> Option<String> {
            self.symbol.clone()
        }

        /// Query: the token's decimals, as given at instantiation.
        #[ink(message)]
        fn token_decimals(&self) -> u8 {
            self.decimals
        }
    }

    impl PSP22Mintable for Psp22Mock {
        /// Mints `value` to the caller. Open to anyone: this is a test token. Emits
        /// `Transfer` (from `None`); minting zero does nothing. Errors: `Custom` (the
        /// total supply would pass `u128::MAX`).
        #[ink(message)]
        fn mint(&mut self, value: u128) -> Result<(), PSP22Error> {
            let events = self.data.mint(self.env().caller(), value)?;
            self.emit(events);
            Ok(())
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use ink::env::{test, DefaultEnvironment};

        // The PSP22 conformance suite shipped with the `psp22` crate.
        psp22::tests!(Psp22Mock, (|supply| Psp22Mock::new(supply, None, None, 6)));

        #[ink::test]
        fn metadata_is_what_the_constructor_was_given() {
            let token = Psp22Mock::new(0, Some("Mock USD".into()), Some("mUSD".into()), 6);
            assert_eq!(token.token_name(), Some(String::from("Mock USD")));
            assert_eq!(token.token_symbol(), Some(String::from("mUSD")));
            assert_eq!(token.token_decimals(), 6);
        }

        #[ink::test]
        fn mint_credits_the_caller_and_the_supply() {
            let accounts = test::default_accounts::<DefaultEnvironment>();
            let mut token = Psp22Mock::new(10, None, None, 6);
            test::set_caller::<DefaultEnvironment>(accounts.bob);
            token.mint(25).expect("mint");
            assert_eq!(token.balance_of(accounts.bob), 25);
            assert_eq!(token.total_supply(), 35);
        }

        #[ink::test]
        fn mint_that_would_overflow_the_supply_is_refused() {
            let mut token = Psp22Mock::new(u128::MAX, None, None, 6);
            assert!(token.mint(1).is_err());
            assert_eq!(token.total_supply(), u128::MAX);
        }

        /// The selectors every standard PSP22 client uses.
        #[test]
        fn selectors_are_the_standard_ones() {
            assert_eq!(
                ink::selector_bytes!("PSP22::transfer"),
                [0xdb, 0x20, 0xf9, 0xf5]
            );
            assert_eq!(
                ink::selector_bytes!("PSP22::transfer_from"),
                [0x54, 0xb3, 0xc7, 0x6e]
            );
            assert_eq!(
                ink::selector_bytes!("PSP22::approve"),
                [0xb2, 0x0f, 0x1b, 0xbd]
            );
            assert_eq!(
                ink::selector_bytes!("PSP22::balance_of"),
                [0x65, 0x68, 0x38, 0x2f]
            );
        }
    }
}

//! Accounts as people write them: SS58 addresses, or 0x-prefixed hex.
use super::hex::{hex_bytes, Hex32, HexError};
use ink::primitives::AccountId;
use std::{fmt, str::FromStr};

/// An account, written as its SS58 address (generic prefix 42, as wallets
/// show it) and read from any SS58 prefix or from 0x-prefixed hex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Address(pub AccountId);

/// A text that names no account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressError {
    /// It starts with 0x but is not 32 bytes of hex.
    Hex(HexError),
    NeitherAddressNorHex(String),
}

impl fmt::Display for AddressError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Hex(error) => error.fmt(f),
            Self::NeitherAddressNorHex(text) => {
                write!(f, "{text} is neither an SS58 address nor 0x-prefixed hex")
            }
        }
    }
}

impl std::error::Error for AddressError {}

impl FromStr for Address {
    type Err = AddressError;

    fn from_str(text: &str) -> Result<Self, AddressError> {
        if text.starts_with("0x") {
            return text
                .parse::<Hex32>()
                .map(|hex| Self(hex.0.into()))
                .map_err(AddressError::Hex);
        }
        let account: subxt::utils::AccountId32 = text
            .parse()
            .map_err(|_| AddressError::NeitherAddressNorHex(text.to_string()))?;
        Ok(Self(account.0.into()))
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bytes: [u8; 32] = *self.0.as_ref();
        write!(f, "{}", subxt::utils::AccountId32::from(bytes))
    }
}

impl From<AccountId> for Address {
    fn from(account: AccountId) -> Self {
        Self(account)
    }
}

impl From<Address> for AccountId {
    fn from(address: Address) -> Self {
        address.0
    }
}

impl Address {
    /// The account's raw bytes as 0x-prefixed hex, as databases key it.
    pub fn hex(&self) -> String {
        hex_bytes(self.0.as_ref())
    }
}

/// `account`'s SS58 address: what every printed line shows.
pub fn ss58(account: &AccountId) -> String {
    Address(*account).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_reads_back_from_its_address_and_from_its_hex() {
        let alice = Address(AccountId::from([7; 32]));
        assert_eq!(alice.to_string().parse(), Ok(alice));
        assert_eq!(alice.hex().parse(), Ok(alice));
    }

    #[test]
    fn a_text_that_names_no_account_is_refused_with_a_sentence() {
        assert_eq!(
            "0x12".parse::<Address>().unwrap_err().to_string(),
            "0x12 is not 32 bytes of hex"
        );
        for bad in ["alice", "5Grw"] {
            assert_eq!(
                bad.parse::<Address>().unwrap_err().to_string(),
                format!("{bad} is neither an SS58 address nor 0x-prefixed hex")
            );
        }
    }
}

//! 32 bytes (a code hash or an account) as 0x-prefixed hex.
use std::{fmt, str::FromStr};

/// 32 bytes written as 0x-prefixed hex: a code hash, a content hash or an
/// account's raw bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hex32(pub [u8; 32]);

/// Why a text is not 32 bytes of hex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HexError {
    NoPrefix(String),
    NotHex(String),
    NotThirtyTwoBytes(String),
}

impl fmt::Display for HexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoPrefix(text) => write!(f, "{text} is not 0x-prefixed hex"),
            Self::NotHex(text) => write!(f, "{text} is not hex"),
            Self::NotThirtyTwoBytes(text) => write!(f, "{text} is not 32 bytes of hex"),
        }
    }
}

impl std::error::Error for HexError {}

impl FromStr for Hex32 {
    type Err = HexError;

    fn from_str(text: &str) -> Result<Self, HexError> {
        let digits = text
            .strip_prefix("0x")
            .ok_or_else(|| HexError::NoPrefix(text.to_string()))?;
        let bytes = (0..digits.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(digits.get(i..i + 2).unwrap_or("x"), 16))
            .collect::<Result<Vec<u8>, _>>()
            .map_err(|_| HexError::NotHex(text.to_string()))?;
        bytes
            .try_into()
            .map(Self)
            .map_err(|_| HexError::NotThirtyTwoBytes(text.to_string()))
    }
}

impl fmt::Display for Hex32 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex_bytes(&self.0))
    }
}

impl From<Hex32> for ink::primitives::Hash {
    fn from(hex: Hex32) -> Self {
        hex.0.into()
    }
}

impl From<ink::primitives::Hash> for Hex32 {
    fn from(hash: ink::primitives::Hash) -> Self {
        Self(hash.into())
    }
}

/// Any bytes as 0x-prefixed hex.
pub fn hex_bytes(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::from("0x"), |hex, byte| hex + &format!("{byte:02x}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_two_bytes_read_back_as_written() {
        let hex = Hex32([0xab; 32]);
        assert_eq!(hex.to_string().parse(), Ok(hex));
    }

    #[test]
    fn malformed_hex_is_refused_with_a_sentence() {
        let refused = |text: &str| text.parse::<Hex32>().unwrap_err().to_string();
        assert_eq!(refused("ab"), "ab is not 0x-prefixed hex");
        assert_eq!(refused("0xzz"), "0xzz is not hex");
        assert_eq!(refused("0xabcd"), "0xabcd is not 32 bytes of hex");
    }
}

//! Amounts of a token: as people write them (whole tokens, with decimals)
//! and as the contracts count them (the token's smallest units).
use std::{fmt, str::FromStr};

/// An amount as written, in whole tokens ("12", "12.5", ".000001"): a
/// decimal number, not yet tied to a token's decimals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amount {
    whole: u128,
    /// The digits after the point, as written (trailing zeros kept).
    fraction: String,
}

/// An amount that a token cannot hold, or a text that is no amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountError {
    NotAnAmount(String),
    TooManyDecimals { amount: Amount, decimals: u8 },
    TooLarge(Amount),
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAnAmount(text) => {
                write!(f, "{text:?} is not an amount (write it like 12 or 12.5)")
            }
            Self::TooManyDecimals { amount, decimals } => {
                write!(f, "{amount} has more than the token's {decimals} decimals")
            }
            Self::TooLarge(amount) => write!(f, "{amount} is too large"),
        }
    }
}

impl std::error::Error for AmountError {}

impl FromStr for Amount {
    type Err = AmountError;

    fn from_str(text: &str) -> Result<Self, AmountError> {
        let bad = || AmountError::NotAnAmount(text.to_string());
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        if whole.is_empty() && fraction.is_empty()
            || !whole
                .chars()
                .chain(fraction.chars())
                .all(|c| c.is_ascii_digit())
        {
            return Err(bad());
        }
        let whole = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| bad())?
        };
        Ok(Self {
            whole,
            fraction: fraction.to_string(),
        })
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.fraction.as_str() {
            "" => write!(f, "{}", self.whole),
            fraction => write!(f, "{}.{fraction}", self.whole),
        }
    }
}

impl Amount {
    /// This amount in the smallest units of a token with `decimals`
    /// decimals.
    pub fn in_units(&self, decimals: u8) -> Result<u128, AmountError> {
        if self.fraction.len() > usize::from(decimals) {
            return Err(AmountError::TooManyDecimals {
                amount: self.clone(),
                decimals,
            });
        }
        let too_large = || AmountError::TooLarge(self.clone());
        let scale = 10u128
            .checked_pow(u32::from(decimals))
            .ok_or_else(too_large)?;
        let padded = format!("{:0<width$}", self.fraction, width = usize::from(decimals));
        let fraction: u128 = if padded.is_empty() {
            0
        } else {
            padded.parse().map_err(|_| too_large())?
        };
        self.whole
            .checked_mul(scale)
            .and_then(|units| units.checked_add(fraction))
            .ok_or_else(too_large)
    }
}

/// `units` of a token with `decimals` decimals, written in whole tokens
/// without trailing zeros.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenAmount {
    pub units: u128,
    pub decimals: u8,
}

impl TokenAmount {
    pub fn new(units: u128, decimals: u8) -> Self {
        Self { units, decimals }
    }
}

impl fmt::Display for TokenAmount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scale = 10u128.saturating_pow(u32::from(self.decimals));
        let (whole, fraction) = (self.units / scale, self.units % scale);
        if fraction == 0 {
            return write!(f, "{whole}");
        }
        let digits = format!("{fraction:0width$}", width = usize::from(self.decimals));
        write!(f, "{whole}.{}", digits.trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(text: &str, decimals: u8) -> Result<u128, AmountError> {
        text.parse::<Amount>()?.in_units(decimals)
    }

    #[test]
    fn amounts_read_and_print_in_the_tokens_units() {
        assert_eq!(units("12", 6), Ok(12_000_000));
        assert_eq!(units("12.5", 6), Ok(12_500_000));
        assert_eq!(units("0.000001", 6), Ok(1));
        assert_eq!(units(".5", 6), Ok(500_000));
        assert_eq!(units("7", 0), Ok(7));
        assert_eq!(TokenAmount::new(12_500_000, 6).to_string(), "12.5");
        assert_eq!(TokenAmount::new(1, 6).to_string(), "0.000001");
        assert_eq!(TokenAmount::new(12_000_000, 6).to_string(), "12");
    }

    #[test]
    fn malformed_amounts_are_refused_with_a_reason() {
        for bad in ["", ".", "1.2.3", "-1", "1e6", "12,5", " 1"] {
            assert_eq!(
                units(bad, 6).unwrap_err().to_string(),
                format!("{bad:?} is not an amount (write it like 12 or 12.5)")
            );
        }
        assert_eq!(
            units("0.0000001", 6).unwrap_err().to_string(),
            "0.0000001 has more than the token's 6 decimals"
        );
        assert_eq!(
            units("340282366920938463463374607431768211455", 6)
                .unwrap_err()
                .to_string(),
            "340282366920938463463374607431768211455 is too large"
        );
    }
}

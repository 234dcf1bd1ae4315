//! Durations as people write them ("90s", "15m", "2h", "7d").
use std::{fmt, str::FromStr};

/// A span of time in milliseconds, the unit of block timestamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Duration(pub u64);

/// A text that is no duration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DurationError {
    NotADuration(String),
    NotAUnit(String),
    TooLong(String),
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotADuration(text) => write!(
                f,
                "{text:?} is not a duration (write it like 90s, 15m, 2h or 7d)"
            ),
            Self::NotAUnit(unit) => {
                write!(f, "{unit:?} is not a unit of time (ms, s, m, h, d)")
            }
            Self::TooLong(text) => write!(f, "{text} is too long"),
        }
    }
}

impl std::error::Error for DurationError {}

impl Duration {
    pub fn ms(self) -> u64 {
        self.0
    }
}

/// "90s", "15m", "2h", "7d", "500ms" or a bare number of seconds.
impl FromStr for Duration {
    type Err = DurationError;

    fn from_str(text: &str) -> Result<Self, DurationError> {
        let split = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        let (number, unit) = text.split_at(split);
        let number: u64 = number
            .parse()
            .map_err(|_| DurationError::NotADuration(text.to_string()))?;
        let unit_ms: u64 = match unit {
            "ms" => 1,
            "" | "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            other => return Err(DurationError::NotAUnit(other.to_string())),
        };
        number
            .checked_mul(unit_ms)
            .map(Self)
            .ok_or_else(|| DurationError::TooLong(text.to_string()))
    }
}

/// As people say it: "1d 2h 3m 4s", "0s" (whole seconds).
impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut seconds = self.0 / 1_000;
        let mut parts = Vec::new();
        for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60)] {
            if seconds >= size {
                parts.push(format!("{}{unit}", seconds / size));
                seconds %= size;
            }
        }
        if seconds > 0 || parts.is_empty() {
            parts.push(format!("{seconds}s"));
        }
        f.write_str(&parts.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_and_print_as_people_write_them() {
        let ms = |text: &str| text.parse::<Duration>().map(Duration::ms);
        assert_eq!(ms("90s"), Ok(90_000));
        assert_eq!(ms("90"), Ok(90_000));
        assert_eq!(ms("7d"), Ok(604_800_000));
        assert_eq!(ms("500ms"), Ok(500));
        assert_eq!(
            ms("7w").unwrap_err().to_string(),
            "\"w\" is not a unit of time (ms, s, m, h, d)"
        );
        assert_eq!(
            ms("d").unwrap_err().to_string(),
            "\"d\" is not a duration (write it like 90s, 15m, 2h or 7d)"
        );
        assert_eq!(Duration(93_784_000).to_string(), "1d 2h 3m 4s");
        assert_eq!(Duration(0).to_string(), "0s");
        assert_eq!(Duration(3_600_000).to_string(), "1h");
    }
}

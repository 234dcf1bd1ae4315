//! Stop reasons as people and URLs write them, for the off-chain crates (the
//! contracts never spell them).
use crate::StopReason;
use std::{fmt, str::FromStr};

impl StopReason {
    pub const ALL: [Self; 5] = [
        Self::Ok,
        Self::MinerMisbehaviour,
        Self::MinerTerminated,
        Self::NonPayment,
        Self::CommunityTerminated,
    ];

    fn name(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::MinerMisbehaviour => "misbehaviour",
            Self::MinerTerminated => "terminated",
            Self::NonPayment => "non-payment",
            Self::CommunityTerminated => "community",
        }
    }
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A text that names no stop reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StopReasonError(pub String);

impl fmt::Display for StopReasonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a reason: ok, misbehaviour, terminated, non-payment or community",
            self.0
        )
    }
}

impl std::error::Error for StopReasonError {}

impl FromStr for StopReason {
    type Err = StopReasonError;

    fn from_str(text: &str) -> Result<Self, StopReasonError> {
        Self::ALL
            .into_iter()
            .find(|reason| reason.name() == text)
            .ok_or_else(|| StopReasonError(text.to_string()))
    }
}

impl TryFrom<u8> for StopReason {
    type Error = u8;

    /// The reason whose discriminant is `code` (how databases keep it).
    fn try_from(code: u8) -> Result<Self, u8> {
        Self::ALL
            .into_iter()
            .find(|reason| *reason as u8 == code)
            .ok_or(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_reads_back_from_its_name_and_its_code() {
        for reason in StopReason::ALL {
            assert_eq!(reason.to_string().parse(), Ok(reason));
            assert_eq!(StopReason::try_from(reason as u8), Ok(reason));
        }
        assert_eq!(StopReason::try_from(5), Err(5));
        assert_eq!(
            "done".parse::<StopReason>().unwrap_err().to_string(),
            "\"done\" is not a reason: ok, misbehaviour, terminated, non-payment or community"
        );
    }
}

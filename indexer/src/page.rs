//! Paging through stored events: how many a page holds, and where a page
//! ends so that the next one begins after it.
use crate::whole_number::{self, NotAWholeNumber};
use p2pcloud_client::{domain::Position, history::Record};
use std::{fmt, str::FromStr};

/// The most events one page holds: the indexer's own bound (the contracts'
/// is `p2pcloud_common::MAX_PAGE_LIMIT`).
pub const MAX_PAGE: u32 = 1_000;

/// How many events a page holds: 1 to [`MAX_PAGE`], 100 unless asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PageLimit(u32);

impl PageLimit {
    pub const MAX: Self = Self(MAX_PAGE);

    pub fn get(self) -> u32 {
        self.0
    }
}

impl Default for PageLimit {
    fn default() -> Self {
        Self(100)
    }
}

/// A page size that is not one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageLimitError {
    NotAWholeNumber(NotAWholeNumber),
    OutOfRange(u32),
}

impl fmt::Display for PageLimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAWholeNumber(error) => error.fmt(f),
            Self::OutOfRange(limit) => write!(f, "limit {limit} is not from 1 to {MAX_PAGE}"),
        }
    }
}

impl std::error::Error for PageLimitError {}

impl TryFrom<u32> for PageLimit {
    type Error = PageLimitError;

    fn try_from(limit: u32) -> Result<Self, PageLimitError> {
        if (1..=MAX_PAGE).contains(&limit) {
            Ok(Self(limit))
        } else {
            Err(PageLimitError::OutOfRange(limit))
        }
    }
}

impl FromStr for PageLimit {
    type Err = PageLimitError;

    fn from_str(text: &str) -> Result<Self, PageLimitError> {
        whole_number::parse::<u32>("limit", text)
            .map_err(PageLimitError::NotAWholeNumber)?
            .try_into()
    }
}

impl fmt::Display for PageLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Where a page ends, written `BLOCK:EVENT`: the next page is what comes
/// after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cursor {
    pub block: u64,
    pub event: u32,
}

impl From<Position> for Cursor {
    fn from(position: Position) -> Self {
        Self {
            block: position.block_number,
            event: position.event_index,
        }
    }
}

/// A text that is no `BLOCK:EVENT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CursorError(pub String);

impl fmt::Display for CursorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a position: write it as BLOCK:EVENT, like 120:4",
            self.0
        )
    }
}

impl std::error::Error for CursorError {}

impl FromStr for Cursor {
    type Err = CursorError;

    fn from_str(text: &str) -> Result<Self, CursorError> {
        let bad = || CursorError(text.to_string());
        let (block, event) = text.split_once(':').ok_or_else(bad)?;
        Ok(Self {
            block: block.parse().map_err(|_| bad())?,
            event: event.parse().map_err(|_| bad())?,
        })
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.block, self.event)
    }
}

/// One page of a query, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub records: Vec<Record>,
    /// Where to continue, if the page is full.
    pub next: Option<Cursor>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_and_limits_read_back_as_written_and_others_are_refused() {
        let cursor = Cursor {
            block: 120,
            event: 4,
        };
        assert_eq!(cursor.to_string(), "120:4");
        assert_eq!("120:4".parse(), Ok(cursor));
        for bad in ["12", "12:", ":4", "a:4", "12:4:1"] {
            assert_eq!(
                bad.parse::<Cursor>().unwrap_err().to_string(),
                format!("{bad:?} is not a position: write it as BLOCK:EVENT, like 120:4")
            );
        }
        assert_eq!("1000".parse(), Ok(PageLimit::MAX));
        assert_eq!(PageLimit::default().to_string(), "100");
        let refused = |text: &str| text.parse::<PageLimit>().unwrap_err().to_string();
        assert_eq!(refused("0"), "limit 0 is not from 1 to 1000");
        assert_eq!(refused("1001"), "limit 1001 is not from 1 to 1000");
        assert_eq!(refused("-1"), "limit \"-1\" is not a whole number");
    }
}

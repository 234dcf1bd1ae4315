//! Whole-number query parameters, read so that a word where a number goes is
//! refused with a sentence that names the parameter (`from_block
//! "yesterday" is not a whole number`). serde does not tell a field's reader
//! the field's name, so each parameter has a reader of its own, for
//! `#[serde(default, deserialize_with = "whole_number::from_block")]`.
use serde::{de::Error, Deserialize, Deserializer};
use std::{fmt, str::FromStr};

/// A parameter's text that is not a whole number, or one too large for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAWholeNumber {
    pub parameter: &'static str,
    pub text: String,
}

impl fmt::Display for NotAWholeNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {:?} is not a whole number",
            self.parameter, self.text
        )
    }
}

impl std::error::Error for NotAWholeNumber {}

/// `text` as the whole number `parameter` takes.
pub(crate) fn parse<T: FromStr>(parameter: &'static str, text: &str) -> Result<T, NotAWholeNumber> {
    text.parse().map_err(|_| NotAWholeNumber {
        parameter,
        text: text.to_string(),
    })
}

fn read<'de, T: FromStr, D: Deserializer<'de>>(
    parameter: &'static str,
    value: D,
) -> Result<Option<T>, D::Error> {
    Option::<String>::deserialize(value)?
        .map(|text| parse(parameter, &text).map_err(D::Error::custom))
        .transpose()
}

macro_rules! readers {
    ($($parameter:ident),* $(,)?) => {$(
        #[doc = concat!("Reads the `", stringify!($parameter), "` parameter.")]
        pub(crate) fn $parameter<'de, T: FromStr, D: Deserializer<'de>>(
            value: D,
        ) -> Result<Option<T>, D::Error> {
            read(stringify!($parameter), value)
        }
    )*};
}

readers!(
    from_block,
    to_block,
    min_cpu,
    min_ram_gb,
    min_disk_gb,
    min_network_mbps,
    max_price,
);

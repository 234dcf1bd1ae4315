//! What the SDK tests share: the market they start from, and a chain where
//! another transaction lands before each of theirs.
pub mod market;
pub mod raced;

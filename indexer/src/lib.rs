//! The read side of p2pcloud: what miners did, from the broker's own events.
//!
//! [`follow`] reads a node's finalized blocks (so no reorg ever needs undoing)
//! and hands each block's broker events to [`store::Store`], which keeps them
//! with block number, block time and extrinsic index in SQLite (one file, the
//! default) or PostgreSQL (given a URL), through sqlx. A block's events and the
//! "indexed up to here" mark are written in one transaction, so a restart
//! resumes at the next block and never stores an event twice or skips one.
//! [`reputation`] turns a miner's history into one score whose formula is
//! stated there. [`search`] finds offers by what the VM is, from a catalogue
//! of VM types, ordered by price or reputation. [`api`] holds the typed
//! queries and answers, for the CLI and for [`http`], the JSON API behind
//! `p2pcloud serve`; [`page`] the page size and the cursor that pages them.
//! [`console`] serves the web console's built assets beside the API.
pub mod api;
mod as_text;
pub mod console;
pub mod follow;
pub mod http;
pub mod page;
pub mod record;
pub mod reputation;
pub mod search;
pub mod store;
pub mod whole_number;

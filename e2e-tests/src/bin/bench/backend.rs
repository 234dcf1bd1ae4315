//! What the bench needs of a chain beyond `Chain`, on each backend: users
//! for the market who can pay their fees, how long a booking runs before it
//! is claimed, and, on the embedded chain only, where a call's cost went.
use e2e_tests::protocol::Failure;
use p2pcloud_client::{
    chain::{account_of, Chain, Keypair},
    embedded::{CallShares, EmbeddedChain},
    node::NodeChain,
};
use std::str::FromStr;
use subxt_signer::SecretUri;

/// How long Charlie's and Dave's bookings run before Bob claims, and how
/// long after the claim they stop. Only whether time accrued changes what a
/// claim or a stop costs (the settlement is arithmetic, whatever the length).
pub struct Clock {
    pub usage_ms: u64,
    /// The usage as the claim's row names it.
    pub usage: &'static str,
    pub until_stop_ms: u64,
}

pub trait BenchChain: Chain {
    /// Where the cost of a call went, where the chain can tell.
    type Shares;
    const CLOCK: Clock;

    /// The `i`th user of the populated market, with native balance for its
    /// fees and storage deposits.
    fn market_user(&mut self, i: u32) -> Result<Keypair, Failure>;

    /// Where the cost of the call that ran last went.
    fn last_shares(&mut self) -> Self::Shares;
}

impl BenchChain for EmbeddedChain {
    type Shares = CallShares;
    const CLOCK: Clock = Clock {
        usage_ms: 3_600_000,
        usage: "an hour",
        until_stop_ms: 60_000,
    };

    /// A fresh account, endowed like a dev account.
    fn market_user(&mut self, i: u32) -> Result<Keypair, Failure> {
        let user = Keypair::from_uri(&SecretUri::from_str(&format!("//bench-user-{i}"))?)?;
        self.endow(account_of(&user))?;
        Ok(user)
    }

    fn last_shares(&mut self) -> CallShares {
        self.last_call_shares()
    }
}

/// The accounts a `--dev` node funds at genesis besides the cast (Alice to
/// Ferdie): their `//stash` accounts.
const DEV_STASHES: [&str; 6] = ["Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie"];

impl BenchChain for NodeChain {
    /// A node reports a call's weight, not what it was spent on.
    type Shares = ();
    /// Time passes in real time on a node (`NodeChain::pass_time` sleeps,
    /// then seals a block, as the e2e node scenarios do): seconds, not an
    /// hour. The dry runs see the sealed block's time, so the claim and the
    /// stops take the paying path, as on the embedded chain.
    const CLOCK: Clock = Clock {
        usage_ms: 3_000,
        usage: "3 s",
        until_stop_ms: 2_000,
    };

    /// The client signs no native transfers, so the market's users are the
    /// six stash accounts the dev node funds, in turn: on a market of 10,
    /// four of them hold two bookings. Every measured message acts on the
    /// cast's own records, which this leaves as on the embedded chain.
    fn market_user(&mut self, i: u32) -> Result<Keypair, Failure> {
        let name = DEV_STASHES[i as usize % DEV_STASHES.len()];
        Ok(Keypair::from_uri(&SecretUri::from_str(&format!(
            "//{name}//stash"
        ))?)?)
    }

    fn last_shares(&mut self) -> Self::Shares {}
}

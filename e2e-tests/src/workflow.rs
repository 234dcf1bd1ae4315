//! The booking workflow between a miner, two users and the community, written
//! once for every backend: the e2e tests run it on the embedded chain and on
//! substrate-contracts-node, and the demo runs it and prints what happened.
//! Every step checks its result against the PSP22 token itself, not only the
//! broker's view.
//!
//! The steps live by concern: the market opening (`opening`), bookings from
//! booking to withdrawal (`bookings`), the chain's history read back
//! (`history`), the community's fees (`fees`) and its votes (`governance`).
mod bookings;
mod fees;
mod governance;
mod history;
mod opening;

use crate::names::Names;
use crate::protocol::{Failure, OrFail, Protocol};
use bookings::say_stops;
use broker::types::WEEK_SECONDS;
use community::types::VotingRules;
use ink::{codegen::ContractCallBuilder, primitives::AccountId};
use p2pcloud_client::{
    bundles,
    chain::{account_of, contract_calls, dev, Chain, Keypair},
    domain::Address,
};
use psp22::{PSP22Mintable, PSP22};
use psp22_mock::{Psp22Mock, Psp22MockRef};

pub use governance::{pass_proposal, pass_vote, propose_and_vote, propose_fee_change};

/// The price of the offered VM, in the token's smallest unit per second.
pub const PRICE_PER_SECOND: u128 = 1_000;
/// Enough for a week of one booking, plus some.
pub const DEPOSIT: u128 = PRICE_PER_SECOND * WEEK_SECONDS + 1_000_000;
/// Short enough to wait for on a node in real time.
pub const VOTING_PERIOD_MS: u64 = 4_000;
const EXECUTION_PERIOD_MS: u64 = 600_000;

/// Who plays which part: dev accounts, funded on every backend.
#[derive(Clone)]
pub struct Cast {
    /// Community member with weight 3, deploys everything.
    pub alice: Keypair,
    /// The miner.
    pub bob: Keypair,
    /// A user who stops normally.
    pub charlie: Keypair,
    /// A user who reports the miner.
    pub dave: Keypair,
    /// Community member with weight 1.
    pub eve: Keypair,
    /// Belongs to nothing.
    pub ferdie: Keypair,
}

impl Default for Cast {
    fn default() -> Self {
        Self {
            alice: dev::alice(),
            bob: dev::bob(),
            charlie: dev::charlie(),
            dave: dev::dave(),
            eve: dev::eve(),
            ferdie: dev::ferdie(),
        }
    }
}

pub fn voting_rules() -> VotingRules {
    VotingRules {
        quorum_bps: 5_000,
        voting_period: VOTING_PERIOD_MS,
        execution_period: EXECUTION_PERIOD_MS,
    }
}

pub type MockUsdCalls = <Psp22Mock as ContractCallBuilder>::Type;

/// Deploys the stablecoin, then the community (Alice weight 3, Eve weight 1)
/// and has it create the broker.
pub async fn deploy_with_mock_usd<C: Chain>(
    chain: &mut C,
    cast: &Cast,
) -> Result<(AccountId, MockUsdCalls, Protocol), Failure> {
    let mut token_ctor = Psp22MockRef::new(0, Some("Mock USD".into()), Some("mUSD".into()), 6);
    let token_id = chain
        .instantiate("psp22-mock", &cast.alice, &mut token_ctor)
        .await?
        .value;
    let token = contract_calls::<Psp22Mock>(token_id);
    let members = vec![(&cast.alice, 3), (&cast.eve, 1)];
    let protocol = Protocol::deploy(chain, &cast.alice, members, voting_rules(), token_id).await?;
    Ok((token_id, token, protocol))
}

/// Mints `amount` of mock USD to `user`, approves the broker and deposits it.
pub async fn fund<C: Chain>(
    chain: &mut C,
    token: &mut MockUsdCalls,
    protocol: &mut Protocol,
    user: &Keypair,
    amount: u128,
) -> Result<(), Failure> {
    chain
        .call(user, &token.mint(amount))
        .await?
        .value
        .or_fail("mint")?;
    chain
        .call(user, &token.approve(protocol.broker_id, amount))
        .await?
        .value
        .or_fail("approve")?;
    chain
        .call(user, &protocol.broker.deposit_coin(amount))
        .await?
        .value
        .or_fail("deposit")
}

/// What every step of the workflow acts on: the chain, who plays on it and
/// the contracts deployed there.
struct Stage<'a, C> {
    chain: &'a mut C,
    cast: Cast,
    token: MockUsdCalls,
    protocol: Protocol,
}

/// Runs the whole workflow; `usage_ms` is how long the VMs run before the
/// miner claims. `print` receives one line per step.
pub async fn booking_workflow<C: Chain>(
    chain: &mut C,
    usage_ms: u64,
    print: &mut impl FnMut(String),
) -> Result<(), Failure> {
    let cast = Cast::default();
    let (token_id, token, protocol) = deploy_with_mock_usd(chain, &cast).await?;
    let names = names(&cast, token_id, &protocol);
    let mut say = |line: String| print(names.apply(&line));
    say_deployed(&mut say, chain.backend(), token_id, &protocol);
    let mut stage = Stage {
        chain,
        cast,
        token,
        protocol,
    };
    stage.users_deposit(&mut say).await?;
    let offer = stage.bob_offers(&mut say).await?;
    stage.refuse_wrong_calls(offer, &mut say).await?;
    let bookings = stage.charlie_and_dave_book(offer, &mut say).await?;
    let claimed = stage.bob_claims(&bookings, usage_ms, &mut say).await?;
    let stopped = stage.charlie_stops(bookings.charlie).await?;
    let (report, reported) = stage.dave_reports_bob(bookings.dave).await?;
    // The metadata `scripts/build.sh` left names the events.
    let metadata = bundles::metadata(&bundles::build_sh_folder());
    say_stops(&metadata, &stopped, &reported, &mut say);
    let charlies_events = [claimed, stopped].concat();
    stage
        .read_back_history(&report, &charlies_events, &mut say)
        .await?;
    stage.everyone_withdraws(&mut say).await?;
    stage.community_shares_fees(&mut say).await?;
    stage.vote_lowers_the_fee(&mut say).await
}

/// The cast's and the contracts' names, for the printed lines.
fn names(cast: &Cast, token_id: AccountId, protocol: &Protocol) -> Names {
    let mut names = Names::default();
    for (name, who) in [
        ("Alice", &cast.alice),
        ("Bob", &cast.bob),
        ("Charlie", &cast.charlie),
        ("Dave", &cast.dave),
        ("Eve", &cast.eve),
        ("Ferdie", &cast.ferdie),
    ] {
        names.add(account_of(who), name);
    }
    names.add(token_id, "psp22-mock");
    names.add(protocol.community_id, "community");
    names.add(protocol.broker_id, "broker");
    names
}

/// Tells the backend and where each contract was deployed.
fn say_deployed(
    say: &mut impl FnMut(String),
    backend: &str,
    token_id: AccountId,
    protocol: &Protocol,
) {
    say(format!("backend: {backend}"));
    say(format!(
        "deployed psp22-mock at {}",
        Address(token_id).hex()
    ));
    say(format!(
        "deployed community at {}: Alice weight 3, Eve weight 1",
        Address(protocol.community_id).hex()
    ));
    say(format!(
        "the community instantiated the broker at {}",
        Address(protocol.broker_id).hex()
    ));
}

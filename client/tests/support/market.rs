//! The market the SDK tests start from, on a fresh embedded chain: mock
//! USD as the stablecoin, the protocol with Alice as its only member, Bob
//! offering machines and Charlie's deposit.
use broker::types::{OfferId, WEEK_SECONDS};
use community::types::VotingRules;
use ink::primitives::AccountId;
use p2pcloud_client::{
    bundles::{build_sh_folder, built_wasm},
    chain::{contract_calls, dev, Chain, Keypair},
    domain::Balance,
    embedded::EmbeddedChain,
    protocol::Protocol,
    sdk::{P2pCloud, Session},
    Error,
};
use psp22::PSP22;
use psp22_mock::{Psp22Mock, Psp22MockRef};

/// Bob's price per second, in mock USD units.
pub const PRICE: Balance = 1_000;
/// What one booking at `PRICE` locks: a week of it.
pub const A_WEEK: Balance = PRICE * WEEK_SECONDS;

/// The protocol on a fresh embedded chain with mock USD as its stablecoin
/// and Alice as its only member; the session is Alice's.
pub async fn deployed() -> Result<Session<EmbeddedChain>, Error> {
    let wasm = built_wasm(&build_sh_folder()).unwrap_or_else(|missing| panic!("{missing}"));
    let mut chain = EmbeddedChain::new(wasm);
    let alice = dev::alice();
    let mut mock_usd = Psp22MockRef::new(0, Some("Mock USD".into()), Some("mUSD".into()), 6);
    let token = chain
        .instantiate("psp22-mock", &alice, &mut mock_usd)
        .await?
        .value;
    let rules = VotingRules {
        quorum_bps: 5_000,
        voting_period: 60_000,
        execution_period: 600_000,
    };
    let protocol = Protocol::deploy(&mut chain, &alice, vec![(&alice, 1)], rules, token).await?;
    Ok(Session::new(chain, protocol, alice))
}

/// The deployed protocol where Bob offers `machines` machines of VM type 1
/// at `PRICE` and Charlie has deposited `deposit`: Charlie's session, and
/// Bob's offer.
pub async fn market(
    machines: u32,
    deposit: Balance,
) -> Result<(Session<EmbeddedChain>, OfferId), Error> {
    let mut bob = signed_by(deployed().await?, dev::bob());
    let offer = bob.add_offer(1, PRICE, machines, [0; 32]).await?.value;
    let mut charlie = signed_by(bob, dev::charlie());
    charlie.mint(deposit).await?;
    charlie.deposit(deposit).await?;
    Ok((charlie, offer))
}

/// `session`'s chain and protocol, signed by `signer`.
pub fn signed_by<C: Chain>(session: Session<C>, signer: Keypair) -> Session<C> {
    Session::new(session.chain, session.protocol, signer)
}

/// How much of the stablecoin `owner` lets the broker take.
pub async fn allowance<C: Chain>(
    session: &mut Session<C>,
    owner: AccountId,
) -> Result<Balance, Error> {
    let token = session.token().await?.address;
    let message = contract_calls::<Psp22Mock>(token).allowance(owner, session.protocol.broker_id);
    Ok(session.chain.query(&dev::alice(), &message).await?)
}

/// The session's signer, `donor`, mints `amount` of the stablecoin and
/// sends it to `to` outside any protocol message: a donation.
pub async fn donate<C: Chain>(
    session: &mut Session<C>,
    donor: &Keypair,
    to: AccountId,
    amount: Balance,
) -> Result<(), Error> {
    session.mint(amount).await?;
    let token = session.token().await?.address;
    let message = contract_calls::<Psp22Mock>(token).transfer(to, amount, Vec::new());
    session.chain.call(donor, &message).await?.value?;
    Ok(())
}

/// The miner's part of `seconds` at `PRICE`, after the community's fee of
/// `fee_bps` (rounded down, as the broker takes it).
pub fn miner_part(seconds: u64, fee_bps: u16) -> Balance {
    let charged = PRICE * Balance::from(seconds);
    charged - charged * Balance::from(fee_bps) / 10_000
}

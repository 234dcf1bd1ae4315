//! The broker and the community against a stablecoin that turns hostile: it
//! rejects, traps, lies about success, re-enters the broker, burns all the gas
//! it gets or writes far more storage than a transfer needs. Every token
//! movement must then fail with its typed error and leave every balance, in the
//! broker's books and on the token, exactly as it was; once the token is honest
//! again everything is withdrawn to the last unit.
//!
//! On the stable-host-functions build (`P2PCLOUD_PROFILE=stable`, what Aleph
//! Zero takes) a token call carries a gas limit only: a hoarding token's
//! transfer then succeeds, its storage paid from the signer's deposit limit,
//! and the broker still credits exactly what arrived.
use crate::{
    bundles::Profile,
    protocol::{
        balance_report, check, check_eq, withdraw_free, BrokerCalls, Failure, OrFail, Protocol,
    },
    workflow::{pass_proposal, voting_rules, Cast},
};
use broker::{types::TokenCallLimits, BrokerError, StopReason};
use community::{
    types::{Action, BrokerCall},
    CommunityError,
};
use hostile_token::{HostileToken, HostileTokenRef, Mode, HOARD_BYTES, HOARD_ITEMS};
use ink::{codegen::ContractCallBuilder, primitives::AccountId};
use p2pcloud_client::chain::{
    account_of, contract_calls, dev, Chain, ChainError, Keypair, Outcome,
};
use psp22::{PSP22Mintable, PSP22};

type TokenCalls = <HostileToken as ContractCallBuilder>::Type;

const PRICE_PER_SECOND: u128 = 10;
const MINTED: u128 = 100_000_000;
const DEPOSITED: u128 = 60_000_000;

/// How a message that moves tokens ends against a token in some mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer<E> {
    Succeeded,
    /// The contract answered this typed error; nothing changed.
    Refused(E),
    /// The runtime aborted the whole call with this error; nothing changed.
    Aborted(String),
}

impl<E> Answer<E> {
    /// The answer, and the `ref_time` the call consumed if it ran to an answer.
    fn of<T>(
        result: Result<Outcome<Result<T, E>>, ChainError>,
    ) -> Result<(Self, Option<u64>), ChainError> {
        match result {
            Ok(outcome) => Ok((
                outcome
                    .value
                    .map_or_else(Self::Refused, |_| Self::Succeeded),
                Some(outcome.cost.ref_time),
            )),
            Err(ChainError::Failed(why)) => Ok((Self::Aborted(runtime_error(&why)), None)),
            Err(other) => Err(other),
        }
    }

    fn map<F>(self, f: impl FnOnce(E) -> F) -> Answer<F> {
        match self {
            Self::Succeeded => Answer::Succeeded,
            Self::Refused(error) => Answer::Refused(f(error)),
            Self::Aborted(why) => Answer::Aborted(why),
        }
    }
}

/// How `collect_fees` on the community ends when the broker's token movement
/// ends in `broker`: the broker's typed error wrapped, and a broker call the
/// runtime aborted seen by the community as a failed call.
fn through_community(broker: Answer<BrokerError>) -> Answer<CommunityError> {
    match broker {
        Answer::Aborted(_) => Answer::Refused(CommunityError::BrokerCallFailed),
        other => other.map(CommunityError::Broker),
    }
}

/// The pallet error named in a failed call's report, such as
/// `StorageDepositLimitExhausted`.
fn runtime_error(why: &str) -> String {
    const KNOWN: [&str; 2] = ["StorageDepositLimitExhausted", "OutOfGas"];
    KNOWN
        .iter()
        .find(|name| why.contains(*name))
        .map_or_else(|| why.to_string(), |name| name.to_string())
}

/// How each hostile mode must end a token movement in the broker.
pub fn expected_answer(mode: Mode) -> Answer<BrokerError> {
    match mode {
        Mode::Honest => Answer::Succeeded,
        Mode::Rejects => Answer::Refused(BrokerError::TokenTransferRejected),
        Mode::Traps => Answer::Refused(BrokerError::TokenCallFailed),
        Mode::Lies => Answer::Refused(BrokerError::TokenBalanceMismatch),
        // pallet-contracts refuses the call back into the broker by trapping
        // the token, so the broker sees a failed call.
        Mode::Reenters => Answer::Refused(BrokerError::TokenCallFailed),
        // The token runs out of the gas the broker gave the call and fails alone.
        Mode::BurnsGas => Answer::Refused(BrokerError::TokenCallFailed),
        // pallet-contracts enforces a sub-call's own deposit limit as an
        // error of the caller, not of the callee: the whole call is aborted
        // before the hoarded storage is paid for.
        Mode::Hoards => Answer::Aborted("StorageDepositLimitExhausted".into()),
    }
}

/// Token call limits whose storage deposit covers two small items, as an
/// honest transfer needs (a new balance entry), and not a hoarding one.
async fn tight_limits<C: Chain>(chain: &mut C) -> Result<TokenCallLimits, Failure> {
    let (per_item, per_byte) = chain.storage_price().await?;
    let storage_deposit = per_item * 2 + per_byte * 512;
    let hoarded = per_item * u128::from(HOARD_ITEMS)
        + per_byte * (HOARD_ITEMS as usize * HOARD_BYTES) as u128;
    check(
        hoarded > storage_deposit * 10,
        "a hoarding transfer must need far more deposit",
    )?;
    Ok(TokenCallLimits {
        storage_deposit,
        ..TokenCallLimits::default()
    })
}

/// Every balance that must not move: the broker's books and the token's.
async fn balances<C: Chain>(
    chain: &mut C,
    broker: &BrokerCalls,
    token: &TokenCalls,
    accounts: &[AccountId],
) -> Result<Vec<(u128, u128, u128)>, Failure> {
    let caller = dev::alice();
    let mut all = Vec::new();
    for account in accounts {
        let report = balance_report(chain, broker, *account).await?;
        let held = chain.query(&caller, &token.balance_of(*account)).await?;
        all.push((report.free, report.locked, held));
    }
    Ok(all)
}

pub async fn hostile_tokens<C: Chain>(
    chain: &mut C,
    say: &mut impl FnMut(String),
) -> Result<(), Failure> {
    let Cast {
        alice,
        bob,
        charlie,
        ..
    } = Cast::default();
    let mut token_ctor = HostileTokenRef::new(Mode::Honest);
    let token_id = chain
        .instantiate("hostile-token", &alice, &mut token_ctor)
        .await?
        .value;
    let mut token = contract_calls::<HostileToken>(token_id);
    let Protocol {
        community_id,
        broker_id,
        mut community,
        mut broker,
    } = Protocol::deploy(chain, &alice, vec![(&alice, 1)], voting_rules(), token_id).await?;

    // While the token is honest: Charlie deposits and books Bob's VM, Bob
    // earns and the community collects its fee.
    chain
        .call(&charlie, &token.mint(MINTED))
        .await?
        .value
        .or_fail("mint")?;
    chain
        .call(&charlie, &broker.deposit_coin(DEPOSITED))
        .await?
        .value
        .or_fail("deposit")?;
    let offer = chain
        .call(&bob, &broker.add_offer(1, PRICE_PER_SECOND, 1, [0; 32]))
        .await?
        .value
        .or_fail("add_offer")?;
    let booking = chain
        .call(&charlie, &broker.book_vm(offer, PRICE_PER_SECOND))
        .await?
        .value
        .or_fail("book_vm")?;
    chain.pass_time(3_000).await?;
    chain
        .call(&bob, &broker.claim_payment(booking))
        .await?
        .value
        .or_fail("claim_payment")?;

    // The community fits the token calls' storage deposit to this chain.
    let limits = tight_limits(chain).await?;
    let action = Action::Broker(BrokerCall::SetTokenCallLimits(limits));
    pass_proposal(chain, &mut community, &alice, action).await?;
    check_eq(
        chain.query(&alice, &broker.get_token_call_limits()).await?,
        limits,
        "the broker's token call limits",
    )?;

    let accounts = [
        account_of(&charlie),
        account_of(&bob),
        community_id,
        broker_id,
    ];
    let profile = Profile::from_env();
    let modes = [
        Mode::Rejects,
        Mode::Traps,
        Mode::Lies,
        Mode::Reenters,
        Mode::BurnsGas,
        Mode::Hoards,
    ];
    // Without per-call deposit limits nothing stops a hoarding token's call.
    let refused = modes
        .into_iter()
        .filter(|mode| *mode != Mode::Hoards || profile == Profile::PerCallLimits);
    for mode in refused {
        chain.call(&alice, &token.set_mode(mode)).await?;
        check_eq(
            chain.query(&alice, &token.mode()).await?,
            mode,
            "the token's mode",
        )?;
        let before = balances(chain, &broker, &token, &accounts).await?;
        let expected = expected_answer(mode);
        let attempts = [
            (
                "deposit",
                Answer::of(chain.call(&charlie, &broker.deposit_coin(1_000)).await)?,
            ),
            (
                "withdraw",
                Answer::of(chain.call(&charlie, &broker.withdraw_coin(1_000)).await)?,
            ),
            (
                "miner withdraw",
                Answer::of(chain.call(&bob, &broker.withdraw_coin(1)).await)?,
            ),
        ];
        for (what, (answer, ref_time)) in attempts {
            check_eq(
                answer,
                expected.clone(),
                &format!("{what} with a token that {mode:?}"),
            )?;
            // A token that burns its gas burns what the broker gave it, no more.
            if let (Mode::BurnsGas, Some(ref_time)) = (mode, ref_time) {
                check(
                    ref_time < limits.ref_time.saturating_mul(2),
                    format!("{what} with a token that burns gas consumed {ref_time} ref_time"),
                )?;
            }
        }
        check_eq(
            Answer::of(chain.call(&alice, &community.collect_fees()).await)?.0,
            through_community(expected.clone()),
            &format!("collecting fees with a token that {mode:?}"),
        )?;
        check_eq(
            balances(chain, &broker, &token, &accounts).await?,
            before,
            &format!("balances after a token that {mode:?}"),
        )?;
        check_eq(
            chain.query(&alice, &token.last_reentry()).await?,
            None,
            "no call back into the broker ever ran",
        )?;
        say(format!("token {mode:?}: deposit, withdrawals and fee collection refused with {expected:?}; no balance moved"));
    }

    if profile == Profile::Stable {
        hoarding_without_deposit_limits(chain, &mut broker, &mut token, &charlie).await?;
        say("token Hoards on the stable build: the deposit went through, its storage paid by the signer; the broker credited exactly what arrived".into());
    }

    // Honest again: everything comes out, to the last unit.
    chain.call(&alice, &token.set_mode(Mode::Honest)).await?;
    check_eq(
        chain.query(&alice, &token.mode()).await?,
        Mode::Honest,
        "the token's mode",
    )?;
    chain
        .call(&charlie, &broker.stop_booking(booking, StopReason::Ok))
        .await?
        .value
        .or_fail("stop_booking")?;
    for who in [&charlie, &bob] {
        withdraw_free(chain, &mut broker, who).await?;
    }
    chain
        .call(&alice, &community.collect_fees())
        .await?
        .value
        .or_fail("collect_fees")?;
    chain
        .call(&alice, &community.claim_share())
        .await?
        .value
        .or_fail("claim_share")?;
    check_eq(
        chain.query(&alice, &token.balance_of(broker_id)).await?,
        0,
        "tokens left in the broker",
    )?;
    let paid_out = [account_of(&charlie), account_of(&bob), account_of(&alice)];
    let mut total = 0;
    for account in paid_out {
        total += chain.query(&alice, &token.balance_of(account)).await?;
    }
    check_eq(total, MINTED, "every minted unit is back with its owners")?;
    say("token honest again: every unit withdrawn, none lost".into());
    Ok(())
}

/// On the stable build a hoarding token's transfer goes through, paid from
/// the signer's storage deposit; the broker credits exactly what it received.
async fn hoarding_without_deposit_limits<C: Chain>(
    chain: &mut C,
    broker: &mut BrokerCalls,
    token: &mut TokenCalls,
    charlie: &Keypair,
) -> Result<(), Failure> {
    let alice = dev::alice();
    chain.call(&alice, &token.set_mode(Mode::Hoards)).await?;
    let before = balance_report(chain, broker, account_of(charlie)).await?;
    let (answer, _) = Answer::of(chain.call(charlie, &broker.deposit_coin(1_000)).await)?;
    check_eq(answer, Answer::Succeeded, "a deposit with a hoarding token")?;
    let after = balance_report(chain, broker, account_of(charlie)).await?;
    check_eq(
        after.deposited - before.deposited,
        1_000,
        "what the broker credited for a hoarding token's transfer",
    )
}

//! The broker and the community against a stablecoin that turns hostile: it
//! rejects, traps, lies about success, or re-enters the broker. Every token
//! movement must then fail with its typed error and leave every balance, in the
//! broker's books and on the token, exactly as it was; once the token is honest
//! again everything is withdrawn to the last unit.
use crate::{
    chain::{account_of, Chain},
    protocol::{check_eq, BrokerCalls, Failure, OrFail, Protocol},
    workflow::{voting_rules, Cast},
};
use broker::{BrokerError, StopReason};
use community::CommunityError;
use hostile_token::{HostileToken, HostileTokenRef, Mode};
use ink::{codegen::ContractCallBuilder, primitives::AccountId};

type TokenCalls = <HostileToken as ContractCallBuilder>::Type;

const PRICE_PER_SECOND: u128 = 10;
const MINTED: u128 = 100_000_000;
const DEPOSITED: u128 = 60_000_000;

/// The error each hostile mode must produce in the broker.
pub fn expected_error(mode: Mode) -> Option<BrokerError> {
    match mode {
        Mode::Honest => None,
        Mode::Rejects => Some(BrokerError::TokenTransferRejected),
        Mode::Traps => Some(BrokerError::TokenCallFailed),
        Mode::Lies => Some(BrokerError::TokenBalanceMismatch),
        // pallet-contracts refuses the call back into the broker by trapping
        // the token, so the broker sees a failed call.
        Mode::Reenters => Some(BrokerError::TokenCallFailed),
    }
}

/// Every balance that must not move: the broker's books and the token's.
async fn balances<C: Chain>(
    chain: &mut C,
    broker: &BrokerCalls,
    token: &TokenCalls,
    accounts: &[AccountId],
) -> Result<Vec<(u128, u128, u128)>, Failure> {
    let caller = ink_e2e::alice();
    let mut all = Vec::new();
    for account in accounts {
        let (free, locked) = chain
            .query(&caller, &broker.check_balance(*account))
            .await?;
        let held = chain.query(&caller, &token.balance_of(*account)).await?;
        all.push((free, locked, held));
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
    let mut token = ink_e2e::create_call_builder::<HostileToken>(token_id);
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
        .call(&charlie, &broker.book_vm(offer))
        .await?
        .value
        .or_fail("book_vm")?;
    chain.pass_time(3_000).await?;
    chain
        .call(&bob, &broker.claim_payment(booking))
        .await?
        .value
        .or_fail("claim_payment")?;

    let accounts = [
        account_of(&charlie),
        account_of(&bob),
        community_id,
        broker_id,
    ];
    for mode in [Mode::Rejects, Mode::Traps, Mode::Lies, Mode::Reenters] {
        chain.call(&alice, &token.set_mode(mode)).await?;
        let before = balances(chain, &broker, &token, &accounts).await?;
        let expected = expected_error(mode);
        let attempts = [
            (
                "deposit",
                chain
                    .call(&charlie, &broker.deposit_coin(1_000))
                    .await?
                    .value,
            ),
            (
                "withdraw",
                chain
                    .call(&charlie, &broker.withdraw_coin(1_000))
                    .await?
                    .value,
            ),
            (
                "miner withdraw",
                chain.call(&bob, &broker.withdraw_coin(1)).await?.value,
            ),
        ];
        for (what, answer) in attempts {
            check_eq(
                answer.err(),
                expected,
                &format!("{what} with a token that {mode:?}"),
            )?;
        }
        check_eq(
            chain
                .call(&alice, &community.collect_fees())
                .await?
                .value
                .err(),
            expected.map(CommunityError::Broker),
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

    // Honest again: everything comes out, to the last unit.
    chain.call(&alice, &token.set_mode(Mode::Honest)).await?;
    chain
        .call(&charlie, &broker.stop_booking(booking, StopReason::Ok))
        .await?
        .value
        .or_fail("stop_booking")?;
    for who in [&charlie, &bob] {
        let (free, _) = chain
            .query(who, &broker.check_balance(account_of(who)))
            .await?;
        chain
            .call(who, &broker.withdraw_coin(free))
            .await?
            .value
            .or_fail("withdraw_coin")?;
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

//! The broker and the community against a stablecoin that turns hostile: it
//! rejects, traps, lies about success, re-enters the broker, burns all the gas
//! it gets or writes far more storage than a transfer needs. Every token
//! movement must then fail with its typed error, or (a lying token's
//! withdrawal) pay out nothing, and leave every balance, in the broker's and
//! the community's books and on the token, exactly as it was; once the token
//! is honest again everything is withdrawn to the last unit.
//!
//! On the stable-host-functions build (`P2PCLOUD_PROFILE=stable`, what Aleph
//! Zero takes) a token call carries a gas limit only: a hoarding token's
//! transfer then succeeds, its storage paid from the signer's deposit limit,
//! and the broker still credits exactly what arrived.
use crate::{
    bundles::Profile,
    protocol::{balance_report, check, check_eq, withdraw_free, Failure, OrFail, Protocol},
    workflow::{pass_proposal, voting_rules, Cast},
};
use broker::{
    types::{BookingId, TokenCallLimits},
    BrokerError, StopReason,
};
use community::{
    types::{Action, BrokerCall},
    CommunityError,
};
use hostile_token::{HostileToken, HostileTokenRef, Mode, HOARD_BYTES, HOARD_ITEMS};
use ink::codegen::ContractCallBuilder;
use p2pcloud_client::chain::{account_of, contract_calls, Chain, ChainError, Outcome};
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

/// How `collect_fees` on the community ends with the token in `mode`: as
/// the broker's withdrawal ends, its typed error wrapped and a broker call
/// the runtime aborted seen as a failed call; a lying token's withdrawal
/// pays nothing, so nothing arrives to share.
fn collection_answer(mode: Mode) -> Answer<CommunityError> {
    match (mode, expected_answer(mode, Movement::Withdrawal)) {
        (Mode::Lies, _) => Answer::Refused(CommunityError::NothingToCollect),
        (_, Answer::Aborted(_)) => Answer::Refused(CommunityError::BrokerCallFailed),
        (_, other) => other.map(CommunityError::Broker),
    }
}

/// How `claim_share` ends with the token in `mode`. It reads the
/// community's balance once, after the transfer, which must then be exactly
/// what the community owes the others: a lying token's claim is refused.
/// Otherwise it ends as a withdrawal from the broker, with the community's
/// own error; a broker error a claim cannot answer is kept as `Broker`, so a
/// wrong expectation shows.
fn claim_answer(mode: Mode) -> Answer<CommunityError> {
    if mode == Mode::Lies {
        return Answer::Refused(CommunityError::TokenBalanceMismatch);
    }
    expected_answer(mode, Movement::Withdrawal).map(|error| match error {
        BrokerError::TokenTransferRejected => CommunityError::TokenTransferRejected,
        BrokerError::TokenCallFailed => CommunityError::TokenCallFailed,
        other => CommunityError::Broker(other),
    })
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

/// A token movement of the broker's: tokens in or tokens out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Movement {
    Deposit,
    Withdrawal,
}

/// How each hostile mode must end a token movement in the broker.
pub fn expected_answer(mode: Mode, movement: Movement) -> Answer<BrokerError> {
    match mode {
        Mode::Honest => Answer::Succeeded,
        Mode::Rejects => Answer::Refused(BrokerError::TokenTransferRejected),
        Mode::Traps => Answer::Refused(BrokerError::TokenCallFailed),
        // A deposit must then hold what the broker owes; a withdrawal takes
        // from the balance only what left the broker, nothing, so it stays
        // whole.
        Mode::Lies => match movement {
            Movement::Deposit => Answer::Refused(BrokerError::TokenBalanceMismatch),
            Movement::Withdrawal => Answer::Succeeded,
        },
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

/// What every step acts on: the chain, who plays on it, the hostile token
/// and the protocol deployed with it.
struct Stage<'a, C> {
    chain: &'a mut C,
    cast: Cast,
    token: TokenCalls,
    protocol: Protocol,
}

/// Runs the scenario; `say` receives one line per hostile mode and one per
/// ending.
pub async fn hostile_tokens<C: Chain>(
    chain: &mut C,
    say: &mut impl FnMut(String),
) -> Result<(), Failure> {
    let mut stage = Stage::deploy(chain).await?;
    let booking = stage.trade_while_honest().await?;
    let limits = stage.fit_token_call_limits().await?;
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
        stage.refuse_every_movement(mode, &limits, say).await?;
    }
    if profile == Profile::Stable {
        stage.hoarding_without_deposit_limits().await?;
        say("token Hoards on the stable build: the deposit went through, its storage paid by the signer; the broker credited exactly what arrived".into());
    }
    stage.withdraw_everything_once_honest(booking).await?;
    say("token honest again: every unit withdrawn, none lost".into());
    Ok(())
}

impl<'a, C: Chain> Stage<'a, C> {
    /// The hostile token, honest for now, and the protocol on it with Alice
    /// the community's only member.
    async fn deploy(chain: &'a mut C) -> Result<Self, Failure> {
        let cast = Cast::default();
        let alice = &cast.alice;
        let mut token_ctor = HostileTokenRef::new(Mode::Honest);
        let token_id = chain
            .instantiate("hostile-token", alice, &mut token_ctor)
            .await?
            .value;
        let protocol =
            Protocol::deploy(chain, alice, vec![(alice, 1)], voting_rules(), token_id).await?;
        Ok(Self {
            chain,
            token: contract_calls::<HostileToken>(token_id),
            cast,
            protocol,
        })
    }

    /// While the token is honest: Charlie deposits and books Bob's VM, Bob
    /// earns twice; the community collects the first fee, so Alice has a
    /// share to claim, and the second waits in the broker. Returns the
    /// booking.
    async fn trade_while_honest(&mut self) -> Result<BookingId, Failure> {
        let Cast {
            alice,
            bob,
            charlie,
            ..
        } = &self.cast;
        let broker = &mut self.protocol.broker;
        self.chain
            .call(charlie, &self.token.mint(MINTED))
            .await?
            .value
            .or_fail("mint")?;
        self.chain
            .call(charlie, &broker.deposit_coin(DEPOSITED))
            .await?
            .value
            .or_fail("deposit")?;
        let offer = self
            .chain
            .call(bob, &broker.add_offer(1, PRICE_PER_SECOND, 1, [0; 32]))
            .await?
            .value
            .or_fail("add_offer")?;
        let booking = self
            .chain
            .call(charlie, &broker.book_vm(offer, PRICE_PER_SECOND))
            .await?
            .value
            .or_fail("book_vm")?;
        for round in 0..2 {
            self.chain.pass_time(3_000).await?;
            self.chain
                .call(bob, &broker.claim_payment(booking))
                .await?
                .value
                .or_fail("claim_payment")?;
            if round == 0 {
                self.chain
                    .call(alice, &self.protocol.community.collect_fees())
                    .await?
                    .value
                    .or_fail("collect_fees")?;
            }
        }
        Ok(booking)
    }

    /// The community fits the token calls' storage deposit to this chain.
    async fn fit_token_call_limits(&mut self) -> Result<TokenCallLimits, Failure> {
        let alice = &self.cast.alice;
        let limits = tight_limits(self.chain).await?;
        let action = Action::Broker(BrokerCall::SetTokenCallLimits(limits));
        pass_proposal(self.chain, &mut self.protocol.community, alice, action).await?;
        check_eq(
            self.chain
                .query(alice, &self.protocol.broker.get_token_call_limits())
                .await?,
            limits,
            "the broker's token call limits",
        )?;
        Ok(limits)
    }

    /// With the token in `mode`, every token movement (deposit, withdrawals,
    /// fee collection, share claim) ends as the mode must end it, and no
    /// balance moves.
    async fn refuse_every_movement(
        &mut self,
        mode: Mode,
        limits: &TokenCallLimits,
        say: &mut impl FnMut(String),
    ) -> Result<(), Failure> {
        self.set_mode(mode).await?;
        let Cast {
            alice,
            bob,
            charlie,
            ..
        } = self.cast.clone();
        let before = self.balances().await?;
        let (chain, broker) = (&mut *self.chain, &mut self.protocol.broker);
        let attempts = [
            (
                "deposit",
                Movement::Deposit,
                Answer::of(chain.call(&charlie, &broker.deposit_coin(1_000)).await)?,
            ),
            (
                "withdraw",
                Movement::Withdrawal,
                Answer::of(chain.call(&charlie, &broker.withdraw_coin(1_000)).await)?,
            ),
            (
                "miner withdraw",
                Movement::Withdrawal,
                Answer::of(chain.call(&bob, &broker.withdraw_coin(1)).await)?,
            ),
        ];
        for (what, movement, (answer, ref_time)) in attempts {
            check_eq(
                answer,
                expected_answer(mode, movement),
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
        let collect_fees = self.protocol.community.collect_fees();
        check_eq(
            Answer::of(self.chain.call(&alice, &collect_fees).await)?.0,
            collection_answer(mode),
            &format!("collecting fees with a token that {mode:?}"),
        )?;
        let claim_share = self.protocol.community.claim_share();
        check_eq(
            Answer::of(self.chain.call(&alice, &claim_share).await)?.0,
            claim_answer(mode),
            &format!("claiming a share with a token that {mode:?}"),
        )?;
        check_eq(
            self.balances().await?,
            before,
            &format!("balances after a token that {mode:?}"),
        )?;
        check_eq(
            self.chain.query(&alice, &self.token.last_reentry()).await?,
            None,
            "no call back into the broker ever ran",
        )?;
        say(format!(
            "token {mode:?}: deposit {:?}, withdrawals {:?}, fee collection {:?}, share claim {:?}; no balance moved",
            expected_answer(mode, Movement::Deposit),
            expected_answer(mode, Movement::Withdrawal),
            collection_answer(mode),
            claim_answer(mode),
        ));
        Ok(())
    }

    /// On the stable build a hoarding token's transfer goes through, paid from
    /// the signer's storage deposit; the broker credits exactly what it received.
    async fn hoarding_without_deposit_limits(&mut self) -> Result<(), Failure> {
        let Cast { alice, charlie, .. } = &self.cast;
        let broker = &mut self.protocol.broker;
        self.chain
            .call(alice, &self.token.set_mode(Mode::Hoards))
            .await?;
        let before = balance_report(self.chain, broker, account_of(charlie)).await?;
        let (answer, _) = Answer::of(self.chain.call(charlie, &broker.deposit_coin(1_000)).await)?;
        check_eq(answer, Answer::Succeeded, "a deposit with a hoarding token")?;
        let after = balance_report(self.chain, broker, account_of(charlie)).await?;
        check_eq(
            after.deposited - before.deposited,
            1_000,
            "what the broker credited for a hoarding token's transfer",
        )
    }

    /// Honest again: Charlie stops her booking, everything comes out, to the
    /// last unit.
    async fn withdraw_everything_once_honest(&mut self, booking: BookingId) -> Result<(), Failure> {
        self.set_mode(Mode::Honest).await?;
        let Cast {
            alice,
            bob,
            charlie,
            ..
        } = &self.cast;
        let (chain, broker) = (&mut *self.chain, &mut self.protocol.broker);
        chain
            .call(charlie, &broker.stop_booking(booking, StopReason::Ok))
            .await?
            .value
            .or_fail("stop_booking")?;
        for who in [charlie, bob] {
            withdraw_free(chain, broker, who).await?;
        }
        let community = &mut self.protocol.community;
        chain
            .call(alice, &community.collect_fees())
            .await?
            .value
            .or_fail("collect_fees")?;
        chain
            .call(alice, &community.claim_share())
            .await?
            .value
            .or_fail("claim_share")?;
        check_eq(
            chain
                .query(alice, &self.token.balance_of(self.protocol.broker_id))
                .await?,
            0,
            "tokens left in the broker",
        )?;
        let mut total = 0;
        for account in [account_of(charlie), account_of(bob), account_of(alice)] {
            total += chain.query(alice, &self.token.balance_of(account)).await?;
        }
        check_eq(total, MINTED, "every minted unit is back with its owners")
    }

    /// Alice switches the token to `mode`, and it says it is in it.
    async fn set_mode(&mut self, mode: Mode) -> Result<(), Failure> {
        let alice = &self.cast.alice;
        self.chain.call(alice, &self.token.set_mode(mode)).await?;
        check_eq(
            self.chain.query(alice, &self.token.mode()).await?,
            mode,
            "the token's mode",
        )
    }

    /// Every balance that must not move: the broker's books (what each
    /// account holds and has locked there; not what is free, which a running
    /// booking lowers as the node's time passes) and the token's, of Charlie,
    /// Bob, Alice, the community and the broker, and Alice's share in the
    /// community.
    async fn balances(&mut self) -> Result<Vec<(u128, u128, u128)>, Failure> {
        let alice = account_of(&self.cast.alice);
        let accounts = [
            account_of(&self.cast.charlie),
            account_of(&self.cast.bob),
            alice,
            self.protocol.community_id,
            self.protocol.broker_id,
        ];
        let mut all = Vec::new();
        for account in accounts {
            let report = balance_report(self.chain, &self.protocol.broker, account).await?;
            let token_balance = self.token.balance_of(account);
            let held = self.chain.query(&self.cast.alice, &token_balance).await?;
            all.push((report.deposited, report.locked, held));
        }
        // Alice's share in the community's book, as its third figure.
        let claimable = self.protocol.community.get_claimable(alice);
        let share = self.chain.query(&self.cast.alice, &claimable).await?;
        all.push((0, 0, share));
        Ok(all)
    }
}

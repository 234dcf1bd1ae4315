use crate::Balance;
use ink::{
    env::{
        call::{build_call, ExecutionInput, Selector},
        DefaultEnvironment,
    },
    prelude::vec::Vec,
    primitives::AccountId,
    scale,
};

/// Why a token movement failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// The call trapped, reverted without an answer, or reached no PSP22 contract.
    CallFailed,
    /// The token answered with a PSP22 error.
    Rejected,
    /// The token said it moved the amount, but the balances say otherwise.
    BalanceMismatch,
}

/// Moves the stablecoin between this contract and an account. Cores take one of
/// these so their rules can be tested with an in-memory ledger.
pub trait Token {
    /// Pulls `value` from `from` into this contract (`from` approved it
    /// first). `owed` is what the contract owes in this token before the
    /// call: afterwards it must hold at least `owed + value`.
    fn receive_from(
        &mut self,
        from: AccountId,
        value: Balance,
        owed: Balance,
    ) -> Result<(), TokenError>;
    /// Sends `value` from this contract to `to`, who is owed it among
    /// `owed`, all the contract owes in this token before the call.
    /// Answers what was paid: `value`, less what the contract still holds
    /// beyond what it then owes, which stays `to`'s.
    fn send_to(
        &mut self,
        to: AccountId,
        value: Balance,
        owed: Balance,
    ) -> Result<Balance, TokenError>;
    /// Sends `value` from this contract to `to`, who is owed it among
    /// `owed`, all the contract owes in this token before the call, and
    /// reads the balance once, after: the contract must then hold exactly
    /// what it owes others, `owed - value`. More is what the token did not
    /// move or tokens nobody is owed yet, which the contract must share
    /// before it pays again; less, what the token took beyond the amount.
    fn send_owed(&mut self, to: AccountId, value: Balance, owed: Balance)
        -> Result<(), TokenError>;
    /// Sends exactly `value` to `to`, or fails: for a payment that must not
    /// be left short, whatever the contract holds beyond what it owes.
    fn send_exactly(&mut self, to: AccountId, value: Balance) -> Result<(), TokenError>;
    /// The contract whose balance this moves.
    fn holder(&self) -> AccountId;
}

/// The three PSP22 messages the contracts use.
pub trait Psp22Api {
    fn balance_of(&self, owner: AccountId) -> Result<Balance, TokenError>;
    fn transfer(&mut self, to: AccountId, value: Balance) -> Result<(), TokenError>;
    fn transfer_from(
        &mut self,
        from: AccountId,
        to: AccountId,
        value: Balance,
    ) -> Result<(), TokenError>;
}

/// Checks that a balance moved by exactly `value`, from `smaller` to `larger`:
/// the one test every token movement must pass, whatever the token answered.
pub fn ensure_change(smaller: Balance, larger: Balance, value: Balance) -> Result<(), TokenError> {
    match larger.checked_sub(smaller) {
        Some(moved) if moved == value => Ok(()),
        _ => Err(TokenError::BalanceMismatch),
    }
}

/// A `Token` that trusts no PSP22 implementation: every movement is checked
/// against this contract's own balance, read once, after the call (an exact
/// payment, before and after), so a token that lies about success (or takes
/// a fee on transfer) never leaves the contract holding less than it owes,
/// and never costs a recipient what it did not move. Each read is a token
/// frame (15.6 KB of proof for psp22-mock), so none is read that a check does
/// not need.
///
/// A receipt is credited only when the contract then holds all it owes plus
/// the amount. A payment out must leave the contract holding all it still
/// owes, and what it holds beyond that, up to the amount, is what the token
/// did not move: that stays the recipient's. Tokens sent to the contract
/// outside any message (donations, which nobody owns) cannot be told apart
/// from what a token did not move, so they may make up a receipt's
/// shortfall, or be left to a recipient; what is owed is always held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedToken<A> {
    api: A,
    this: AccountId,
}

impl<A: Psp22Api> CheckedToken<A> {
    pub fn new(api: A, this: AccountId) -> Self {
        Self { api, this }
    }

    pub fn api(&self) -> &A {
        &self.api
    }

    pub fn api_mut(&mut self) -> &mut A {
        &mut self.api
    }
}

impl<A: Psp22Api> Token for CheckedToken<A> {
    fn receive_from(
        &mut self,
        from: AccountId,
        value: Balance,
        owed: Balance,
    ) -> Result<(), TokenError> {
        let owed_after = owed.checked_add(value).ok_or(TokenError::BalanceMismatch)?;
        self.api.transfer_from(from, self.this, value)?;
        let held = self.api.balance_of(self.this)?;
        if held >= owed_after {
            Ok(())
        } else {
            Err(TokenError::BalanceMismatch)
        }
    }

    fn send_to(
        &mut self,
        to: AccountId,
        value: Balance,
        owed: Balance,
    ) -> Result<Balance, TokenError> {
        let owed_after = owed.checked_sub(value).ok_or(TokenError::BalanceMismatch)?;
        self.api.transfer(to, value)?;
        let held = self.api.balance_of(self.this)?;
        let kept = held
            .checked_sub(owed_after)
            .ok_or(TokenError::BalanceMismatch)?
            .min(value);
        // Cannot underflow: kept <= value.
        Ok(value.saturating_sub(kept))
    }

    fn send_owed(
        &mut self,
        to: AccountId,
        value: Balance,
        owed: Balance,
    ) -> Result<(), TokenError> {
        let owed_after = owed.checked_sub(value).ok_or(TokenError::BalanceMismatch)?;
        self.api.transfer(to, value)?;
        let held = self.api.balance_of(self.this)?;
        ensure_change(owed_after, held, 0)
    }

    /// Reads the balance before and after: it must drop by `value`.
    fn send_exactly(&mut self, to: AccountId, value: Balance) -> Result<(), TokenError> {
        let before = self.api.balance_of(self.this)?;
        self.api.transfer(to, value)?;
        let after = self.api.balance_of(self.this)?;
        ensure_change(after, before, value)
    }

    fn holder(&self) -> AccountId {
        self.this
    }
}

/// What one call into the token may spend at most. Without limits a token
/// could burn the whole message's gas or charge the caller any storage deposit;
/// with them it fails alone and the message answers a typed error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct TokenCallLimits {
    pub ref_time: u64,
    pub proof_size: u64,
    /// In the chain's native currency; chains price storage differently, so
    /// the community can change it.
    pub storage_deposit: Balance,
}

impl Default for TokenCallLimits {
    /// About ten PSP22 transfers of Cardinal's PSP22 in time and proof (one
    /// measured 1.2e9 ref_time and 101 KB on substrate-contracts-node), and
    /// room for a few new storage items on substrate-contracts-node.
    fn default() -> Self {
        Self {
            ref_time: 12_000_000_000,
            proof_size: 1024 * 1024,
            storage_deposit: 1_000_000_000_000_000,
        }
    }
}

/// `Psp22Api` over cross-contract calls to a deployed PSP22 token. Every
/// failure mode of the call becomes a `TokenError` instead of a trap.
#[derive(Clone)]
pub struct Psp22Contract {
    address: AccountId,
    limits: TokenCallLimits,
}

/// The PSP22 standard's selectors (Cardinal-Cryptography/PSP22), as ink!
/// derives them for its `PSP22` trait.
const BALANCE_OF: [u8; 4] = ink::selector_bytes!("PSP22::balance_of");
const TRANSFER: [u8; 4] = ink::selector_bytes!("PSP22::transfer");
const TRANSFER_FROM: [u8; 4] = ink::selector_bytes!("PSP22::transfer_from");

/// A token's `PSP22Error`, whatever it says: the contracts need only that
/// the token refused. Decoding none of it keeps `PSP22Error::Custom`'s
/// string decoder (UTF-8 checks, 1 KB) out of every contract that moves
/// tokens; the bytes are read and dropped, so the answer still decodes whole.
pub struct Refusal;

impl scale::Decode for Refusal {
    fn decode<I: scale::Input>(input: &mut I) -> Result<Self, scale::Error> {
        let rest = input.remaining_len()?.unwrap_or(0);
        for _ in 0..rest {
            input.read_byte()?;
        }
        Ok(Self)
    }
}

/// What a token call answers: the call's own failure, ink!'s dispatch
/// error, or the message's answer.
type Answer<T> = Result<ink::MessageResult<T>, ink::env::Error>;

fn answer<T>(result: Answer<Result<T, Refusal>>) -> Result<T, TokenError> {
    match result {
        Ok(Ok(Ok(value))) => Ok(value),
        Ok(Ok(Err(Refusal))) => Err(TokenError::Rejected),
        Ok(Err(_)) | Err(_) => Err(TokenError::CallFailed),
    }
}

/// Applies `$limits` to a call builder of the token: all three through
/// `seal2::call` with `per-call-limits`; otherwise `ref_time` alone, as the
/// gas limit of `seal1::call`, the call every pallet-contracts links (the
/// token may then use the rest of the message's proof size and the signer's
/// storage deposit limit).
#[cfg(feature = "per-call-limits")]
macro_rules! limited {
    ($call:expr, $limits:expr) => {
        $call
            .ref_time_limit($limits.ref_time)
            .proof_size_limit($limits.proof_size)
            .storage_deposit_limit($limits.storage_deposit)
    };
}
#[cfg(not(feature = "per-call-limits"))]
macro_rules! limited {
    ($call:expr, $limits:expr) => {
        $call.call_v1().gas_limit($limits.ref_time)
    };
}

impl Psp22Contract {
    pub fn new(address: AccountId, limits: TokenCallLimits) -> Self {
        Self { address, limits }
    }

    /// Calls the token's message `input`, within this contract's limits.
    fn call<Args: scale::Encode, R: scale::Decode>(
        &self,
        input: ExecutionInput<Args>,
    ) -> Answer<R> {
        let call = build_call::<DefaultEnvironment>()
            .call(self.address)
            .exec_input(input)
            .returns::<R>();
        limited!(call, self.limits).try_invoke()
    }
}

impl Psp22Api for Psp22Contract {
    fn balance_of(&self, owner: AccountId) -> Result<Balance, TokenError> {
        let input = ExecutionInput::new(Selector::new(BALANCE_OF)).push_arg(owner);
        match self.call::<_, Balance>(input) {
            Ok(Ok(balance)) => Ok(balance),
            Ok(Err(_)) | Err(_) => Err(TokenError::CallFailed),
        }
    }

    fn transfer(&mut self, to: AccountId, value: Balance) -> Result<(), TokenError> {
        let input = ExecutionInput::new(Selector::new(TRANSFER))
            .push_arg(to)
            .push_arg(value)
            .push_arg(Vec::<u8>::new());
        answer(self.call(input))
    }

    fn transfer_from(
        &mut self,
        from: AccountId,
        to: AccountId,
        value: Balance,
    ) -> Result<(), TokenError> {
        let input = ExecutionInput::new(Selector::new(TRANSFER_FROM))
            .push_arg(from)
            .push_arg(to)
            .push_arg(value)
            .push_arg(Vec::<u8>::new());
        answer(self.call(input))
    }
}

impl From<TokenError> for crate::BrokerError {
    fn from(error: TokenError) -> Self {
        match error {
            TokenError::CallFailed => Self::TokenCallFailed,
            TokenError::Rejected => Self::TokenTransferRejected,
            TokenError::BalanceMismatch => Self::TokenBalanceMismatch,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn account(byte: u8) -> AccountId {
        AccountId::from([byte; 32])
    }

    /// The contract holding the tokens.
    fn this() -> AccountId {
        account(0xB0)
    }

    /// What the contract holds, and owes, when a test starts.
    const HELD: Balance = 1_000;

    /// A PSP22 ledger that moves `percent`% of what it is asked to (a fee
    /// on transfer below 100, a lie at 0), or answers with a chosen error,
    /// and records every transfer asked of it.
    struct Ledger {
        balances: BTreeMap<AccountId, Balance>,
        percent: Balance,
        answer: Result<(), TokenError>,
        balance_answer: Result<(), TokenError>,
        asked: Vec<(AccountId, AccountId, Balance)>,
    }

    impl Ledger {
        fn moving(percent: Balance) -> CheckedToken<Self> {
            let mut balances = BTreeMap::new();
            balances.insert(this(), HELD);
            balances.insert(account(1), 1_000);
            let ledger = Self {
                balances,
                percent,
                answer: Ok(()),
                balance_answer: Ok(()),
                asked: Vec::new(),
            };
            CheckedToken::new(ledger, this())
        }

        fn answering(answer: TokenError) -> CheckedToken<Self> {
            let mut token = Self::moving(100);
            token.api_mut().answer = Err(answer);
            token
        }

        /// Tokens sent to the contract outside any of its messages.
        fn donate(&mut self, value: Balance) {
            *self.balances.entry(this()).or_default() += value;
        }

        fn shift(&mut self, from: AccountId, to: AccountId, value: Balance) {
            let moved = value * self.percent / 100;
            *self.balances.entry(from).or_default() -= moved;
            *self.balances.entry(to).or_default() += moved;
        }
    }

    impl Psp22Api for Ledger {
        fn balance_of(&self, owner: AccountId) -> Result<Balance, TokenError> {
            self.balance_answer?;
            Ok(self.balances.get(&owner).copied().unwrap_or(0))
        }

        fn transfer(&mut self, to: AccountId, value: Balance) -> Result<(), TokenError> {
            self.asked.push((this(), to, value));
            self.answer?;
            self.shift(this(), to, value);
            Ok(())
        }

        fn transfer_from(
            &mut self,
            from: AccountId,
            to: AccountId,
            value: Balance,
        ) -> Result<(), TokenError> {
            self.asked.push((from, to, value));
            self.answer?;
            self.shift(from, to, value);
            Ok(())
        }
    }

    #[test]
    fn an_honest_token_moves_exactly_what_is_asked_between_the_right_accounts() {
        let mut token = Ledger::moving(100);
        token.receive_from(account(1), 100, HELD).unwrap();
        assert_eq!(token.send_to(account(2), 30, HELD + 100), Ok(30));
        token.send_exactly(account(3), 20).unwrap();
        assert_eq!(
            token.api().asked,
            vec![
                (account(1), this(), 100),
                (this(), account(2), 30),
                (this(), account(3), 20)
            ]
        );
        assert_eq!(token.api().balance_of(this()), Ok(1_050));
        assert_eq!(token.api().balance_of(account(2)), Ok(30));
        assert_eq!(token.api().balance_of(account(3)), Ok(20));
    }

    #[test]
    fn a_receipt_from_a_token_that_moves_less_than_asked_is_refused() {
        // 0%: a token that answers Ok and moves nothing; 99%: a 1% fee.
        for percent in [0, 99] {
            let mut token = Ledger::moving(percent);
            assert_eq!(
                token.receive_from(account(1), 100, HELD),
                Err(TokenError::BalanceMismatch),
                "receiving from a token moving {percent}%"
            );
        }
    }

    /// What the contract holds beyond what it owes belongs to nobody; a
    /// receipt may use it, never what is owed.
    #[test]
    fn a_receipt_is_credited_only_when_the_contract_then_holds_all_it_owes() {
        for (percent, donated, credited) in [
            (0, 99, false),
            (0, 100, true),
            (90, 9, false),
            (90, 10, true),
            (200, 0, true),
        ] {
            let mut token = Ledger::moving(percent);
            token.api_mut().donate(donated);
            let owed_after = HELD + 100;
            let answer = token.receive_from(account(1), 100, HELD);
            let held = token.api().balance_of(this()).unwrap();
            let case = format!("{percent}% moved, {donated} donated");
            if credited {
                assert_eq!(answer, Ok(()), "{case}");
                assert!(held >= owed_after, "{case}: holds {held}");
            } else {
                assert_eq!(answer, Err(TokenError::BalanceMismatch), "{case}");
                assert!(held < owed_after, "{case}: holds {held}");
            }
        }
    }

    /// A payment out answers what left; the rest stays the recipient's, and
    /// the contract still holds all it owes, the rest included.
    #[test]
    fn what_a_token_does_not_move_out_stays_the_recipients() {
        for (percent, paid) in [(0, 0), (50, 50), (99, 99), (100, 100)] {
            let mut token = Ledger::moving(percent);
            assert_eq!(
                token.send_to(account(2), 100, HELD),
                Ok(paid),
                "sending with a token moving {percent}%"
            );
            let owed_after = HELD - paid;
            assert_eq!(token.api().balance_of(this()), Ok(owed_after));
            assert_eq!(token.api().balance_of(account(2)), Ok(paid));
        }
    }

    /// Tokens nobody owns are counted as not moved, up to the amount: the
    /// recipient keeps them in its balance, and nothing owed is used.
    #[test]
    fn a_donation_may_be_left_to_a_recipient_never_what_is_owed() {
        for (donated, paid) in [(30, 70), (100, 0), (250, 0)] {
            let mut token = Ledger::moving(100);
            token.api_mut().donate(donated);
            assert_eq!(
                token.send_to(account(2), 100, HELD),
                Ok(paid),
                "{donated} donated"
            );
            // All 100 left; the balance is charged only what it owed less.
            assert_eq!(token.api().balance_of(account(2)), Ok(100));
            let held = token.api().balance_of(this()).unwrap();
            assert_eq!(held, HELD + donated - 100, "{donated} donated");
            assert!(held >= HELD - paid, "{donated} donated: holds {held}");
        }
    }

    /// A token that takes more than the amount out of the contract leaves it
    /// short of what it owes others: refused, unless donations make it up.
    #[test]
    fn a_payment_out_must_leave_all_that_is_still_owed() {
        let mut token = Ledger::moving(200);
        assert_eq!(
            token.send_to(account(2), 100, HELD),
            Err(TokenError::BalanceMismatch)
        );
        let mut token = Ledger::moving(200);
        token.api_mut().donate(100);
        assert_eq!(token.send_to(account(2), 100, HELD), Ok(100));
        assert_eq!(token.api().balance_of(this()), Ok(HELD - 100));
    }

    #[test]
    fn an_exact_payment_must_move_exactly_what_is_asked() {
        for percent in [0, 99, 200] {
            let mut token = Ledger::moving(percent);
            assert_eq!(
                token.send_exactly(account(2), 100),
                Err(TokenError::BalanceMismatch),
                "sending exactly with a token moving {percent}%"
            );
        }
        let mut token = Ledger::moving(100);
        token.api_mut().donate(100);
        assert_eq!(token.send_exactly(account(2), 100), Ok(()));
    }

    /// A payment of what is owed, read once after, passes only when the
    /// contract then holds exactly what it owes others: a token that moves
    /// anything but the amount is refused, and so is any payment while the
    /// contract holds tokens nobody is owed yet (they cannot be told from
    /// what the token did not move).
    #[test]
    fn a_payment_of_what_is_owed_must_leave_exactly_what_others_are_owed() {
        let mut token = Ledger::moving(100);
        assert_eq!(token.send_owed(account(2), 100, HELD), Ok(()));
        assert_eq!(token.api().balance_of(account(2)), Ok(100));
        for percent in [0, 50, 99, 200] {
            let mut token = Ledger::moving(percent);
            assert_eq!(
                token.send_owed(account(2), 100, HELD),
                Err(TokenError::BalanceMismatch),
                "paying what is owed with a token moving {percent}%"
            );
        }
        for donated in [1, 100] {
            let mut token = Ledger::moving(100);
            token.api_mut().donate(donated);
            assert_eq!(
                token.send_owed(account(2), 100, HELD),
                Err(TokenError::BalanceMismatch),
                "paying what is owed beside a donation of {donated}"
            );
        }
        let mut token = Ledger::moving(100);
        assert_eq!(
            token.send_owed(account(2), HELD + 1, HELD),
            Err(TokenError::BalanceMismatch)
        );
        assert!(token.api().asked.is_empty(), "refused before the call");
    }

    /// What is asked beyond any balance, or paid beyond what is owed, is
    /// refused before the token is called.
    #[test]
    fn a_movement_larger_than_any_balance_is_refused_before_the_call() {
        let mut token = Ledger::moving(100);
        assert_eq!(
            token.receive_from(account(1), 1, Balance::MAX),
            Err(TokenError::BalanceMismatch)
        );
        assert_eq!(
            token.send_to(account(2), HELD + 1, HELD),
            Err(TokenError::BalanceMismatch)
        );
        assert!(token.api().asked.is_empty());
    }

    #[test]
    fn a_token_that_answers_an_error_passes_it_on() {
        for error in [TokenError::Rejected, TokenError::CallFailed] {
            let mut token = Ledger::answering(error);
            assert_eq!(token.receive_from(account(1), 1, HELD), Err(error));
            assert_eq!(token.send_to(account(2), 1, HELD), Err(error));
            assert_eq!(token.send_owed(account(2), 1, HELD), Err(error));
            assert_eq!(token.send_exactly(account(2), 1), Err(error));
        }
        // A balance that cannot be read fails the movement (on chain the
        // whole message, the transfer with it, is reverted); an exact
        // payment is not even asked for.
        let mut token = Ledger::moving(100);
        token.api_mut().balance_answer = Err(TokenError::CallFailed);
        assert_eq!(
            token.send_exactly(account(2), 1),
            Err(TokenError::CallFailed)
        );
        assert!(
            token.api().asked.is_empty(),
            "no exact payment before the balance is known"
        );
        assert_eq!(
            token.send_to(account(2), 1, HELD),
            Err(TokenError::CallFailed)
        );
        assert_eq!(
            token.receive_from(account(1), 1, HELD),
            Err(TokenError::CallFailed)
        );
    }

    #[test]
    fn each_token_failure_has_its_broker_error() {
        use crate::BrokerError;
        assert_eq!(
            BrokerError::from(TokenError::CallFailed),
            BrokerError::TokenCallFailed
        );
        assert_eq!(
            BrokerError::from(TokenError::Rejected),
            BrokerError::TokenTransferRejected
        );
        assert_eq!(
            BrokerError::from(TokenError::BalanceMismatch),
            BrokerError::TokenBalanceMismatch
        );
    }

    /// How a token's answer decodes, as ink! decodes it (all of it or an
    /// error): `Ok` as it is, any `PSP22Error` as a refusal, even one
    /// carrying a string.
    #[test]
    fn any_psp22_error_is_a_refusal_and_the_answer_decodes_whole() {
        use scale::{DecodeAll, Encode};
        type TokenAnswer = Result<(), Refusal>;
        let refused =
            |bytes: Vec<u8>| matches!(TokenAnswer::decode_all(&mut &bytes[..]), Ok(Err(Refusal)));
        // `PSP22Error::Custom("rejected")`: variant 0 with its string, and
        // `InsufficientBalance`, a bare variant.
        let custom: Result<(), (u8, String)> = Err((0, "rejected".into()));
        assert!(refused(custom.encode()));
        assert!(refused(Err::<(), u8>(1).encode()));
        assert!(matches!(
            TokenAnswer::decode_all(&mut &Ok::<(), u8>(()).encode()[..]),
            Ok(Ok(()))
        ));
        // An `Ok` with bytes after it is no PSP22 answer.
        assert!(TokenAnswer::decode_all(&mut &[0u8, 7][..]).is_err());
    }
}

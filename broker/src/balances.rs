//! Balances: deposits, withdrawals, and what an account owes and may take out.
use crate::{
    data::{covered_until, BrokerData, BrokerMaps, Events, Result},
    events::*,
    types::*,
};
use ink::{
    prelude::{vec, vec::Vec},
    primitives::AccountId,
};
use p2pcloud_common::{ensure, BrokerError, Token};

/// What `account`'s active bookings accrued by `now`, and by no later than the
/// moment its balance ran out: `(total_pps * t - pps_time) / 1000`, which may
/// exceed the second-by-second sum by less than one second of the prices,
/// never fall short of it.
pub(crate) fn owed(account: &Account, now: Timestamp) -> Result<Balance> {
    let until = match covered_until(account)? {
        Some(at) => at.min(now),
        None => return Ok(0),
    };
    account
        .total_pps
        .checked_mul(u128::from(until))
        .and_then(|value| value.checked_sub(account.pps_time))
        .and_then(|value| value.checked_div(u128::from(MS_PER_SECOND)))
        .ok_or(BrokerError::Overflow)
}

/// A week of the account's bookings; nothing once its balance ran out (its
/// bookings accrue no further).
fn locked(account: &Account, now: Timestamp) -> Result<Balance> {
    match covered_until(account)? {
        Some(at) if at < now => Ok(0),
        _ => account
            .total_pps
            .checked_mul(WEEK_SECONDS)
            .ok_or(BrokerError::Overflow),
    }
}

/// `fee_bps` of `amount`, rounded down, without overflowing for any `amount`.
pub(crate) fn fee_of(amount: Balance, fee_bps: u16) -> Option<Balance> {
    let bps = u128::from(fee_bps);
    let whole = amount.checked_div(BPS_DENOMINATOR)?.checked_mul(bps)?;
    let rest = amount
        .checked_rem(BPS_DENOMINATOR)?
        .checked_mul(bps)?
        .checked_div(BPS_DENOMINATOR)?;
    whole.checked_add(rest)
}

/// What the account holds, owes, has locked and may withdraw at `now`.
pub(crate) fn report(account: &Account, now: Timestamp) -> Result<BalanceReport> {
    let owed = owed(account, now)?;
    let locked = locked(account, now)?;
    Ok(BalanceReport {
        deposited: account.balance,
        owed,
        locked,
        free: account.balance.saturating_sub(owed).saturating_sub(locked),
        runs_out_at: covered_until(account)?,
    })
}

impl<M: BrokerMaps> BrokerData<M> {
    /// Credits `amount` after pulling it from `caller` with the token.
    pub fn deposit(
        &mut self,
        token: &mut impl Token,
        caller: AccountId,
        amount: Balance,
        now: Timestamp,
    ) -> Result<Events> {
        let (account, total) = self.deposit_checks(caller, amount, now)?;
        self.pay_in(token, caller, caller, account, amount, total)?;
        let event = Deposited {
            account: caller,
            amount,
        };
        Ok(vec![BrokerEvent::Deposited(event)])
    }

    /// Credits `amount` to `beneficiary` after pulling it from `payer` with
    /// the token; refused once the beneficiary's balance ran out, and for the
    /// broker itself, which a payment out (a migration's) could never pay.
    pub fn deposit_for(
        &mut self,
        token: &mut impl Token,
        payer: AccountId,
        beneficiary: AccountId,
        amount: Balance,
        now: Timestamp,
    ) -> Result<Events> {
        ensure(
            beneficiary != token.holder(),
            BrokerError::BrokerAsBeneficiary,
        )?;
        let (account, total) = self.deposit_checks(beneficiary, amount, now)?;
        ensure(account.ran_out_at.is_none(), BrokerError::BeneficiaryRanOut)?;
        self.pay_in(token, payer, beneficiary, account, amount, total)?;
        let event = DepositedFor {
            payer,
            account: beneficiary,
            amount,
        };
        Ok(vec![BrokerEvent::DepositedFor(event)])
    }

    /// Every deposit's checks: the account as it stands and the broker's new
    /// total, within the cap.
    fn deposit_checks(
        &self,
        beneficiary: AccountId,
        amount: Balance,
        now: Timestamp,
    ) -> Result<(Account, Balance)> {
        self.ensure_not_migrating()?;
        ensure(amount > 0, BrokerError::ZeroAmount)?;
        let total = self
            .config
            .total_deposits
            .checked_add(amount)
            .filter(|total| *total <= MAX_TOTAL_DEPOSITS)
            .ok_or(BrokerError::DepositCapReached)?;
        Ok((self.account_at(beneficiary, now)?, total))
    }

    /// Pulls `amount` from `payer` and credits it to `beneficiary`, whose
    /// stored state is `account`; `total` is the broker's new total.
    fn pay_in(
        &mut self,
        token: &mut impl Token,
        payer: AccountId,
        beneficiary: AccountId,
        mut account: Account,
        amount: Balance,
        total: Balance,
    ) -> Result<()> {
        // Cannot overflow: balance <= total_deposits, and the new total fits.
        account.balance = account.balance.saturating_add(amount);
        token.receive_from(payer, amount, self.config.total_deposits)?;
        self.save_account(beneficiary, account)?;
        self.config.total_deposits = total;
        Ok(())
    }

    /// The account's balance, what it owes, what is locked and what is free.
    pub fn check_balance(&self, account: AccountId, now: Timestamp) -> Result<BalanceReport> {
        report(&self.account_at(account, now)?, now)
    }

    /// Sends `amount`, at most the free balance, to `caller`.
    pub fn withdraw(
        &mut self,
        token: &mut impl Token,
        caller: AccountId,
        amount: Balance,
        now: Timestamp,
    ) -> Result<Events> {
        ensure(amount > 0, BrokerError::ZeroAmount)?;
        let account = self.account_at(caller, now)?;
        let free = report(&account, now)?.free;
        ensure(amount <= free, BrokerError::InsufficientFreeBalance)?;
        let withdrawn = self.pay_out(token, caller, account, amount)?;
        Ok(vec![BrokerEvent::Withdrawn(withdrawn)])
    }

    /// Sends the free balance, at most `limit`, to `caller`, and says what
    /// it took from the balance; nothing free (or a zero limit) sends
    /// nothing and succeeds.
    pub fn withdraw_up_to(
        &mut self,
        token: &mut impl Token,
        caller: AccountId,
        limit: Balance,
        now: Timestamp,
    ) -> Result<(Withdrawal, Events)> {
        let account = self.account_at(caller, now)?;
        let amount = report(&account, now)?.free.min(limit);
        if amount == 0 {
            let nothing = Withdrawal {
                token: self.config.stablecoin,
                amount,
            };
            return Ok((nothing, Vec::new()));
        }
        let withdrawn = self.pay_out(token, caller, account, amount)?;
        let withdrawal = Withdrawal {
            token: self.config.stablecoin,
            amount: withdrawn.amount,
        };
        Ok((withdrawal, vec![BrokerEvent::Withdrawn(withdrawn)]))
    }

    /// Sends `amount`, at most `account`'s free balance, to its owner
    /// `caller`, and says what it took from the balance: what the broker
    /// still holds beyond its debts (what the token did not move) stays in
    /// the balance (`Token::send_to`).
    fn pay_out(
        &mut self,
        token: &mut impl Token,
        caller: AccountId,
        mut account: Account,
        amount: Balance,
    ) -> Result<Withdrawn> {
        let paid = token.send_to(caller, amount, self.config.total_deposits)?;
        // Cannot underflow: paid <= amount <= balance <= total_deposits.
        account.balance = account.balance.saturating_sub(paid);
        let total = self.config.total_deposits.saturating_sub(paid);
        self.save_account(caller, account)?;
        self.config.total_deposits = total;
        Ok(Withdrawn {
            account: caller,
            amount: paid,
        })
    }
}

//! `p2pcloud deposit`, `withdraw`, `balance` and `token ...`: money in and
//! out of the broker, and what an account holds.
use crate::{context::Context, error::CliError, error::NotDone, values::Withdrawal};
use clap::{Args, Subcommand};
use p2pcloud_client::{
    chain::Outcome,
    domain::{ss58, Address, Amount, Balance, TokenAmount},
    sdk::{P2pCloud, TokenInfo},
    time_left::BalanceSummary,
};
use serde_json::json;

#[derive(Args)]
pub struct DepositCommand {
    amount: Amount,
    #[arg(long = "for", value_name = "ACCOUNT")]
    beneficiary: Option<Address>,
}

impl DepositCommand {
    pub async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        let (mut session, token) = ctx.market(true).await?;
        let value = self.amount.in_units(token.decimals)?;
        let sent = match self.beneficiary {
            Some(account) => session.deposit_for(account.0, value).await,
            None => session.deposit(value).await,
        }
        .not_done("nothing deposited")?;
        let mut record = json!({
            "deposited": TokenAmount::new(value, token.decimals).to_string(),
            "symbol": token.symbol,
        });
        if let Some(account) = self.beneficiary {
            record["for"] = json!(account.to_string());
        }
        ctx.sent(&sent, record);
        Ok(())
    }
}

#[derive(Args)]
pub struct WithdrawCommand {
    amount: Withdrawal,
}

impl WithdrawCommand {
    pub async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        let (mut session, token) = ctx.market(true).await?;
        match &self.amount {
            // All that is free when the call runs: a running booking frees
            // less every second, so a figure read first could be too much.
            Withdrawal::All => {
                let sent = session
                    .withdraw_up_to(Balance::MAX)
                    .await
                    .not_done("nothing withdrawn")?;
                record_withdrawal(ctx, &sent, sent.value.amount, sent.value.amount, &token);
            }
            Withdrawal::Amount(amount) => {
                let value = amount.in_units(token.decimals)?;
                let sent = session
                    .withdraw(value)
                    .await
                    .not_done("nothing withdrawn")?;
                record_withdrawal(ctx, &sent, value, sent.value, &token);
            }
        }
        Ok(())
    }
}

/// Says what a withdrawal took from the balance, in the token's units, and
/// what of what was asked stayed there: what the token did not move.
fn record_withdrawal<T>(
    ctx: &Context,
    sent: &Outcome<T>,
    asked: Balance,
    taken: Balance,
    token: &TokenInfo,
) {
    let units = |value| TokenAmount::new(value, token.decimals).to_string();
    let mut answer = json!({ "withdrawn": units(taken), "symbol": token.symbol });
    if taken < asked {
        answer["left_in_balance"] = units(asked.saturating_sub(taken)).into();
    }
    ctx.sent(sent, answer);
}

#[derive(Args)]
pub struct BalanceCommand {
    account: Option<Address>,
}

impl BalanceCommand {
    pub async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        let (mut session, token) = ctx.market(false).await?;
        let account = ctx.account_or_own(&session, self.account)?;
        let report = session.balance(account).await?;
        let now = session.now().await?;
        let summary =
            BalanceSummary::new(ss58(&account), &report, now, &token.symbol, token.decimals);
        ctx.out.answer(&summary);
        Ok(())
    }
}

#[derive(Subcommand)]
pub enum TokenCommand {
    Balance { account: Option<Address> },
    Mint { amount: Amount },
}

impl TokenCommand {
    pub async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        let signs = matches!(self, Self::Mint { .. });
        let (mut session, token) = ctx.market(signs).await?;
        match self {
            Self::Balance { account } => {
                let account = ctx.account_or_own(&session, *account)?;
                let units = session.token_balance(account).await?;
                ctx.out.record(&json!({
                    "account": ss58(&account),
                    "balance": TokenAmount::new(units, token.decimals).to_string(),
                    "symbol": token.symbol,
                }));
            }
            Self::Mint { amount } => {
                let value = amount.in_units(token.decimals)?;
                let sent = session.mint(value).await.not_done("nothing minted")?;
                let minted = TokenAmount::new(value, token.decimals).to_string();
                ctx.sent(&sent, json!({ "minted": minted, "symbol": token.symbol }));
            }
        }
        Ok(())
    }
}

//! The stablecoin and a user's balance in the broker: deposits (approved
//! only once the broker's checks pass), withdrawals and what the balance
//! holds, owes and covers.
use super::{Session, TokenInfo};
use crate::{
    chain::{account_of, Chain, Env, Message, Outcome},
    domain::{emitted_by, Balance},
    Error,
};
use broker::{
    events::Withdrawn,
    types::{BalanceReport, Withdrawal},
    BrokerError,
};
use ink::{codegen::TraitCallBuilder, env::call::FromAccountId, primitives::AccountId};
use psp22::{PSP22Error, PSP22Metadata, PSP22Mintable, PSP22};
use scale::Encode;

type TokenCalls = ink::contract_ref!(PSP22, Env);
type TokenMetadataCalls = ink::contract_ref!(PSP22Metadata, Env);
type MintableCalls = ink::contract_ref!(PSP22Mintable, Env);

impl<C: Chain> Session<C> {
    /// Mints `amount` of the stablecoin to the signer: psp22-mock and other
    /// tokens with an open `PSP22Mintable::mint` only, for test chains.
    pub async fn mint(&mut self, amount: Balance) -> Result<Outcome<()>, Error> {
        let (_, mut token): (_, MintableCalls) = self.stablecoin().await?;
        self.send(&token.call_mut().mint(amount)).await
    }

    /// The broker's stablecoin: its address and a builder of its calls
    /// through one of the PSP22 traits (`T`).
    async fn stablecoin<T: FromAccountId<Env>>(&mut self) -> Result<(AccountId, T), Error> {
        let address = self
            .query(&self.protocol.broker.get_stablecoin_address())
            .await?;
        Ok((address, T::from_account_id(address)))
    }

    /// Sends a message that pulls `amount` from the signer into the broker
    /// (`deposit_coin`, `deposit_for`), approving the broker first.
    async fn pay_in<Args>(
        &mut self,
        message: &Message<Args, Result<(), BrokerError>>,
        amount: Balance,
    ) -> Result<Outcome<()>, Error>
    where
        Args: Encode + Clone + Sync,
    {
        // Every check that can refuse the deposit runs before the approval,
        // so a refused deposit leaves no allowance behind. Without the
        // allowance the dry run can only fail at the token.
        match self.query(message).await? {
            Ok(())
            | Err(
                BrokerError::TokenCallFailed
                | BrokerError::TokenTransferRejected
                | BrokerError::TokenBalanceMismatch,
            ) => {}
            Err(refused) => return Err(refused.into()),
        }
        let me = account_of(&self.signer);
        if token_balance(self, me).await? < amount {
            return Err(Error::Token(PSP22Error::InsufficientBalance));
        }
        let (_, mut token): (_, TokenCalls) = self.stablecoin().await?;
        let broker_id = self.protocol.broker_id;
        let allowance = self.query(&token.call().allowance(me, broker_id)).await?;
        if allowance < amount {
            let approved = self
                .send(&token.call_mut().approve(broker_id, amount))
                .await?;
            if self.simulate {
                // The deposit's own dry run needs the approval on chain.
                return Ok(approved);
            }
        }
        self.send(message).await
    }
}

pub(super) async fn token<C: Chain>(session: &mut Session<C>) -> Result<TokenInfo, Error> {
    let (address, metadata): (_, TokenMetadataCalls) = session.stablecoin().await?;
    Ok(TokenInfo {
        address,
        symbol: session
            .query(&metadata.call().token_symbol())
            .await?
            .unwrap_or_else(|| "units".into()),
        decimals: session.query(&metadata.call().token_decimals()).await?,
    })
}

pub(super) async fn token_balance<C: Chain>(
    session: &mut Session<C>,
    account: AccountId,
) -> Result<Balance, Error> {
    let (_, token): (_, TokenCalls) = session.stablecoin().await?;
    session.query(&token.call().balance_of(account)).await
}

pub(super) async fn deposit<C: Chain>(
    session: &mut Session<C>,
    amount: Balance,
) -> Result<Outcome<()>, Error> {
    let message = session.protocol.broker.deposit_coin(amount);
    session.pay_in(&message, amount).await
}

pub(super) async fn deposit_for<C: Chain>(
    session: &mut Session<C>,
    account: AccountId,
    amount: Balance,
) -> Result<Outcome<()>, Error> {
    let message = session.protocol.broker.deposit_for(account, amount);
    session.pay_in(&message, amount).await
}

/// Answers what was taken from the balance, from the `Withdrawn` event:
/// what the token did not move stays there. A dry run answers the amount
/// asked.
pub(super) async fn withdraw<C: Chain>(
    session: &mut Session<C>,
    amount: Balance,
) -> Result<Outcome<Balance>, Error> {
    let message = session.protocol.broker.withdraw_coin(amount);
    let sent = session.send(&message).await?;
    let taken = if session.simulate {
        amount
    } else {
        taken_from_balance(&sent, session.protocol.broker_id)
    };
    Ok(Outcome {
        value: taken,
        events: sent.events,
        cost: sent.cost,
    })
}

/// Refused before it is sent when its dry run sends nothing. Submitted, what
/// it sent is read from its `Withdrawn` event (none: nothing): a booking, or
/// another withdrawal, may have used some of the balance since the dry run.
pub(super) async fn withdraw_up_to<C: Chain>(
    session: &mut Session<C>,
    limit: Balance,
) -> Result<Outcome<Withdrawal>, Error> {
    let message = session.protocol.broker.withdraw_up_to(limit);
    let mut sent = session
        .send_unless(&message, |answer| {
            (answer.amount == 0).then_some(Error::NothingFree)
        })
        .await?;
    if !session.simulate {
        sent.value.amount = taken_from_balance(&sent, session.protocol.broker_id);
    }
    Ok(sent)
}

/// What a submitted withdrawal's `Withdrawn` event, the broker's, says it
/// took from the balance.
fn taken_from_balance<T>(sent: &Outcome<T>, broker: AccountId) -> Balance {
    emitted_by::<Withdrawn>(&sent.events, broker).map_or(0, |event| event.amount)
}

pub(super) async fn report<C: Chain>(
    session: &mut Session<C>,
    account: AccountId,
) -> Result<BalanceReport, Error> {
    let message = session.protocol.broker.check_balance(account);
    Ok(session.query(&message).await??)
}

//! How a session's messages reach the chain: every message dry-run first,
//! submitted unless refused or simulated; the ids a message allocates read
//! from its events; paged getters read to their last page.
use super::Session;
use crate::{
    chain::{Chain, Message, Outcome},
    domain::decode,
    Error,
};
use p2pcloud_common::Page;
use scale::{Decode, Encode};

impl<C: Chain> Session<C> {
    /// Dry-runs `message`; submits it unless it is refused or the session
    /// only simulates.
    pub(super) async fn send<Args, T, E>(
        &mut self,
        message: &Message<Args, Result<T, E>>,
    ) -> Result<Outcome<T>, Error>
    where
        Args: Encode + Clone + Sync,
        T: Decode + Send,
        E: Decode + Send + Into<Error>,
    {
        self.send_unless(message, |_| None).await
    }

    /// As `send`, also not submitted when `refuse` finds an error in the dry
    /// run's answer (one that would change nothing, say).
    pub(super) async fn send_unless<Args, T, E>(
        &mut self,
        message: &Message<Args, Result<T, E>>,
        refuse: impl FnOnce(&T) -> Option<Error>,
    ) -> Result<Outcome<T>, Error>
    where
        Args: Encode + Clone + Sync,
        T: Decode + Send,
        E: Decode + Send + Into<Error>,
    {
        let (answer, cost) = self.chain.estimate(&self.signer, message).await?;
        let value = answer.map_err(Into::into)?;
        if let Some(error) = refuse(&value) {
            return Err(error);
        }
        if self.simulate {
            return Ok(Outcome {
                value,
                events: Vec::new(),
                cost,
            });
        }
        let outcome = self.chain.call(&self.signer, message).await?;
        Ok(Outcome {
            value: outcome.value.map_err(Into::into)?,
            events: outcome.events,
            cost: outcome.cost,
        })
    }

    /// The id a submitted message allocated, from its event `E`: the dry
    /// run's answer may be stale if another transaction landed first. A
    /// simulation keeps the dry run's answer.
    pub(super) fn allocated<Id, E: ink::env::Event + Decode>(
        &self,
        sent: Outcome<Id>,
        id_of: impl Fn(E) -> Id,
    ) -> Result<Outcome<Id>, Error> {
        if self.simulate {
            return Ok(sent);
        }
        let event =
            sent.events.iter().find_map(decode::<E>).ok_or_else(|| {
                Error::Unexpected("the message emitted no event with its id".into())
            })?;
        Ok(Outcome {
            value: id_of(event),
            events: sent.events,
            cost: sent.cost,
        })
    }

    pub(super) async fn query<Args, R>(&mut self, message: &Message<Args, R>) -> Result<R, Error>
    where
        Args: Encode + Clone + Sync,
        R: Decode + Send,
    {
        Ok(self.chain.query(&self.signer, message).await?)
    }

    /// Every item of a paged getter, page by page.
    pub(super) async fn all_pages<Id, T, Args, E>(
        &mut self,
        page: impl Fn(Option<Id>) -> Message<Args, Result<Page<Id, T>, E>>,
    ) -> Result<Vec<(Id, T)>, Error>
    where
        Id: Decode + Send + Copy,
        T: Decode + Send,
        Args: Encode + Clone + Sync,
        E: Decode + Send + Into<Error>,
    {
        let mut items = Vec::new();
        let mut cursor = None;
        loop {
            let next = self.query(&page(cursor)).await?.map_err(Into::into)?;
            items.extend(next.items);
            match next.next {
                Some(id) => cursor = Some(id),
                None => return Ok(items),
            }
        }
    }
}

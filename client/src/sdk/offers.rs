//! A miner's offers and where users reach the miner.
use super::Session;
use crate::{
    chain::{Chain, Outcome},
    domain::Balance,
    Error,
};
use broker::{
    events::OfferAdded,
    types::{Offer, OfferId},
};
use ink::primitives::AccountId;
use p2pcloud_common::MAX_PAGE_LIMIT;

pub(super) async fn add<C: Chain>(
    session: &mut Session<C>,
    vm_type_id: u32,
    price_per_second: Balance,
    machines: u32,
    specs: [u8; 32],
) -> Result<Outcome<OfferId>, Error> {
    let message = session
        .protocol
        .broker
        .add_offer(vm_type_id, price_per_second, machines, specs);
    let sent = session.send(&message).await?;
    session.allocated(sent, |added: OfferAdded| added.offer_id)
}

pub(super) async fn update<C: Chain>(
    session: &mut Session<C>,
    offer_id: OfferId,
    price_per_second: Balance,
    machines: u32,
) -> Result<Outcome<()>, Error> {
    let message = session
        .protocol
        .broker
        .update_offer(offer_id, price_per_second, machines);
    session.send(&message).await
}

pub(super) async fn remove<C: Chain>(
    session: &mut Session<C>,
    offer_id: OfferId,
) -> Result<Outcome<()>, Error> {
    let message = session.protocol.broker.remove_offer(offer_id);
    session.send(&message).await
}

pub(super) async fn get<C: Chain>(
    session: &mut Session<C>,
    offer_id: OfferId,
) -> Result<Option<Offer>, Error> {
    let message = session.protocol.broker.get_offer(offer_id);
    session.query(&message).await
}

pub(super) async fn of_miner<C: Chain>(
    session: &mut Session<C>,
    miner: AccountId,
) -> Result<Vec<(OfferId, Offer)>, Error> {
    let broker = session.protocol.broker.clone();
    session
        .all_pages(|cursor| broker.get_miners_offers(miner, cursor, MAX_PAGE_LIMIT))
        .await
}

pub(super) async fn available<C: Chain>(
    session: &mut Session<C>,
    vm_type_id: Option<u32>,
) -> Result<Vec<(OfferId, Offer)>, Error> {
    let broker = session.protocol.broker.clone();
    session
        .all_pages(|cursor| broker.get_available_offers(vm_type_id, cursor, MAX_PAGE_LIMIT))
        .await
}

pub(super) async fn set_miner_url<C: Chain>(
    session: &mut Session<C>,
    url: String,
) -> Result<Outcome<()>, Error> {
    let message = session.protocol.broker.set_miner_url(url);
    session.send(&message).await
}

pub(super) async fn miner_url<C: Chain>(
    session: &mut Session<C>,
    miner: AccountId,
) -> Result<Option<String>, Error> {
    let message = session.protocol.broker.get_miner_url(miner);
    session.query(&message).await
}

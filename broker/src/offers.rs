//! Offers: what miners rent out, and where users reach them.
use crate::{
    data::{BrokerData, BrokerMaps, Events, Result},
    events::*,
    lists::ListId,
    types::*,
};
use ink::{
    prelude::{string::String, vec},
    primitives::AccountId,
};
use p2pcloud_common::{ensure, BrokerError, Page, Store};

pub(crate) fn check_price(price_per_second: Balance) -> Result<()> {
    ensure(price_per_second > 0, BrokerError::ZeroPrice)?;
    ensure(
        price_per_second <= MAX_PRICE_PER_SECOND,
        BrokerError::PriceTooHigh,
    )
}

/// The lists an offer is in from its creation to its removal.
fn offer_lists(miner: AccountId, vm_type_id: u32) -> [ListId; 3] {
    [
        ListId::MinerOffers(miner),
        ListId::Offers,
        ListId::OffersOfType(vm_type_id),
    ]
}

impl<M: BrokerMaps> BrokerData<M> {
    pub fn add_offer(
        &mut self,
        miner: AccountId,
        vm_type_id: u32,
        price_per_second: Balance,
        machines: u32,
        specs: [u8; 32],
    ) -> Result<(OfferId, Events)> {
        // A price names the token; while it changes there is none to name.
        self.ensure_not_migrating()?;
        check_price(price_per_second)?;
        ensure(machines > 0, BrokerError::ZeroMachines)?;
        let offer_id = self.config.next_offer_id;
        let next_offer_id = offer_id.checked_add(1).ok_or(BrokerError::Overflow)?;

        let offer = Offer {
            miner,
            vm_type_id,
            price_per_second,
            machines,
            booked: 0,
            specs,
            closed: false,
        };
        self.config.next_offer_id = next_offer_id;
        self.offers.insert(&offer_id, &offer);
        for list in offer_lists(miner, vm_type_id) {
            self.push(list, offer_id);
        }
        let event = OfferAdded {
            offer_id,
            miner,
            vm_type_id,
            price_per_second,
            machines,
            specs,
        };
        Ok((offer_id, vec![BrokerEvent::OfferAdded(event)]))
    }

    pub fn update_offer(
        &mut self,
        caller: AccountId,
        offer_id: OfferId,
        price_per_second: Balance,
        machines: u32,
    ) -> Result<Events> {
        self.ensure_not_migrating()?;
        let mut offer = self.open_offer_of(caller, offer_id)?;
        check_price(price_per_second)?;
        ensure(machines > 0, BrokerError::ZeroMachines)?;
        ensure(machines >= offer.booked, BrokerError::MachinesBelowBooked)?;

        offer.price_per_second = price_per_second;
        offer.machines = machines;
        self.offers.insert(&offer_id, &offer);
        let event = OfferUpdated {
            offer_id,
            miner: caller,
            price_per_second,
            machines,
        };
        Ok(vec![BrokerEvent::OfferUpdated(event)])
    }

    /// Removes the offer, or closes it while it has bookings: it then takes
    /// no new ones and is removed when its last booking ends.
    pub fn remove_offer(&mut self, caller: AccountId, offer_id: OfferId) -> Result<Events> {
        let mut offer = self.open_offer_of(caller, offer_id)?;
        if offer.booked == 0 {
            return Ok(vec![self.delete_offer(offer_id, &offer)]);
        }
        offer.closed = true;
        self.offers.insert(&offer_id, &offer);
        let event = OfferClosed {
            offer_id,
            miner: caller,
        };
        Ok(vec![BrokerEvent::OfferClosed(event)])
    }

    pub fn offer(&self, offer_id: OfferId) -> Option<Offer> {
        self.offers.get(&offer_id)
    }

    pub fn miners_offers(
        &self,
        miner: AccountId,
        cursor: Option<OfferId>,
        limit: u32,
    ) -> Result<Page<OfferId, Offer>> {
        self.page(
            ListId::MinerOffers(miner),
            cursor,
            limit,
            &self.offers,
            |_| true,
        )
    }

    /// Open offers with a free machine, of one VM type or of all, in id order.
    /// Scans `limit` offers, so a page may hold fewer: go on from `next`.
    pub fn available_offers(
        &self,
        vm_type_id: Option<u32>,
        cursor: Option<OfferId>,
        limit: u32,
    ) -> Result<Page<OfferId, Offer>> {
        let list = match vm_type_id {
            Some(vm_type_id) => ListId::OffersOfType(vm_type_id),
            None => ListId::Offers,
        };
        self.page(list, cursor, limit, &self.offers, Offer::is_available)
    }

    /// Sets where users reach `miner`; an empty URL clears it.
    pub fn set_miner_url(&mut self, miner: AccountId, url: String) -> Result<()> {
        ensure(url.len() <= MAX_URL_LEN, BrokerError::UrlTooLong)?;
        if url.is_empty() {
            self.urls.remove(&miner);
        } else {
            self.urls.insert(&miner, &url);
        }
        Ok(())
    }

    pub fn miner_url(&self, miner: AccountId) -> Option<String> {
        self.urls.get(&miner)
    }

    /// The caller's offer, if it is still open.
    fn open_offer_of(&self, caller: AccountId, offer_id: OfferId) -> Result<Offer> {
        let offer = self
            .offers
            .get(&offer_id)
            .ok_or(BrokerError::UnknownOffer)?;
        ensure(offer.miner == caller, BrokerError::NotOfferOwner)?;
        ensure(!offer.closed, BrokerError::OfferClosed)?;
        Ok(offer)
    }

    /// Removes a listed offer as a migration step, which runs only once
    /// every booking ended, so none of its machines is booked.
    pub(crate) fn remove_offer_for_migration(&mut self, offer_id: OfferId) -> Result<BrokerEvent> {
        // A listed offer is stored.
        let offer = self.offers.get(&offer_id).ok_or(BrokerError::Overflow)?;
        Ok(self.delete_offer(offer_id, &offer))
    }

    /// Frees one machine of a booking that ended; a closed offer whose last
    /// booking this was is removed.
    pub(crate) fn release_machine(&mut self, offer_id: OfferId) -> Option<BrokerEvent> {
        // An offer is only deleted once no booking holds a machine of it.
        let mut offer = self.offers.get(&offer_id)?;
        // Cannot underflow: the booking that ends holds one of the booked machines.
        offer.booked = offer.booked.saturating_sub(1);
        if offer.closed && offer.booked == 0 {
            return Some(self.delete_offer(offer_id, &offer));
        }
        self.offers.insert(&offer_id, &offer);
        None
    }

    fn delete_offer(&mut self, offer_id: OfferId, offer: &Offer) -> BrokerEvent {
        self.offers.remove(&offer_id);
        for list in offer_lists(offer.miner, offer.vm_type_id) {
            self.unlink(list, offer_id);
        }
        BrokerEvent::OfferRemoved(OfferRemoved {
            offer_id,
            miner: offer.miner,
        })
    }
}

//! Owner lists (a miner's offers, a user's bookings, the offers with a free
//! machine): doubly linked lists in a key-value store, so insert and remove are
//! O(1) and a page costs the same whatever the list's length.
use ink::{prelude::vec::Vec, primitives::AccountId};
use p2pcloud_common::{BrokerError, Store, MAX_PAGE_LIMIT};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
#[allow(clippy::cast_possible_truncation)] // false positive in the codec derive
pub enum ListId {
    MinerOffers(AccountId),
    AvailableOffers,
    AvailableOffersOfType(u32),
    UserBookings(AccountId),
    MinerBookings(AccountId),
}

/// An item's neighbours in one list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Link {
    pub prev: Option<u64>,
    pub next: Option<u64>,
}

/// First and last item of a non-empty list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Ends {
    pub head: u64,
    pub tail: u64,
}

/// Appends `id`, which must not be in `list` yet.
pub fn push_back<L, E>(links: &mut L, ends: &mut E, list: ListId, id: u64)
where
    L: Store<(ListId, u64), Link>,
    E: Store<ListId, Ends>,
{
    match ends.get(&list) {
        None => {
            links.insert(&(list, id), &Link::default());
            ends.insert(&list, &Ends { head: id, tail: id });
        }
        Some(Ends { head, tail }) => {
            let mut last = links.get(&(list, tail)).unwrap_or_default();
            last.next = Some(id);
            links.insert(&(list, tail), &last);
            let link = Link {
                prev: Some(tail),
                next: None,
            };
            links.insert(&(list, id), &link);
            ends.insert(&list, &Ends { head, tail: id });
        }
    }
}

/// Unlinks `id` from `list`; does nothing if it is not there.
pub fn remove<L, E>(links: &mut L, ends: &mut E, list: ListId, id: u64)
where
    L: Store<(ListId, u64), Link>,
    E: Store<ListId, Ends>,
{
    let Some(link) = links.get(&(list, id)) else {
        return;
    };
    links.remove(&(list, id));
    if let Some(prev) = link.prev {
        let mut p = links.get(&(list, prev)).unwrap_or_default();
        p.next = link.next;
        links.insert(&(list, prev), &p);
    }
    if let Some(next) = link.next {
        let mut n = links.get(&(list, next)).unwrap_or_default();
        n.prev = link.prev;
        links.insert(&(list, next), &n);
    }
    let Some(mut list_ends) = ends.get(&list) else {
        return;
    };
    match (link.prev, link.next) {
        (None, None) => ends.remove(&list),
        (prev, next) => {
            if let (None, Some(next)) = (prev, next) {
                list_ends.head = next;
            }
            if let (Some(prev), None) = (prev, next) {
                list_ends.tail = prev;
            }
            ends.insert(&list, &list_ends);
        }
    }
}

/// Up to `limit` ids of `list` in insertion order, from `cursor` (an id of the
/// list; `None` is the head), and the id the next page starts at.
pub fn page<L, E>(
    links: &L,
    ends: &E,
    list: ListId,
    cursor: Option<u64>,
    limit: u32,
) -> Result<(Vec<u64>, Option<u64>), BrokerError>
where
    L: Store<(ListId, u64), Link>,
    E: Store<ListId, Ends>,
{
    if limit == 0 || limit > MAX_PAGE_LIMIT {
        return Err(BrokerError::PageLimitOutOfRange);
    }
    let mut next = match cursor {
        Some(id) if links.get(&(list, id)).is_some() => Some(id),
        Some(_) => return Err(BrokerError::UnknownCursor),
        None => ends.get(&list).map(|e| e.head),
    };
    let mut ids = Vec::new();
    let mut taken: u32 = 0;
    while let Some(id) = next {
        if taken == limit {
            break;
        }
        taken = taken.saturating_add(1);
        ids.push(id);
        next = links.get(&(list, id)).and_then(|l| l.next);
    }
    Ok((ids, next))
}

/// The lists an offer is in while it has a free machine.
pub fn availability_lists(vm_type_id: u32) -> [ListId; 2] {
    [
        ListId::AvailableOffers,
        ListId::AvailableOffersOfType(vm_type_id),
    ]
}

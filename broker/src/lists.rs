//! Owner lists (a miner's offers, the offers of a VM type, a user's bookings,
//! all active bookings): doubly linked lists in a key-value store, so insert
//! and remove are O(1) and a page costs the same whatever the list's length.
//!
//! Items are only ever appended, with ids that grow, so every list is sorted
//! by id. That is what makes paging safe under changes: a page continues at
//! the first id at or after the cursor that is still in the list, so no item
//! that stays in the list is skipped or returned twice.
use ink::{prelude::vec::Vec, primitives::AccountId};
use p2pcloud_common::{ensure, page_limit_in_range, BrokerError, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
#[allow(clippy::cast_possible_truncation)] // false positive in the codec derive
pub enum ListId {
    MinerOffers(AccountId),
    /// Every offer, open or closed, until it is removed.
    Offers,
    OffersOfType(u32),
    UserBookings(AccountId),
    MinerBookings(AccountId),
    /// Every active booking (a migration ends them all).
    Bookings,
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

/// Appends `id`, which must be greater than every id in `list`.
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
    let Some(list_ends) = ends.get(&list) else {
        return;
    };
    match (link.prev, link.next) {
        (None, None) => ends.remove(&list),
        (None, Some(next)) => ends.insert(
            &list,
            &Ends {
                head: next,
                ..list_ends
            },
        ),
        (Some(prev), None) => ends.insert(
            &list,
            &Ends {
                tail: prev,
                ..list_ends
            },
        ),
        (Some(_), Some(_)) => {}
    }
}

/// The first id of `list`, if any.
pub fn first<E: Store<ListId, Ends>>(ends: &E, list: ListId) -> Option<u64> {
    ends.get(&list).map(|e| e.head)
}

/// Up to `limit` ids of `list` in order, from the first id at or after
/// `cursor` (`None`: the head), and the cursor of the next page. A cursor
/// whose item has left the list is followed by probing the ids after it; each
/// probe counts against `limit`, so a page may come back short or empty with
/// a cursor to go on from.
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
    ensure(page_limit_in_range(limit), BrokerError::PageLimitOutOfRange)?;
    let mut ids = Vec::new();
    let Some(Ends { head, tail }) = ends.get(&list) else {
        return Ok((ids, None));
    };
    let mut budget = limit;
    let mut next = match cursor {
        None => Some(head),
        Some(id) if id <= head => Some(head),
        Some(id) if id > tail => None,
        Some(mut id) => loop {
            // head < id <= tail, and the tail is in the list: this ends.
            if links.get(&(list, id)).is_some() {
                break Some(id);
            }
            budget = budget.saturating_sub(1);
            id = id.saturating_add(1);
            if budget == 0 {
                return Ok((ids, Some(id)));
            }
        },
    };
    while let Some(id) = next {
        if budget == 0 {
            break;
        }
        budget = budget.saturating_sub(1);
        ids.push(id);
        next = links.get(&(list, id)).and_then(|l| l.next);
    }
    Ok((ids, next))
}

use ink::prelude::vec::Vec;

/// The most items one page of a paginated query returns.
pub const MAX_PAGE_LIMIT: u32 = 100;

/// Whether a page may hold `limit` items: 1 to `MAX_PAGE_LIMIT`.
pub fn page_limit_in_range(limit: u32) -> bool {
    limit > 0 && limit <= MAX_PAGE_LIMIT
}

/// One page of a paginated query: the items with their ids, and the id to pass
/// as `cursor` for the next page (`None` on the last page).
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub struct Page<Id, T> {
    pub items: Vec<(Id, T)>,
    pub next: Option<Id>,
}

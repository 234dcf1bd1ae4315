use ink::prelude::vec::Vec;

/// The most items one page of a paginated query returns.
pub const MAX_PAGE_LIMIT: u32 = 100;

/// One page of a paginated query: the items with their ids, and the id to pass
/// as `cursor` for the next page (`None` on the last page).
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub struct Page<Id, T> {
    pub items: Vec<(Id, T)>,
    pub next: Option<Id>,
}

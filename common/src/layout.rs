//! What both contracts share about their storage layouts.

/// `migrate_storage` rewrote the contract's storage from layout `from` into `to`.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageMigrated {
    pub from: u16,
    pub to: u16,
}

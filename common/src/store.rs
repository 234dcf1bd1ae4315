use ink::storage::{
    traits::{Packed, StorageKey},
    Mapping,
};

/// A key-value store. Contract cores are written against this trait so the same
/// rules run over ink! `Mapping`s on-chain and over in-memory maps in tests,
/// property tests and fuzzing, without ink!'s off-chain engine.
pub trait Store<K, V> {
    fn get(&self, key: &K) -> Option<V>;
    fn insert(&mut self, key: &K, value: &V);
    fn remove(&mut self, key: &K);
}

impl<K, V, KeyType> Store<K, V> for Mapping<K, V, KeyType>
where
    K: scale::Encode,
    V: Packed + scale::EncodeLike,
    KeyType: StorageKey,
{
    fn get(&self, key: &K) -> Option<V> {
        Mapping::get(self, key)
    }

    fn insert(&mut self, key: &K, value: &V) {
        Mapping::insert(self, key, value);
    }

    fn remove(&mut self, key: &K) {
        Mapping::remove(self, key)
    }
}

#[cfg(feature = "std")]
impl<K: Ord + Clone, V: Clone> Store<K, V> for std::collections::BTreeMap<K, V> {
    fn get(&self, key: &K) -> Option<V> {
        std::collections::BTreeMap::get(self, key).cloned()
    }

    fn insert(&mut self, key: &K, value: &V) {
        std::collections::BTreeMap::insert(self, key.clone(), value.clone());
    }

    fn remove(&mut self, key: &K) {
        std::collections::BTreeMap::remove(self, key);
    }
}

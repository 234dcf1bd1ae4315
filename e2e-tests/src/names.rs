//! How the demo's lines read: accounts by the names of who they are, and
//! amounts of the mock stablecoin in mUSD.
use ink::primitives::AccountId;
use p2pcloud_client::domain::ss58;

/// Replaces account ids in printed lines by the names of who they are.
#[derive(Default)]
pub struct Names(Vec<(String, String)>);

impl Names {
    /// Names `account` in both the forms lines show it in: Rust's debug
    /// form and the SS58 address the metadata's decoder prints.
    pub fn add(&mut self, account: AccountId, name: &str) {
        self.0.push((format!("{account:?}"), name.to_string()));
        self.0.push((ss58(&account), name.to_string()));
    }

    pub fn apply(&self, line: &str) -> String {
        self.0
            .iter()
            .fold(line.to_string(), |line, (id, name)| line.replace(id, name))
    }
}

/// An amount of the 6-decimal mock stablecoin, in mUSD.
pub fn musd(units: u128) -> String {
    format!("{}.{:06} mUSD", units / 1_000_000, units % 1_000_000)
}

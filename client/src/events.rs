//! Recognises contract events by their signature topic, so scenarios can pick
//! out the ones they check and the demo can print every one by name.
use crate::{
    bundles::{build_sh_folder, DEPLOYED},
    chain::Emitted,
};
use contract_transcode::ContractMessageTranscoder;
use scale::{Decode, Encode};
use std::sync::OnceLock;

/// The first event of type `E` among `events`, with its topics.
pub fn find<E: ink::env::Event + Decode>(events: &[Emitted]) -> Option<(E, Vec<[u8; 32]>)> {
    events
        .iter()
        .find_map(|event| decode::<E>(event).map(|e| (e, event.topics.clone())))
}

/// `event` decoded as `E`, if `E`'s signature topic is its first topic.
pub fn decode<E: ink::env::Event + Decode>(event: &Emitted) -> Option<E> {
    let signature = E::SIGNATURE_TOPIC?;
    if event.topics.first() != Some(&signature) {
        return None;
    }
    E::decode(&mut &event.data[..]).ok()
}

/// Where the metadata `describe` reads is; `scripts/build.sh`'s folder
/// unless `use_metadata_from` named another before the first event.
static METADATA_FOLDER: OnceLock<std::path::PathBuf> = OnceLock::new();

/// Reads event metadata from `folder` (`<name>/<name>.json` per contract);
/// `false` if events were described from another folder already.
pub fn use_metadata_from(folder: std::path::PathBuf) -> bool {
    METADATA_FOLDER.set(folder).is_ok()
}

/// The deployed contracts' metadata, read once from the bundles' folder: it
/// names every event and says how to decode its fields.
fn transcoders() -> &'static [ContractMessageTranscoder] {
    static LOADED: OnceLock<Vec<ContractMessageTranscoder>> = OnceLock::new();
    LOADED.get_or_init(|| {
        let folder = METADATA_FOLDER.get_or_init(build_sh_folder);
        DEPLOYED
            .iter()
            .filter_map(|name| {
                ContractMessageTranscoder::load(folder.join(name).join(format!("{name}.json"))).ok()
            })
            .collect()
    })
}

/// One line naming the event and its fields, as the contracts' metadata
/// describes them.
pub fn describe(event: &Emitted) -> String {
    let Some(signature) = event.topics.first() else {
        return format!("an anonymous event of {}", ss58(&event.contract));
    };
    // Decoding expects the data as pallet-contracts stores it: length-prefixed.
    let mut data = scale::Compact(event.data.len() as u32).encode();
    data.extend_from_slice(&event.data);
    transcoders()
        .iter()
        .find_map(|transcoder| {
            transcoder
                .decode_contract_event(signature, &mut &data[..])
                .ok()
        })
        .map_or_else(
            || {
                format!(
                    "an event of {} that the contracts' metadata does not name",
                    ss58(&event.contract)
                )
            },
            |decoded| decoded.to_string(),
        )
}

pub use p2pcloud_common::testing::topic;

/// Replaces account ids in printed lines by the names of who they are.
#[derive(Default)]
pub struct Names(Vec<(String, String)>);

impl Names {
    /// Names `account` in both the forms lines show it in: Rust's debug
    /// form and the SS58 address the metadata's decoder prints.
    pub fn add(&mut self, account: ink::primitives::AccountId, name: &str) {
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

/// An account as an SS58 address (generic prefix 42), as wallets show it.
pub fn ss58(account: &ink::primitives::AccountId) -> String {
    let bytes: [u8; 32] = *account.as_ref();
    subxt::utils::AccountId32::from(bytes).to_string()
}

/// An account as 0x-prefixed hex.
pub fn hex(account: &ink::primitives::AccountId) -> String {
    hex_bytes(account.as_ref())
}

/// Bytes (a code or content hash) as 0x-prefixed hex.
pub fn hex_bytes(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::from("0x"), |hex, byte| hex + &format!("{byte:02x}"))
}

/// 32 bytes (a hash or an account) given as 0x-prefixed hex.
pub fn parse_hex32(text: &str) -> Result<[u8; 32], String> {
    let digits = text
        .strip_prefix("0x")
        .ok_or_else(|| format!("{text} is not 0x-prefixed hex"))?;
    let bytes = (0..digits.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(digits.get(i..i + 2).unwrap_or("x"), 16))
        .collect::<Result<Vec<u8>, _>>()
        .map_err(|_| format!("{text} is not hex"))?;
    bytes
        .try_into()
        .map_err(|_| format!("{text} is not 32 bytes of hex"))
}

/// An account given as an SS58 address (any prefix) or as 0x-prefixed hex.
pub fn parse_account(text: &str) -> Result<ink::primitives::AccountId, String> {
    if text.starts_with("0x") {
        return parse_hex32(text).map(Into::into);
    }
    let account: subxt::utils::AccountId32 = text
        .parse()
        .map_err(|_| format!("{text} is neither an SS58 address nor 0x-prefixed hex"))?;
    Ok(account.0.into())
}

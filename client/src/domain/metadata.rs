//! The contracts' metadata as a value: it names every event and says how to
//! decode its fields. Whoever prints events holds one and passes it on.
use super::{account::ss58, event::Emitted};
use contract_transcode::{ContractMessageTranscoder, Value};
use scale::Encode;
use std::path::PathBuf;

/// The metadata of some contracts (their `<name>.json` files).
#[derive(Default)]
pub struct Metadata {
    transcoders: Vec<ContractMessageTranscoder>,
}

impl Metadata {
    /// The metadata in `files`; a file that is missing or unreadable is left
    /// out, and its contracts' events print as unnamed.
    pub fn load(files: impl IntoIterator<Item = PathBuf>) -> Self {
        let transcoders = files
            .into_iter()
            .filter_map(|file| ContractMessageTranscoder::load(file).ok())
            .collect();
        Self { transcoders }
    }

    /// `event` decoded by whichever contract's metadata knows its signature.
    fn decoded(&self, event: &Emitted) -> Option<Value> {
        let signature = event.topics.first()?;
        // Decoding expects the data as pallet-contracts stores it: length-prefixed.
        let length = u32::try_from(event.data.len()).ok()?;
        let mut data = scale::Compact(length).encode();
        data.extend_from_slice(&event.data);
        self.transcoders.iter().find_map(|transcoder| {
            transcoder
                .decode_contract_event(signature, &mut &data[..])
                .ok()
        })
    }

    /// The event's name, if the metadata knows it.
    pub fn event_name(&self, event: &Emitted) -> Option<String> {
        match self.decoded(event)? {
            Value::Map(map) => map.ident(),
            Value::Tuple(tuple) => tuple.ident(),
            _ => None,
        }
    }

    /// One line naming the event and its fields, as the metadata describes
    /// them.
    pub fn describe(&self, event: &Emitted) -> String {
        if event.topics.is_empty() {
            return format!("an anonymous event of {}", ss58(&event.contract));
        }
        self.decoded(event).map_or_else(
            || {
                format!(
                    "an event of {} that the contracts' metadata does not name",
                    ss58(&event.contract)
                )
            },
            |decoded| decoded.to_string(),
        )
    }
}

//! What the embedded chain's last call spent on loading contract code and on
//! event topics, priced with pallet-contracts' own weights (the bench's
//! "where the weight goes").
use super::Runtime;
use ink_sandbox::{frame_support::weights::Weight, pallet_contracts};
use pallet_contracts::WeightInfo;

/// The contract frames a call ran, by the hash of the code each loaded, and
/// how many event topics it emitted.
#[derive(Clone, Debug, Default)]
pub(super) struct CallTrace {
    pub(super) code_hashes: Vec<[u8; 32]>,
    pub(super) topics: u64,
}

/// A part of a call's weight.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Charge {
    pub ref_time: u64,
    pub proof_size: u64,
}

/// Two parts of what a call cost, priced with pallet-contracts' own weights:
/// loading the code of every contract frame it ran (code is part of the
/// proof, byte for byte) and the event topics it emitted. The rest of its
/// weight is storage, calls between contracts and execution.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CallShares {
    /// Contract frames (calls and instantiations) that ran and did not
    /// revert, each loading its code.
    pub frames: u64,
    /// The bytes of code those frames loaded.
    pub code_bytes: u64,
    pub code: Charge,
    /// Event topics emitted, the signature topic of each event included.
    pub topics: u64,
    pub topic_charge: Charge,
}

type RuntimeWeights = <Runtime as pallet_contracts::Config>::WeightInfo;

/// The shares of a call whose frames loaded code of `code_lengths` bytes
/// and that emitted `topics` topics.
pub(super) fn priced(code_lengths: &[u64], topics: u64) -> CallShares {
    // What a code load costs beyond a call's fixed part, as the pallet
    // charges it (`CodeLoadToken`).
    let code_load = |bytes: u64| {
        let bytes = u32::try_from(bytes).unwrap_or(u32::MAX);
        RuntimeWeights::call_with_code_per_byte(bytes)
            .saturating_sub(RuntimeWeights::call_with_code_per_byte(0))
    };
    let code = code_lengths.iter().fold(Weight::zero(), |sum, &bytes| {
        sum.saturating_add(code_load(bytes))
    });
    let per_topic = <Runtime as pallet_contracts::Config>::Schedule::get()
        .host_fn_weights
        .deposit_event_per_topic;
    CallShares {
        frames: u64::try_from(code_lengths.len()).unwrap_or(u64::MAX),
        code_bytes: code_lengths.iter().sum(),
        code: charge(code),
        topics,
        topic_charge: charge(per_topic.saturating_mul(topics)),
    }
}

fn charge(weight: Weight) -> Charge {
    Charge {
        ref_time: weight.ref_time(),
        proof_size: weight.proof_size(),
    }
}

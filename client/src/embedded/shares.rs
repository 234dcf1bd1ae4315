//! What the embedded chain's last call spent on loading contract code, on
//! calls between contracts and on event topics, priced with pallet-contracts'
//! own weights (the bench's "where the weight goes").
use super::Runtime;
use ink_sandbox::{frame_support::weights::Weight, pallet_contracts};
use pallet_contracts::WeightInfo;

/// The contract frames a call ran, by the hash of the code each loaded, how
/// many of them one frame called into another, and how many event topics it
/// emitted.
#[derive(Clone, Debug, Default)]
pub(super) struct CallTrace {
    pub(super) code_hashes: Vec<[u8; 32]>,
    /// Frames that ran as a `call` (`Called`), the message's own included.
    pub(super) called: u64,
    pub(super) delegate_calls: u64,
    pub(super) instantiations: u64,
    pub(super) topics: u64,
}

/// A part of a call's weight.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Charge {
    pub ref_time: u64,
    pub proof_size: u64,
}

/// Three parts of what a call cost, priced with pallet-contracts' own
/// weights: loading the code of every contract frame it ran (code is part of
/// the proof, byte for byte), each call one frame made into another (the
/// pallet's fixed charge for it, its code apart) and the event topics it
/// emitted. The rest of its weight is storage and execution.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallShares {
    /// The code length each contract frame (call, delegate call or
    /// instantiation) that ran and did not revert loaded, in the order the
    /// frames ended (the pallet reports a frame as it ends: the message's
    /// own is last).
    pub frame_code_bytes: Vec<u64>,
    pub code: Charge,
    /// Calls, delegate calls and instantiations one frame made into
    /// another: every frame but the message's own.
    pub calls: u64,
    pub call_charge: Charge,
    /// Event topics emitted, the signature topic of each event included.
    pub topics: u64,
    pub topic_charge: Charge,
}

type RuntimeWeights = <Runtime as pallet_contracts::Config>::WeightInfo;

/// The shares of the call `trace` traced, whose frames loaded code of
/// `code_lengths` bytes.
pub(super) fn priced(code_lengths: Vec<u64>, trace: &CallTrace) -> CallShares {
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
    let host_fns = <Runtime as pallet_contracts::Config>::Schedule::get().host_fn_weights;
    // The message's own frame is the chain's call, not a frame's.
    let calls = trace.called.saturating_sub(1);
    let call_charge = (host_fns.call.saturating_mul(calls))
        .saturating_add(host_fns.delegate_call.saturating_mul(trace.delegate_calls))
        .saturating_add(host_fns.instantiate.saturating_mul(trace.instantiations));
    CallShares {
        frame_code_bytes: code_lengths,
        code: charge(code),
        calls: calls
            .saturating_add(trace.delegate_calls)
            .saturating_add(trace.instantiations),
        call_charge: charge(call_charge),
        topics: trace.topics,
        topic_charge: charge(
            host_fns
                .deposit_event_per_topic
                .saturating_mul(trace.topics),
        ),
    }
}

impl CallShares {
    /// How many contract frames ran.
    pub fn frames(&self) -> u64 {
        u64::try_from(self.frame_code_bytes.len()).unwrap_or(u64::MAX)
    }

    /// The bytes of code those frames loaded.
    pub fn code_bytes(&self) -> u64 {
        self.frame_code_bytes.iter().sum()
    }
}

fn charge(weight: Weight) -> Charge {
    Charge {
        ref_time: weight.ref_time(),
        proof_size: weight.proof_size(),
    }
}

//! Coverage-guided fuzzing of the broker core: the input is a SCALE-encoded
//! sequence of `broker::model::Op`s, run on a fresh world with every
//! invariant checked after every step. A violation or a panic is a finding.
#![no_main]

use broker::model::{run, Op};
use ink::scale::Decode;
use libfuzzer_sys::fuzz_target;

/// Longer sequences add little coverage and slow every execution.
const MAX_OPS: usize = 256;

fuzz_target!(|data: &[u8]| {
    let mut input = data;
    let Ok(ops) = Vec::<Op>::decode(&mut input) else {
        return;
    };
    if ops.len() > MAX_OPS {
        return;
    }
    if let Err(violation) = run(&ops) {
        panic!("invariant violated: {violation}\nsequence: {ops:?}");
    }
});

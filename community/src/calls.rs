//! One path for every message the community sends the broker. Each message
//! is built by the broker's own `BrokerRef`, which encodes its selector and
//! arguments; `send` then runs every one through a single non-generic call,
//! so the contract keeps one copy of ink!'s call machinery instead of one per
//! message: 1.7 KB less code, which is part of the proof of every call the
//! community answers. (The broker's three token calls gain nothing this way:
//! measured, the shared path made broker.wasm 0.7 KB larger.)
#[cfg(not(feature = "per-call-limits"))]
use ink::env::call::CallV1;
use ink::env::{
    call::{
        build_call,
        utils::{EmptyArgumentList, ReturnType, Set, Unset},
        Call, CallBuilder, ExecutionInput, Selector,
    },
    CallFlags, DefaultEnvironment,
};
use ink::prelude::vec::Vec;
use ink::primitives::AccountId;
use scale::{Decode, DecodeAll, Encode};

/// A message as a contract's typed call builder returns it.
pub type Message<Args, R> = CallBuilder<
    DefaultEnvironment,
    Set<Call<DefaultEnvironment>>,
    Set<ExecutionInput<Args>>,
    Set<ReturnType<R>>,
>;

/// The call trapped, reverted without an answer, reached no contract, or was
/// answered with something that is not the message's return type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallFailed;

/// What a call may spend; zero (the default) means no limit of its own.
/// Without `per-call-limits` only `ref_time` can be passed on (`seal1`).
#[derive(Clone, Copy)]
struct Limits {
    ref_time: u64,
    #[cfg(feature = "per-call-limits")]
    proof_size: u64,
    #[cfg(feature = "per-call-limits")]
    storage_deposit: Option<u128>,
}

/// Sends `message`, with the limits its builder set, and decodes its answer.
pub fn send<Args: Encode, R: Decode>(message: Message<Args, R>) -> Result<R, CallFailed> {
    send_with(message, CallFlags::empty())
}

/// Sends `message` to the contract that sends it, which the pallet refuses
/// unless the call allows reentry: the community's code swap has the new
/// code migrate at once (`Community::swap_own_code`), in every build but
/// the hot one.
#[cfg(not(feature = "hot"))]
pub fn reenter<Args: Encode, R: Decode>(message: Message<Args, R>) -> Result<R, CallFailed> {
    send_with(message, CallFlags::ALLOW_REENTRY)
}

fn send_with<Args: Encode, R: Decode>(
    message: Message<Args, R>,
    flags: CallFlags,
) -> Result<R, CallFailed> {
    let params = message.params();
    let limits = Limits {
        ref_time: params.ref_time_limit(),
        #[cfg(feature = "per-call-limits")]
        proof_size: params.proof_size_limit(),
        #[cfg(feature = "per-call-limits")]
        storage_deposit: params.storage_deposit_limit().copied(),
    };
    let answer = invoke(
        *params.callee(),
        &params.exec_input().encode(),
        limits,
        flags,
    )?;
    R::decode_all(&mut &answer[..]).map_err(|_| CallFailed)
}

/// Calls `callee` with an encoded message (selector, then arguments) and
/// returns the encoded answer inside its `MessageResult`.
#[inline(never)]
fn invoke(
    callee: AccountId,
    input: &[u8],
    limits: Limits,
    flags: CallFlags,
) -> Result<Vec<u8>, CallFailed> {
    let (selector, arguments) = input.split_first_chunk::<4>().ok_or(CallFailed)?;
    let outcome = limited_call(callee, limits)
        .call_flags(flags)
        .exec_input(ExecutionInput::new(Selector::new(*selector)).push_arg(Encoded(arguments)))
        .returns::<Encoded<Vec<u8>>>()
        .try_invoke();
    match outcome {
        Ok(Ok(Encoded(answer))) => Ok(answer),
        Ok(Err(_)) | Err(_) => Err(CallFailed),
    }
}

/// A call builder of `C` with its callee and limits set and nothing else.
type Bare<C> = CallBuilder<
    DefaultEnvironment,
    Set<C>,
    Unset<ExecutionInput<EmptyArgumentList>>,
    Unset<ReturnType<()>>,
>;

/// A call to `callee` with `limits`: all three through `seal2::call` with
/// `per-call-limits`, `ref_time` alone through `seal1::call` without.
#[cfg(feature = "per-call-limits")]
fn limited_call(callee: AccountId, limits: Limits) -> Bare<Call<DefaultEnvironment>> {
    let call = build_call::<DefaultEnvironment>()
        .call(callee)
        .ref_time_limit(limits.ref_time)
        .proof_size_limit(limits.proof_size);
    match limits.storage_deposit {
        Some(deposit) => call.storage_deposit_limit(deposit),
        None => call,
    }
}

#[cfg(not(feature = "per-call-limits"))]
fn limited_call(callee: AccountId, limits: Limits) -> Bare<CallV1<DefaultEnvironment>> {
    build_call::<DefaultEnvironment>()
        .call_v1(callee)
        .gas_limit(limits.ref_time)
}

/// Bytes already SCALE-encoded: written as they are, and read as all that
/// is left of the input.
struct Encoded<T>(T);

impl Encode for Encoded<&[u8]> {
    fn size_hint(&self) -> usize {
        self.0.len()
    }

    fn encode_to<O: scale::Output + ?Sized>(&self, dest: &mut O) {
        dest.write(self.0);
    }
}

impl Decode for Encoded<Vec<u8>> {
    fn decode<I: scale::Input>(input: &mut I) -> Result<Self, scale::Error> {
        let length = input
            .remaining_len()?
            .ok_or("an answer of unknown length")?;
        let mut answer = ink::prelude::vec![0; length];
        input.read(&mut answer)?;
        Ok(Self(answer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_bytes_are_written_as_they_are_and_read_whole() {
        let arguments = Encoded(&[1u8, 2, 3][..]);
        assert_eq!(arguments.encode(), vec![1, 2, 3]);
        let answer = Encoded::<Vec<u8>>::decode(&mut &[0u8, 7, 9][..]).unwrap();
        assert_eq!(answer.0, vec![0, 7, 9]);
        let message: Message<_, u32> = build_call::<DefaultEnvironment>()
            .call(AccountId::from([5; 32]))
            .exec_input(ExecutionInput::new(Selector::new([1, 2, 3, 4])).push_arg(9u64))
            .returns::<u32>();
        // What `invoke` receives: the selector, then the arguments.
        let params = message.params();
        let mut expected = vec![1, 2, 3, 4];
        expected.extend(9u64.encode());
        assert_eq!(params.exec_input().encode(), expected);
    }
}

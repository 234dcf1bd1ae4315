//! The hot/cold split's shared parts (docs/CONTRACTS.md#the-split): one
//! contract source, two bundles.
//!
//! pallet-contracts charges a call's proof with the whole code of every frame
//! it runs, so a booking pays for governance code it never runs. A contract's
//! `hot` build is the one people call: its rarely called ("cold") messages
//! keep their signatures, so the metadata is whole, but their bodies only hand
//! the call, input and all, to the `library` build by `delegate_call`, which
//! runs them on the contract's own storage and answers in its place. The
//! library traps in the hot messages, so neither carries the other's code.
//!
//! Each contract keeps a `split` module of its own, whose hot build
//! (`hot_build!`) holds its library's code hash (`LIBRARY`, fixed by
//! `scripts/build_contract.sh`, so a code swap swaps both at once),
//! `run_in_library` and `pin_in_library`, and whose library build holds
//! `pin_library`. A
//! contract pins its library by creating an instance of it (the pin): code
//! with an instance cannot be removed, and `seal1::instantiate` is linked on
//! every chain, unlike `lock_delegate_dependency`.

use core::marker::PhantomData;
use ink::{
    env::{
        call::{
            build_call, build_create, ConstructorReturnType, ExecutionInput, FromAccountId,
            Selector,
        },
        CallFlags, ContractEnv, DefaultEnvironment,
    },
    primitives::Hash,
    storage::{traits::StorageKey, Lazy, Mapping},
};

/// Marks a message body as cold: the hot build sends the call to the
/// library (`crate::split::run_in_library`). The `hot` feature is the
/// calling contract's.
// `crate` names the calling contract, whose `split` module knows its library.
#[allow(clippy::crate_in_macro_def)]
#[macro_export]
macro_rules! cold {
    ($($argument:ident),* => $body:block) => {
        match () {
            #[cfg(feature = "hot")]
            () => {
                $(let _ = $argument;)*
                crate::split::run_in_library()
            }
            #[cfg(not(feature = "hot"))]
            () => $body,
        }
    };
}

/// Marks a message body as hot: the library traps in it, since only the hot
/// build runs it. The `library` feature is the calling contract's.
#[macro_export]
macro_rules! hot {
    ($($argument:ident),* => $body:block) => {
        match () {
            #[cfg(feature = "library")]
            () => {
                $(let _ = $argument;)*
                $crate::split::not_in_library()
            }
            #[cfg(not(feature = "library"))]
            () => $body,
        }
    };
}

/// A contract's `split` module's build halves. The hot build's: `LIBRARY`,
/// the library's code hash (64 hex digits in the environment variable
/// named, which `scripts/build_contract.sh` sets, so a code swap swaps both
/// at once), `run_in_library` (`cold!`) and `pin_in_library`, which hands
/// `migrate_storage` to the library's `pin_and_migrate` with `LIBRARY`. The
/// library's: `pin_library`, which creates the pin of a library with the
/// contract's own reference type and traps if its code is not uploaded. So
/// no hot message loads the pinning code.
#[macro_export]
macro_rules! hot_build {
    ($library_variable:literal, $contract_ref:path) => {
        #[cfg(feature = "hot")]
        pub use self::hot_build::*;

        #[cfg(feature = "hot")]
        mod hot_build {
            /// The library's code hash, given to the build as 64 hex digits.
            pub const LIBRARY: [u8; 32] = $crate::split::code_hash_from_hex(env!(
                $library_variable,
                "a hot build needs its library's code hash: scripts/build.sh builds the library first"
            ));

            /// Runs the message the caller sent in the library (`cold!`).
            pub fn run_in_library() -> ! {
                $crate::split::run_in_library(LIBRARY)
            }

            /// Runs `migrate_storage` as the library's `pin_and_migrate`,
            /// which pins `LIBRARY` first.
            pub fn pin_in_library() -> ! {
                $crate::split::pin_in_library(LIBRARY)
            }
        }

        /// Creates `library`'s pin; traps if its code is not uploaded.
        #[cfg(feature = "library")]
        pub fn pin_library(library: ink::primitives::Hash) {
            $crate::split::pin_library::<$contract_ref>(library)
        }
    };
}

/// The argument types of the messages one build hands over or traps in, by
/// the names of the types they stand for: `cold::T` for the cold messages,
/// which the hot build does not decode, and `hot::T` for the hot ones, which
/// the library does not. Every other build reads them as `T`. ink! names an
/// argument's type in the metadata by the path written in the signature;
/// `scripts/build_contract.sh` drops the leading `cold` or `hot`, so the
/// metadata reads as it would without the split.
#[macro_export]
macro_rules! argument_types {
    ($module:ident, skipped in $feature:literal, $($name:ident $(<$param:ident>)? = $type:ty;)*) => {
        #[allow(non_camel_case_types)]
        pub mod $module {
            $(
                #[cfg(feature = $feature)]
                pub type $name $(<$param>)? = $crate::split::Skipped<$type>;
                #[cfg(not(feature = $feature))]
                pub type $name $(<$param>)? = $type;
            )*
        }
    };
}

/// An argument a build does not decode: the hot build hands the input whole
/// to the library, and the library traps in the hot messages. ink!'s
/// dispatch reads no further than the arguments it decodes, so a build
/// carries no decoder for them. Its type information is `T`'s, so every
/// build's metadata describes the same types.
pub struct Skipped<T>(PhantomData<T>);

impl<T> scale::Decode for Skipped<T> {
    fn decode<I: scale::Input>(_: &mut I) -> Result<Self, scale::Error> {
        Ok(Self(PhantomData))
    }
}

/// Encodes nothing: only ink!'s generated contract reference would, and
/// nothing calls a message of a split build through it.
impl<T> scale::Encode for Skipped<T> {
    fn size_hint(&self) -> usize {
        0
    }
    fn encode_to<O: scale::Output + ?Sized>(&self, _: &mut O) {}
}

// The metadata is built with `std` only.
#[cfg(feature = "std")]
impl<T: ink::scale_info::TypeInfo + 'static> ink::scale_info::TypeInfo for Skipped<T> {
    type Identity = T;
    fn type_info() -> ink::scale_info::Type {
        T::type_info()
    }
}

/// Runs the message the caller sent in `library`, on this contract's
/// storage, and answers with the library's answer (or its revert).
pub fn run_in_library(library: [u8; 32]) -> ! {
    // The input given is ignored: the library gets the caller's.
    tail_call_library(library, CallFlags::CLONE_INPUT, [0; 4], [0; 32])
}

/// The `pin` constructor every library has: `blake2("pin")`'s first four
/// bytes, as ink! derives it.
pub const PIN_SELECTOR: [u8; 4] = ink::selector_bytes!("pin");

/// The `pin_and_migrate(library)` message only a library has.
pub const PIN_AND_MIGRATE_SELECTOR: [u8; 4] = ink::selector_bytes!("pin_and_migrate");

/// Runs the caller's `migrate_storage` as `library`'s `pin_and_migrate`,
/// on this contract's storage, and answers with its answer: the library,
/// which cannot know its own code hash (a delegated frame's is the
/// contract's), is given it.
pub fn pin_in_library(library: [u8; 32]) -> ! {
    tail_call_library(
        library,
        CallFlags::empty(),
        PIN_AND_MIGRATE_SELECTOR,
        library,
    )
}

/// Calls `library`'s message `selector` with one 32-byte argument (or, with
/// `CLONE_INPUT` in `flags`, the caller's input) by `delegate_call`, and
/// ends this frame with its answer: a tail call does not come back. One
/// call site for both uses, so the contract carries ink!'s call code once.
#[inline(never)]
fn tail_call_library(
    library: [u8; 32],
    flags: CallFlags,
    selector: [u8; 4],
    argument: [u8; 32],
) -> ! {
    build_call::<DefaultEnvironment>()
        .delegate(Hash::from(library))
        .call_flags(flags | CallFlags::TAIL_CALL)
        .exec_input(ExecutionInput::new(Selector::new(selector)).push_arg(argument))
        .returns::<()>()
        .invoke();
    unreachable!()
}

/// Creates the pin of `library`, an instance of it that keeps its code on
/// chain. Traps if the library's code is not uploaded: a contract is never
/// left with cold messages that cannot run.
pub fn pin_library<Library>(library: Hash)
where
    Library: ContractEnv<Env = DefaultEnvironment> + FromAccountId<DefaultEnvironment>,
    Library: ConstructorReturnType<Library, Output = Library>,
{
    build_create::<Library>()
        .instantiate_v1()
        .code_hash(library)
        .gas_limit(0)
        .endowment(0)
        .exec_input(ExecutionInput::new(Selector::new(PIN_SELECTOR)))
        .salt_bytes(&[])
        .returns::<Library>()
        .instantiate();
}

/// Pins `library` (by `pin`) unless it was ever pinned: `current` records
/// the library pinned last, `earlier` every one pinned before it. A pin is
/// never removed, and a second pin of a library would be created at the
/// first one's address, which the pallet refuses (`DuplicateContract`) by
/// trapping: without the record of earlier pins, a swap back to a build
/// whose library was pinned before could never run its `migrate_storage`.
pub fn pin_once<C: StorageKey, E: StorageKey>(
    current: &mut Lazy<Hash, C>,
    earlier: &mut Mapping<Hash, bool, E>,
    library: Hash,
    pin: impl FnOnce(),
) {
    let last = current.get();
    if last == Some(library) {
        return;
    }
    if !earlier.contains(library) {
        pin();
    }
    if let Some(last) = last {
        earlier.insert(last, &true);
    }
    current.set(&library);
}

/// What the library does in a hot message: traps, since the hot build runs
/// them itself and nothing else calls the library.
pub fn not_in_library() -> ! {
    panic!("a hot message runs in the contract, not in its library")
}

/// What a build does with an event only the other build's messages emit:
/// traps, since none of its own messages emits one (the e2e tests run each).
pub fn other_builds_event() -> ! {
    panic!("an event only the other build emits")
}

/// A library's code hash from the 64 hex digits the build was given.
// Wrapping arithmetic: the indices stay below 64 and the digits below 16,
// and cargo-contract's lints refuse unchecked arithmetic.
pub const fn code_hash_from_hex(hex: &str) -> [u8; 32] {
    let hex = hex.as_bytes();
    assert!(hex.len() == 64, "a library's code hash is 64 hex digits");
    let mut bytes = [0u8; 32];
    let mut i: usize = 0;
    while i < 32 {
        let high = digit(hex[i.wrapping_mul(2)]);
        let low = digit(hex[i.wrapping_mul(2).wrapping_add(1)]);
        bytes[i] = high.wrapping_mul(16) | low;
        i = i.wrapping_add(1);
    }
    bytes
}

const fn digit(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c.wrapping_sub(b'0'),
        b'a'..=b'f' => c.wrapping_sub(b'a').wrapping_add(10),
        b'A'..=b'F' => c.wrapping_sub(b'A').wrapping_add(10),
        _ => panic!("a library's code hash is 64 hex digits"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scale::{Decode, Encode};

    #[test]
    fn a_code_hash_reads_from_hex_in_either_case() {
        let hex = "00ff10Ab".repeat(8);
        let hash = code_hash_from_hex(&hex);
        assert_eq!(hash[..4], [0x00, 0xff, 0x10, 0xab]);
        assert_eq!(hash[28..], [0x00, 0xff, 0x10, 0xab]);
    }

    #[test]
    fn a_library_is_pinned_once_ever_even_after_a_swap_back() {
        use ink::storage::traits::ManualKey;
        // Storage needs the off-chain engine's contract.
        ink::env::test::run_test::<DefaultEnvironment, _>(|_| {
            let mut current = Lazy::<Hash, ManualKey<1>>::new();
            let mut earlier = Mapping::<Hash, bool, ManualKey<2>>::new();
            let mut pins = Vec::new();
            let [first, second, third] = [1, 2, 3].map(|n| Hash::from([n; 32]));
            // Deployed, migrated again, swapped to a second build, back,
            // forward again, then to a third.
            for library in [first, first, second, first, second, third] {
                pin_once(&mut current, &mut earlier, library, || pins.push(library));
                assert_eq!(current.get(), Some(library), "the library pinned last");
            }
            assert_eq!(pins, [first, second, third], "each library pinned once");
            Ok(())
        })
        .expect("the off-chain engine runs the test");
    }

    #[test]
    fn a_skipped_argument_reads_and_writes_nothing() {
        let input = [7u8, 8, 9];
        let mut rest = &input[..];
        let _ = Skipped::<u32>::decode(&mut rest).expect("decodes from anything");
        assert_eq!(rest, &input[..], "nothing consumed");
        assert!(Skipped::<u32>(PhantomData).encode().is_empty());
    }
}

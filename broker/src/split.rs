//! The hot/cold split (docs/CONTRACTS.md#the-split): one source, two bundles.
//!
//! pallet-contracts charges a call's proof with the whole code of every frame
//! it runs, so a booking pays for governance code it never runs. The `hot`
//! build is the broker people call: its rarely called ("cold") messages keep
//! their signatures, so the metadata is whole, but their bodies only hand the
//! call, input and all, to the `library` build by `delegate_call`, which runs
//! them on the broker's own storage and answers in its place. The library
//! traps in the hot messages, so neither carries the other's code.
//!
//! The library's code hash is fixed in the hot build
//! (`P2PCLOUD_BROKER_LIBRARY`, set by `scripts/build_contract.sh`), so a code
//! swap voted by the community swaps both at once. The broker pins its
//! library by creating an instance of it (`pin`, owned by no one): code with
//! an instance cannot be removed, and `seal1::instantiate` is linked on every
//! chain, unlike `lock_delegate_dependency`.

/// Marks a message body as cold: the hot build sends the call to the library.
#[cfg(feature = "hot")]
macro_rules! cold {
    ($($argument:ident),* => $body:block) => {{
        $(let _ = $argument;)*
        $crate::split::run_in_library()
    }};
}
#[cfg(not(feature = "hot"))]
macro_rules! cold {
    ($($argument:ident),* => $body:block) => {
        $body
    };
}

/// Marks a message body as hot: the library traps in it, since only the hot
/// build runs it.
#[cfg(feature = "library")]
macro_rules! hot {
    ($($argument:ident),* => $body:block) => {{
        $(let _ = $argument;)*
        $crate::split::not_in_library()
    }};
}
#[cfg(not(feature = "library"))]
macro_rules! hot {
    ($($argument:ident),* => $body:block) => {
        $body
    };
}

/// The argument types of the messages one build hands over or traps in, by
/// the names of the types they stand for: `cold::T` for the cold messages,
/// which the hot build does not decode, and `hot::T` for the hot ones, which
/// the library does not. Every other build reads them as `T`. ink! names an
/// argument's type in the metadata by the path written in the signature;
/// `scripts/build_contract.sh` drops the leading `cold` or `hot`, so the
/// metadata reads as it would without the split.
macro_rules! argument_types {
    ($module:ident, skipped in $feature:literal, $($name:ident $(<$param:ident>)? = $type:ty;)*) => {
        #[allow(non_camel_case_types)]
        pub mod $module {
            $(
                #[cfg(feature = $feature)]
                pub type $name $(<$param>)? = super::Skipped<$type>;
                #[cfg(not(feature = $feature))]
                pub type $name $(<$param>)? = $type;
            )*
        }
    };
}
argument_types!(cold, skipped in "hot",
    AccountId = ink::primitives::AccountId;
    Balance = crate::types::Balance;
    BookingId = crate::types::BookingId;
    Hash = ink::primitives::Hash;
    OfferId = crate::types::OfferId;
    Option<T> = core::option::Option<T>;
    String = ink::prelude::string::String;
    TokenCallLimits = crate::types::TokenCallLimits;
    u16 = core::primitive::u16;
    u32 = core::primitive::u32;
);
argument_types!(hot, skipped in "library",
    AccountId = ink::primitives::AccountId;
    Balance = crate::types::Balance;
    BookingId = crate::types::BookingId;
    OfferId = crate::types::OfferId;
    StopReason = crate::types::StopReason;
    u32 = core::primitive::u32;
);

/// An argument a build does not decode: the hot build hands the input whole
/// to the library, and the library traps in the hot messages. ink!'s
/// dispatch reads no further than the arguments it decodes, so a build
/// carries no decoder for them. Its type information is `T`'s, so every
/// build's metadata describes the same types.
#[cfg(any(feature = "hot", feature = "library"))]
pub struct Skipped<T>(core::marker::PhantomData<T>);

#[cfg(any(feature = "hot", feature = "library"))]
impl<T> ink::scale::Decode for Skipped<T> {
    fn decode<I: ink::scale::Input>(_: &mut I) -> Result<Self, ink::scale::Error> {
        Ok(Self(core::marker::PhantomData))
    }
}

/// Encodes nothing: only ink!'s generated `BrokerRef` would, and nothing
/// calls a message of a split build through it.
#[cfg(any(feature = "hot", feature = "library"))]
impl<T> ink::scale::Encode for Skipped<T> {
    fn size_hint(&self) -> usize {
        0
    }
    fn encode_to<O: ink::scale::Output + ?Sized>(&self, _: &mut O) {}
}

// The metadata is built with `std` only.
#[cfg(all(feature = "std", any(feature = "hot", feature = "library")))]
impl<T: ink::scale_info::TypeInfo + 'static> ink::scale_info::TypeInfo for Skipped<T> {
    type Identity = T;
    fn type_info() -> ink::scale_info::Type {
        T::type_info()
    }
}

#[cfg(feature = "hot")]
pub use self::hot_build::*;

#[cfg(feature = "hot")]
mod hot_build {
    use ink::env::{
        call::{build_call, build_create, ExecutionInput, Selector},
        CallFlags, DefaultEnvironment,
    };
    use ink::primitives::Hash;

    /// The library's code hash, given to the build as 64 hex digits.
    pub const LIBRARY: [u8; 32] = hex32(env!(
        "P2PCLOUD_BROKER_LIBRARY",
        "the hot broker needs its library's code hash: scripts/build.sh builds the library first"
    ));

    /// The library's `pin` constructor: `blake2("pin")`'s first four bytes,
    /// as ink! derives it.
    pub const PIN_SELECTOR: [u8; 4] = ink::selector_bytes!("pin");

    /// Runs the message the caller sent in the library, on this contract's
    /// storage, and answers with the library's answer (or its revert).
    pub fn run_in_library() -> ! {
        build_call::<DefaultEnvironment>()
            .delegate(Hash::from(LIBRARY))
            .call_flags(CallFlags::CLONE_INPUT | CallFlags::TAIL_CALL)
            .invoke();
        // A tail call does not come back: the pallet ends this frame with
        // the library's answer.
        unreachable!()
    }

    /// What the hot build does with an event only a cold message emits:
    /// traps, since no hot message emits one (the e2e tests run each).
    pub fn cold_event() -> ! {
        panic!("a cold message's event in the hot build")
    }

    /// Creates the library's pin, an instance of it that keeps its code on
    /// chain. Traps if the library's code is not uploaded: a broker is never
    /// left with cold messages that cannot run.
    pub fn pin_library() {
        build_create::<crate::BrokerRef>()
            .instantiate_v1()
            .code_hash(Hash::from(LIBRARY))
            .gas_limit(0)
            .endowment(0)
            .exec_input(ExecutionInput::new(Selector::new(PIN_SELECTOR)))
            .salt_bytes(&[])
            .returns::<crate::BrokerRef>()
            .instantiate();
    }

    // Wrapping arithmetic: the indices stay below 64 and the digits below
    // 16, and cargo-contract's lints refuse unchecked arithmetic.
    const fn hex32(hex: &str) -> [u8; 32] {
        let hex = hex.as_bytes();
        assert!(
            hex.len() == 64,
            "P2PCLOUD_BROKER_LIBRARY must be 64 hex digits"
        );
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
            _ => panic!("P2PCLOUD_BROKER_LIBRARY must be 64 hex digits"),
        }
    }
}

/// What the library does in a hot message: traps, since the hot build runs
/// them itself and nothing else calls the library.
#[cfg(feature = "library")]
pub fn not_in_library() -> ! {
    panic!("a hot message runs in the broker, not in its library")
}

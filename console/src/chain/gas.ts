// The limits a submitted call carries: what its dry run measured plus
// GAS_MARGIN_PERCENT, as the CLI computes them (client/src/chain.rs,
// client/src/node/contracts.rs), never a fixed large limit. Unused gas is
// refunded, so the margin costs the caller nothing.

/// client/src/chain.rs's `GAS_MARGIN_PERCENT`: a claim or a stop dry-run on
/// the block of the last payment takes the cheaper zero-seconds path and
/// pays one block later (measured: 1.47x the ref_time).
export const GAS_MARGIN_PERCENT = 50n;

/// The bytes of one new storage item a call's deposit limit always leaves
/// room for (the broker's largest record is under 200 bytes).
export const ROOM_BYTES = 256n;

const U64_MAX = (1n << 64n) - 1n;
const U128_MAX = (1n << 128n) - 1n;

/// `value` plus GAS_MARGIN_PERCENT, saturating at u128's maximum (as
/// `with_margin`: the hundredths first, so nothing overflows on the way).
export function withMargin(value: bigint): bigint {
  const extra = (value / 100n) * GAS_MARGIN_PERCENT + ((value % 100n) * GAS_MARGIN_PERCENT) / 100n;
  const grown = value + extra;
  return grown > U128_MAX ? U128_MAX : grown;
}

/// A weight plus the margin on both of its parts, each saturating at u64.
export function withGasMargin(weight: { refTime: bigint; proofSize: bigint }): { refTime: bigint; proofSize: bigint } {
  const grow = (value: bigint) => {
    const grown = withMargin(value);
    return grown > U64_MAX ? U64_MAX : grown;
  };
  return { refTime: grow(weight.refTime), proofSize: grow(weight.proofSize) };
}

/// The storage deposit limit of a call whose dry run charged `charge`: the
/// charge plus the margin, and never below one new item of ROOM_BYTES (the
/// paying path may store a first record that the dry run's did not).
export function depositLimit(charge: bigint, perItem: bigint, perByte: bigint): bigint {
  const room = perItem + perByte * ROOM_BYTES;
  const grown = withMargin(charge);
  return grown > room ? grown : room;
}

// Reading decoded contract values field by field, without the lossy JSON
// form (a u128 does not fit a JavaScript number). Struct fields are named
// as the codec library names them: camelCase.
import type { Codec } from '@polkadot/types/types';

interface StructLike extends Codec {
  get(name: string): Codec | undefined;
}

interface OptionLike extends Codec {
  isSome: boolean;
  unwrap(): Codec;
}

interface NumberLike extends Codec {
  toBigInt(): bigint;
}

/// The field `name` of a decoded struct.
export function field(codec: Codec, name: string): Codec {
  const value = (codec as StructLike).get?.(name);
  if (value === undefined) {
    throw new Error(`unexpected answer: no field ${name} in ${codec.toRawType()}`);
  }
  return value;
}

/// A decoded integer of any width.
export function big(codec: Codec): bigint {
  return (codec as NumberLike).toBigInt();
}

/// A decoded integer that fits a JavaScript number (ids, counts).
export function small(codec: Codec): number {
  return Number(big(codec));
}

/// A decoded `Option`'s value, or null.
export function optional(codec: Codec): Codec | null {
  const option = codec as OptionLike;
  return option.isSome ? option.unwrap() : null;
}

/// A decoded `Vec` or tuple as an array.
export function items(codec: Codec): Codec[] {
  return Array.from(codec as unknown as Iterable<Codec>);
}

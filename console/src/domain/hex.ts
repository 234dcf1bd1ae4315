// 32 bytes written as 0x-prefixed hex (an offer's spec hash), read and
// refused as client/src/domain/hex.rs's `Hex32` reads them.

export class HexError extends Error {
  override name = 'HexError';
}

/// `text` as 32 bytes, or why it is not (in hex.rs's words).
export function parseHex32(text: string): Uint8Array {
  if (!text.startsWith('0x')) throw new HexError(`${text} is not 0x-prefixed hex`);
  const digits = text.slice(2);
  if (digits.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(digits)) throw new HexError(`${text} is not hex`);
  if (digits.length !== 64) throw new HexError(`${text} is not 32 bytes of hex`);
  return Uint8Array.from({ length: 32 }, (_, index) => parseInt(digits.slice(index * 2, index * 2 + 2), 16));
}

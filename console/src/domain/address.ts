// Accounts as people write them: an SS58 address, or 32 bytes of
// 0x-prefixed hex; refused in client/src/domain/account.rs's words.
import { decodeAddress, encodeAddress } from '@polkadot/util-crypto';

export class AddressError extends Error {
  override name = 'AddressError';
}

/// `text` as an SS58 address (of the chain's `ss58Format`), or why it is
/// no account.
export function parseAddress(text: string, ss58Format: number): string {
  if (text.startsWith('0x')) {
    const digits = text.slice(2);
    if (!/^[0-9a-fA-F]*$/.test(digits) || digits.length % 2 !== 0) {
      throw new AddressError(`${text} is not hex`);
    }
    if (digits.length !== 64) {
      throw new AddressError(`${text} is not 32 bytes of hex`);
    }
    return encodeAddress(text, ss58Format);
  }
  let bytes: Uint8Array;
  try {
    bytes = decodeAddress(text);
  } catch {
    throw new AddressError(`${text} is neither an SS58 address nor 0x-prefixed hex`);
  }
  if (bytes.length !== 32) {
    throw new AddressError(`${text} is neither an SS58 address nor 0x-prefixed hex`);
  }
  return encodeAddress(bytes, ss58Format);
}

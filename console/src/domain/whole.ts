// Whole numbers people write for a u32 field (a VM type, machines).

export class WholeNumberError extends Error {
  override name = 'WholeNumberError';
}

/// A whole number from 0 to 2^32 - 1 (a VM type, a count of machines), or
/// why `text`, written for `what`, is not one.
export function parseU32(text: string, what: string): number {
  const trimmed = text.trim();
  if (!/^[0-9]+$/.test(trimmed) || Number(trimmed) > 0xffff_ffff) {
    throw new WholeNumberError(`the ${what} must be a whole number from 0 to 4294967295, not "${text}"`);
  }
  return Number(trimmed);
}

// Whole numbers people write for an integer field (a VM type, machines, a
// fee in basis points).

export const U16_MAX = 0xffff;
export const U32_MAX = 0xffff_ffff;

export class WholeNumberError extends Error {
  override name = 'WholeNumberError';
}

/// A whole number from 0 to `max`, or why `text`, written for `what`, is
/// not one.
export function parseWhole(text: string, what: string, max: number): number {
  const trimmed = text.trim();
  if (!/^[0-9]+$/.test(trimmed) || Number(trimmed) > max) {
    throw new WholeNumberError(`the ${what} must be a whole number from 0 to ${max}, not "${text}"`);
  }
  return Number(trimmed);
}

/// A u32 field's value.
export function parseU32(text: string, what: string): number {
  return parseWhole(text, what, U32_MAX);
}

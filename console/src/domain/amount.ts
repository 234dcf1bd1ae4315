// Amounts of a token: as people write them (whole tokens, with decimals) and
// as the contracts count them (the token's smallest units, as bigint). The
// same rules and sentences as client/src/domain/amount.rs, so the console
// refuses what the CLI refuses, in the same words.

/// The largest value a u128 holds: what the contracts count in.
export const U128_MAX = (1n << 128n) - 1n;

/// A text that is no amount, or an amount the token cannot hold.
export class AmountError extends Error {
  override name = 'AmountError';
}

/// `text` ("12", "12.5", ".000001") in the smallest units of a token with
/// `decimals` decimals.
export function parseAmount(text: string, decimals: number): bigint {
  const notAnAmount = () =>
    new AmountError(`${JSON.stringify(text)} is not an amount (write it like 12 or 12.5)`);
  const point = text.indexOf('.');
  const whole = point < 0 ? text : text.slice(0, point);
  const fraction = point < 0 ? '' : text.slice(point + 1);
  if ((whole === '' && fraction === '') || !/^[0-9]*$/.test(whole) || !/^[0-9]*$/.test(fraction)) {
    throw notAnAmount();
  }
  // The CLI reads the whole part as a u128: a longer one is no amount to it.
  if (BigInt(whole || '0') > U128_MAX) {
    throw notAnAmount();
  }
  const written = fraction === '' ? `${BigInt(whole || '0')}` : `${BigInt(whole || '0')}.${fraction}`;
  if (fraction.length > decimals) {
    throw new AmountError(`${written} has more than the token's ${decimals} decimals`);
  }
  const units = BigInt(whole || '0') * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
  if (units > U128_MAX) {
    throw new AmountError(`${written} is too large`);
  }
  return units;
}

/// `units` of a token with `decimals` decimals, in whole tokens without
/// trailing zeros ("12.5", "0.000001", "7").
export function formatAmount(units: bigint, decimals: number): string {
  const scale = 10n ** BigInt(decimals);
  const whole = units / scale;
  const fraction = units % scale;
  if (fraction === 0n) {
    return `${whole}`;
  }
  const digits = fraction.toString().padStart(decimals, '0').replace(/0+$/, '');
  return `${whole}.${digits}`;
}

/// A token: what the broker's stablecoin calls itself.
export interface Token {
  symbol: string;
  decimals: number;
}

/// `units` with the token's symbol: "12.5 mUSD".
export function money(units: bigint, token: Token): string {
  return `${formatAmount(units, token.decimals)} ${token.symbol}`;
}

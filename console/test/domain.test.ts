// The leaf values the pages show: amounts, prices, the time left and the
// gas margin, each as the Rust side has it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAddress } from '../src/domain/address';
import { AmountError, formatAmount, parseAmount } from '../src/domain/amount';
import { parseHex32 } from '../src/domain/hex';
import { perSecondWithin, pricePer } from '../src/domain/price';
import { parseU32, parseWhole, U16_MAX } from '../src/domain/whole';
import { describeTimeLeft, spokenDuration, timeLeft, utcMinute } from '../src/domain/time_left';
import { depositLimit, GAS_MARGIN_PERCENT, withGasMargin, withMargin } from '../src/chain/gas';

test('amounts read and print in the token units (client/src/domain/amount.rs)', () => {
  assert.equal(parseAmount('12', 6), 12_000_000n);
  assert.equal(parseAmount('12.5', 6), 12_500_000n);
  assert.equal(parseAmount('0.000001', 6), 1n);
  assert.equal(parseAmount('.5', 6), 500_000n);
  assert.equal(parseAmount('7', 0), 7n);
  assert.equal(formatAmount(12_500_000n, 6), '12.5');
  assert.equal(formatAmount(1n, 6), '0.000001');
  assert.equal(formatAmount(7n, 0), '7');
  assert.equal(formatAmount((1n << 128n) - 1n, 6), '340282366920938463463374607431768.211455');
  const refusal = (text: string, decimals: number) => {
    try {
      parseAmount(text, decimals);
    } catch (error) {
      assert.ok(error instanceof AmountError);
      return error.message;
    }
    assert.fail(`${text} was read`);
  };
  assert.equal(refusal('1.5.0', 6), '"1.5.0" is not an amount (write it like 12 or 12.5)');
  assert.equal(refusal('', 6), '"" is not an amount (write it like 12 or 12.5)');
  assert.equal(refusal('-1', 6), '"-1" is not an amount (write it like 12 or 12.5)');
  assert.equal(refusal('0.0000001', 6), "0.0000001 has more than the token's 6 decimals");
  assert.equal(refusal('340282366920938463463374607431768211455', 6), '340282366920938463463374607431768211455 is too large');
});

test('prices per hour and per month of 30 days', () => {
  assert.deepEqual(pricePer(1_000n), { hour: 3_600_000n, month: 2_592_000_000n });
  assert.equal(perSecondWithin(3_600_000n), 1_000n);
  assert.equal(perSecondWithin(3_599n), 0n);
});

test('the time left reads as p2pcloud balance prints it (client/src/time_left.rs)', () => {
  const report = (runsOutAt: bigint | null) => ({ deposited: 0n, owed: 0n, locked: 0n, free: 0n, runsOutAt });
  assert.equal(describeTimeLeft(timeLeft(report(null), 0n)), 'no bookings to pay for');
  assert.equal(describeTimeLeft(timeLeft(report((1n << 64n) - 1n), 0n)), 'does not run out within any block time');
  const at = 1_796_306_400_000n; // 2026-12-03 14:00 UTC
  assert.equal(utcMinute(at), '2026-12-03 14:00 UTC');
  const now = at - (2n * 86_400_000n + 3n * 3_600_000n + 59_000n);
  assert.equal(describeTimeLeft(timeLeft(report(at), now)), 'runs out in 2 days 3 hours, at 2026-12-03 14:00 UTC');
  assert.equal(describeTimeLeft(timeLeft(report(at), at + 1n)), 'ran out at 2026-12-03 14:00 UTC');
  assert.equal(spokenDuration(0n), '0 seconds');
  assert.equal(spokenDuration(45_000n), '45 seconds');
  assert.equal(spokenDuration(86_400_000n + 5_000n), '1 day');
  assert.equal(spokenDuration(3_600_000n + 60_000n), '1 hour 1 minute');
  assert.equal(utcMinute(0n), '1970-01-01 00:00 UTC');
  assert.equal(utcMinute(951_782_400_000n), '2000-02-29 00:00 UTC');
});

test('limits grow by the CLI margin and saturate (client/src/chain.rs)', () => {
  assert.equal(GAS_MARGIN_PERCENT, 50n);
  assert.equal(withMargin(100n), 150n);
  assert.equal(withMargin(101n), 151n);
  assert.equal(withMargin(3n), 4n);
  assert.equal(withMargin((1n << 128n) - 1n), (1n << 128n) - 1n);
  assert.deepEqual(withGasMargin({ refTime: 1_000n, proofSize: (1n << 64n) - 1n }), {
    refTime: 1_500n,
    proofSize: (1n << 64n) - 1n,
  });
  // Never below one new item of 256 bytes.
  assert.equal(depositLimit(0n, 10n, 1n), 266n);
  assert.equal(depositLimit(1_000n, 10n, 1n), 1_500n);
});

test('accounts read as the CLI reads them (client/src/domain/account.rs)', async () => {
  const { cryptoWaitReady } = await import('@polkadot/util-crypto');
  await cryptoWaitReady();
  const bob = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
  assert.equal(parseAddress(bob, 42), bob);
  assert.equal(parseAddress(`0x${'8e'.padEnd(64, '0')}`, 42).length, 48);
  assert.throws(() => parseAddress('bob', 42), { name: 'AddressError', message: 'bob is neither an SS58 address nor 0x-prefixed hex' });
  assert.throws(() => parseAddress('0x12', 42), { message: '0x12 is not 32 bytes of hex' });
  assert.throws(() => parseAddress('0xzz', 42), { message: '0xzz is not hex' });
});

test('a spec hash reads as client/src/domain/hex.rs reads a Hex32, and a count as a u32', () => {
  const hash = parseHex32(`0x${'ab'.repeat(31)}01`);
  assert.equal(hash.length, 32);
  assert.equal(hash[0], 0xab);
  assert.equal(hash[31], 1);
  assert.throws(() => parseHex32('ab'.repeat(32)), { message: `${'ab'.repeat(32)} is not 0x-prefixed hex` });
  assert.throws(() => parseHex32('0xzz'), { message: '0xzz is not hex' });
  assert.throws(() => parseHex32('0xabcd'), { message: '0xabcd is not 32 bytes of hex' });
  assert.equal(parseU32(' 4294967295 ', 'VM type'), 4_294_967_295);
  assert.equal(parseU32('0', 'VM type'), 0);
  for (const bad of ['4294967296', '-1', '1.5', '', 'two']) {
    assert.throws(() => parseU32(bad, 'number of machines'), { message: `the number of machines must be a whole number from 0 to 4294967295, not "${bad}"` });
  }
  assert.equal(parseWhole('65535', 'fee', U16_MAX), 65_535);
  assert.throws(() => parseWhole('65536', 'fee', U16_MAX), { message: 'the fee must be a whole number from 0 to 65535, not "65536"' });
});

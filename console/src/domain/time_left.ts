// How long an account's balance keeps its bookings paid, said the way
// client/src/time_left.rs says it (`p2pcloud balance`): "runs out in 2 days
// 3 hours, at 2026-12-03 14:00 UTC".

const SECOND_MS = 1_000n;
const MINUTE_MS = 60n * SECOND_MS;
const HOUR_MS = 60n * MINUTE_MS;
const DAY_MS = 24n * HOUR_MS;
const U64_MAX = (1n << 64n) - 1n;

/// The broker's `check_balance` answer, in units and milliseconds.
export interface BalanceReport {
  deposited: bigint;
  owed: bigint;
  locked: bigint;
  free: bigint;
  /// When the balance stops covering the bookings; none without bookings.
  runsOutAt: bigint | null;
}

export type TimeLeft =
  | { kind: 'no-bookings' }
  | { kind: 'until'; at: bigint; leftMs: bigint }
  | { kind: 'ran-out'; at: bigint }
  | { kind: 'unbounded' };

/// The time left in `report` at `now` (the chain's time, milliseconds).
export function timeLeft(report: BalanceReport, now: bigint): TimeLeft {
  const at = report.runsOutAt;
  if (at === null) return { kind: 'no-bookings' };
  if (at === U64_MAX) return { kind: 'unbounded' };
  if (at < now) return { kind: 'ran-out', at };
  return { kind: 'until', at, leftMs: at - now };
}

/// The sentence `p2pcloud balance` prints for `left`.
export function describeTimeLeft(left: TimeLeft): string {
  switch (left.kind) {
    case 'no-bookings':
      return 'no bookings to pay for';
    case 'until':
      return `runs out in ${spokenDuration(left.leftMs)}, at ${utcMinute(left.at)}`;
    case 'ran-out':
      return `ran out at ${utcMinute(left.at)}`;
    case 'unbounded':
      return 'does not run out within any block time';
  }
}

/// "2 days 3 hours": the two largest units ("45 seconds" below a minute,
/// "0 seconds" at none).
export function spokenDuration(ms: bigint): string {
  let rest = ms;
  const counts = ([
    [DAY_MS, 'day'],
    [HOUR_MS, 'hour'],
    [MINUTE_MS, 'minute'],
    [SECOND_MS, 'second'],
  ] as const).map(([size, name]) => {
    const count = rest / size;
    rest %= size;
    return { count, name };
  });
  const first = counts.findIndex(({ count }) => count > 0n);
  if (first < 0) return '0 seconds';
  return counts
    .slice(first, first + 2)
    .filter(({ count }) => count > 0n)
    .map(({ count, name }) => `${count} ${name}${count === 1n ? '' : 's'}`)
    .join(' ');
}

/// A block time as "2026-12-03 14:00 UTC" (to the minute).
export function utcMinute(ms: bigint): string {
  const minutes = ms / MINUTE_MS;
  const days = minutes / (24n * 60n);
  const minuteOfDay = minutes % (24n * 60n);
  const [year, month, day] = civilDate(days);
  const two = (n: bigint) => n.toString().padStart(2, '0');
  return `${year.toString().padStart(4, '0')}-${two(month)}-${two(day)} ${two(minuteOfDay / 60n)}:${two(minuteOfDay % 60n)} UTC`;
}

/// The proleptic Gregorian date `days` after 1970-01-01 (the days-to-civil
/// algorithm, as time_left.rs has it: 400-year eras of 146 097 days).
function civilDate(days: bigint): [bigint, bigint, bigint] {
  const shifted = days + 719_468n;
  const era = shifted / 146_097n;
  const dayOfEra = shifted % 146_097n;
  const yearOfEra = (dayOfEra - dayOfEra / 1_460n + dayOfEra / 36_524n - dayOfEra / 146_096n) / 365n;
  const dayOfYear = dayOfEra - (365n * yearOfEra + yearOfEra / 4n - yearOfEra / 100n);
  const monthIndex = (5n * dayOfYear + 2n) / 153n;
  const day = dayOfYear - (153n * monthIndex + 2n) / 5n + 1n;
  const month = monthIndex < 10n ? monthIndex + 3n : monthIndex - 9n;
  const year = yearOfEra + era * 400n + (month <= 2n ? 1n : 0n);
  return [year, month, day];
}

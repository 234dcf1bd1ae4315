// Offer prices: the broker counts per second, people compare per hour and
// per month. A month here is 30 days.
export const HOUR_SECONDS = 3_600n;
export const MONTH_SECONDS = 30n * 24n * HOUR_SECONDS;

/// A price per second, in units, over an hour and over a month of 30 days.
export function pricePer(perSecond: bigint): { hour: bigint; month: bigint } {
  return { hour: perSecond * HOUR_SECONDS, month: perSecond * MONTH_SECONDS };
}

/// The most per second (units, rounded down) that keeps a machine at or under
/// `perHour` units an hour: what a "max price per hour" filter asks the
/// broker's per-second prices.
export function perSecondWithin(perHour: bigint): bigint {
  return perHour / HOUR_SECONDS;
}

// The broker's active bookings, as a user's page and a miner's page read
// them, with each user's time left (as `p2pcloud bookings` shows it).
import type { Codec } from '@polkadot/types/types';
import { timeLeft, type TimeLeft } from '../domain/time_left';
import { big, field, optional, small } from './codec';
import type { Connection } from './connection';
import { read, type Protocol } from './contracts';
import { allPages, balanceReport } from './market';

/// A booking as the broker keeps it; times in the chain's milliseconds.
export interface ChainBooking {
  id: number;
  offer: number;
  user: string;
  miner: string;
  vmType: number;
  pricePerSecond: bigint;
  feeBps: number;
  startedAt: bigint;
  /// Paid up to here.
  lastPayment: bigint;
}

function bookingOf(id: number, booking: Codec): ChainBooking {
  return {
    id,
    offer: small(field(booking, 'offerId')),
    user: field(booking, 'user').toString(),
    miner: field(booking, 'miner').toString(),
    vmType: small(field(booking, 'vmTypeId')),
    pricePerSecond: big(field(booking, 'pricePerSecond')),
    feeBps: small(field(booking, 'feeBps')),
    startedAt: big(field(booking, 'startedAt')),
    lastPayment: big(field(booking, 'lastPayment')),
  };
}

/// `user`'s active bookings (`get_user_bookings`).
export async function userBookings(connection: Connection, protocol: Protocol, user: string): Promise<ChainBooking[]> {
  return allPages(connection, protocol.broker, 'get_user_bookings', [user], bookingOf);
}

/// The active bookings of `miner`'s offers (`get_miner_bookings`).
export async function minerBookings(connection: Connection, protocol: Protocol, miner: string): Promise<ChainBooking[]> {
  return allPages(connection, protocol.broker, 'get_miner_bookings', [miner], bookingOf);
}

/// The active booking `id`, or null when there is none.
export async function booking(connection: Connection, protocol: Protocol, id: number): Promise<ChainBooking | null> {
  const found = optional(await read(connection, protocol.broker, 'get_booking', [id]));
  return found === null ? null : bookingOf(id, found);
}

/// Each of `users`' time left at `now`, read once per user (client/src/
/// time_left.rs's `users_time_left`).
export async function usersTimeLeft(
  connection: Connection,
  protocol: Protocol,
  users: string[],
  now: bigint,
): Promise<Map<string, TimeLeft>> {
  const distinct = [...new Set(users)];
  const reports = await Promise.all(distinct.map((user) => balanceReport(connection, protocol, user)));
  return new Map(distinct.map((user, index) => [user, timeLeft(reports[index]!, now)]));
}

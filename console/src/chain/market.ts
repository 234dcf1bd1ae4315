// What the pages read from the broker and its stablecoin.
import type { Token } from '../domain/amount';
import type { BalanceReport } from '../domain/time_left';
import { big, field, items, optional, small } from './codec';
import type { Connection } from './connection';
import type { Codec } from '@polkadot/types/types';
import { read, type Contract, type Protocol } from './contracts';

/// The most items one page of a broker query holds (common/src/page.rs).
export const MAX_PAGE_LIMIT = 100;

/// An offer as the broker keeps it.
export interface ChainOffer {
  id: number;
  miner: string;
  vmType: number;
  pricePerSecond: bigint;
  machines: number;
  booked: number;
  closed: boolean;
}

/// The stablecoin's symbol and decimals, as its PSP22Metadata says them
/// ("units" without a symbol, as the CLI).
export async function tokenOf(connection: Connection, protocol: Protocol): Promise<Token> {
  const symbol = optional(await read(connection, protocol.stablecoin, 'PSP22Metadata::token_symbol'));
  const decimals = await read(connection, protocol.stablecoin, 'PSP22Metadata::token_decimals');
  return { symbol: symbol === null ? 'units' : symbol.toString(), decimals: small(decimals) };
}

/// Every item of a paged broker or community query, page after page: `label`
/// is called with `args`, then the cursor and MAX_PAGE_LIMIT, and each
/// `(id, value)` item is decoded by `decode`.
export async function allPages<T>(
  connection: Connection,
  contract: Contract,
  label: string,
  args: unknown[],
  decode: (id: number, value: Codec) => T,
): Promise<T[]> {
  const found: T[] = [];
  let cursor: number | null = null;
  do {
    const page = await read(connection, contract, label, [...args, cursor, MAX_PAGE_LIMIT]);
    for (const entry of items(field(page, 'items'))) {
      const [id, value] = items(entry);
      if (id === undefined || value === undefined) continue;
      found.push(decode(small(id), value));
    }
    const next = optional(field(page, 'next'));
    cursor = next === null ? null : small(next);
  } while (cursor !== null);
  return found;
}

/// An offer as the codec decodes it.
function offerOf(id: number, offer: Codec): ChainOffer {
  return {
    id,
    miner: field(offer, 'miner').toString(),
    vmType: small(field(offer, 'vmTypeId')),
    pricePerSecond: big(field(offer, 'pricePerSecond')),
    machines: small(field(offer, 'machines')),
    booked: small(field(offer, 'booked')),
    closed: field(offer, 'closed').eq(true),
  };
}

/// Every open offer with a free machine (`get_available_offers`).
export async function availableOffers(connection: Connection, protocol: Protocol): Promise<ChainOffer[]> {
  return allPages(connection, protocol.broker, 'get_available_offers', [null], offerOf);
}

/// Every offer of `miner`'s, closed ones included (`get_miners_offers`).
export async function minerOffers(connection: Connection, protocol: Protocol, miner: string): Promise<ChainOffer[]> {
  return allPages(connection, protocol.broker, 'get_miners_offers', [miner], offerOf);
}

/// `account`'s balance in the broker (`check_balance`).
export async function balanceReport(connection: Connection, protocol: Protocol, account: string): Promise<BalanceReport> {
  const report = await read(connection, protocol.broker, 'check_balance', [account]);
  const runsOutAt = optional(field(report, 'runsOutAt'));
  return {
    deposited: big(field(report, 'deposited')),
    owed: big(field(report, 'owed')),
    locked: big(field(report, 'locked')),
    free: big(field(report, 'free')),
    runsOutAt: runsOutAt === null ? null : big(runsOutAt),
  };
}

/// What `owner` holds of the stablecoin.
export async function tokenBalance(connection: Connection, protocol: Protocol, owner: string): Promise<bigint> {
  return big(await read(connection, protocol.stablecoin, 'PSP22::balance_of', [owner]));
}

/// What `owner` lets `spender` take of its stablecoin.
export async function allowance(connection: Connection, protocol: Protocol, owner: string, spender: string): Promise<bigint> {
  return big(await read(connection, protocol.stablecoin, 'PSP22::allowance', [owner, spender]));
}

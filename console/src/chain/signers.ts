// Who signs: the account a page acts for, however its key is held (a
// browser wallet's, see wallet.ts, or a development chain's well-known
// accounts, here). Nothing here touches the browser, so the tests use it too.
import type { SubmittableResult } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import type { Connection } from './connection';

/// The dev chain's well-known accounts.
export const DEV_NAMES = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'] as const;

type Unsubscribe = () => void;
type Extrinsic = SubmittableExtrinsic<'promise'>;

/// An account that can sign: its address, a name for people, where its key
/// is, and how it signs and submits an extrinsic.
export interface Signer {
  address: string;
  name: string;
  /// `dev` or the wallet extension's name.
  source: string;
  signAndSend(tx: Extrinsic, onStatus: (result: SubmittableResult) => void): Promise<Unsubscribe>;
}

/// Alice to Ferdie, from their well-known seeds: for development chains only.
export async function devSigners(connection: Connection): Promise<Signer[]> {
  if (!connection.isDev) return [];
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: connection.ss58Format });
  return DEV_NAMES.map((name) => {
    const pair = keyring.addFromUri(`//${name}`, { name });
    return {
      address: pair.address,
      name,
      source: 'dev',
      signAndSend: (tx, onStatus) => tx.signAndSend(pair, onStatus),
    };
  });
}

/// `address` shortened for tables: "5FHneW…94ty".
export function shortAddress(address: string): string {
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

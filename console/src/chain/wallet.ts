// The accounts of a browser wallet: anything that answers the standard
// injected-extension interface (polkadot{.js}, Talisman, SubWallet). The
// extension signs; the key never reaches the page.
import { web3Accounts, web3Enable, web3FromSource } from '@polkadot/extension-dapp';
import type { Connection } from './connection';
import type { Signer } from './signers';

/// The name the console asks the wallet's permission with.
export const ORIGIN_NAME = 'p2pcloud console';

/// The accounts the browser's wallet extensions share with the console,
/// after asking their permission; none without an extension.
export async function extensionSigners(connection: Connection): Promise<Signer[]> {
  const extensions = await web3Enable(ORIGIN_NAME);
  if (extensions.length === 0) return [];
  const accounts = await web3Accounts({ ss58Format: connection.ss58Format });
  return accounts.map((account) => ({
    address: account.address,
    name: account.meta.name ?? account.address.slice(0, 8),
    source: account.meta.source,
    signAndSend: async (tx, onStatus) => {
      const injected = await web3FromSource(account.meta.source);
      return tx.signAndSend(account.address, { signer: injected.signer }, onStatus);
    },
  }));
}

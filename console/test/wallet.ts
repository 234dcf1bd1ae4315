// A wallet extension stand-in for the browser test: it answers the
// standard injected-extension interface (`window.injectedWeb3`, what
// polkadot{.js}, Talisman and SubWallet inject) with one account, and signs
// each payload the page hands it with that account's key, kept in the test
// process as an extension keeps it out of the page.
import type { SignerPayloadJSON } from '@polkadot/types/types';
import { Keyring } from '@polkadot/keyring';
import type { Page } from 'playwright-core';
import type { Connection } from '../src/chain/connection';

/// The extension's name, as the page's account picker shows it.
export const WALLET = 'test-wallet';
export const WALLET_ACCOUNT_NAME = 'Wallet user';

/// Injects the stand-in into `page` (before its scripts run); the account is
/// `//ConsoleWallet`, which no dev account is. Returns its address and how
/// many payloads it signed.
export async function injectWallet(page: Page, connection: Connection): Promise<{ address: string; signed: () => number }> {
  const keyring = new Keyring({ type: 'sr25519', ss58Format: connection.ss58Format });
  const pair = keyring.addFromUri('//ConsoleWallet');
  let signed = 0;
  await page.exposeFunction('p2pcloudTestWalletSign', (payload: SignerPayloadJSON) => {
    signed++;
    const extrinsic = connection.api.registry.createType('ExtrinsicPayload', payload, { version: payload.version });
    return extrinsic.sign(pair).signature;
  });
  await page.addInitScript(({ wallet, address, name }) => {
    const account = { address, name, type: 'sr25519' };
    const sign = (window as unknown as { p2pcloudTestWalletSign: (payload: unknown) => Promise<string> }).p2pcloudTestWalletSign;
    let id = 0;
    (window as unknown as { injectedWeb3: unknown }).injectedWeb3 = {
      [wallet]: {
        version: '0.0.1',
        enable: async () => ({
          accounts: {
            get: async () => [account],
            subscribe: (callback: (accounts: unknown[]) => void) => {
              callback([account]);
              return () => undefined;
            },
          },
          metadata: { get: async () => [], provide: async () => true },
          signer: { signPayload: async (payload: unknown) => ({ id: ++id, signature: await sign(payload) }) },
        }),
      },
    };
  }, { wallet: WALLET, address: pair.address, name: WALLET_ACCOUNT_NAME });
  return { address: pair.address, signed: () => signed };
}

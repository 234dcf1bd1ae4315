// What every page works with: the settings, the node connection, the
// protocol's contracts, the stablecoin, and who signs. Pages read it and
// re-render when it changes.
import { devSigners, type Signer } from './chain/signers';
import { extensionSigners } from './chain/wallet';
import { connect, type Connection } from './chain/connection';
import { openProtocol, type Protocol } from './chain/contracts';
import { tokenOf } from './chain/market';
import type { Token } from './domain/amount';
import { messageOf } from './dom';
import type { Settings } from './settings';

/// How far the console got with the chosen node and broker.
export type ChainState =
  | { kind: 'connecting' }
  | { kind: 'unreachable'; why: string }
  /// Connected, but the broker could not be opened (none set, none there).
  | { kind: 'no-protocol'; connection: Connection; why: string }
  | { kind: 'ready'; connection: Connection; protocol: Protocol; token: Token };

export class App {
  settings: Settings;
  defaults: Settings;
  chain: ChainState = { kind: 'connecting' };
  signers: Signer[] = [];
  signer: Signer | null = null;
  /// Why the wallet extensions gave no accounts, if they did not.
  signersNote = '';
  #listeners = new Set<() => void>();
  #generation = 0;

  constructor(settings: Settings, defaults: Settings) {
    this.settings = settings;
    this.defaults = defaults;
  }

  /// Calls `listener` on every change; returns how to stop.
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }

  /// The connection, once there is one.
  get connection(): Connection | null {
    return this.chain.kind === 'no-protocol' || this.chain.kind === 'ready' ? this.chain.connection : null;
  }

  /// (Re)connects with `settings`: the node, then the broker, then the
  /// accounts that may sign there. A later call wins over an earlier one
  /// still under way.
  async connect(settings: Settings): Promise<void> {
    const generation = ++this.#generation;
    const previous = this.connection;
    this.settings = settings;
    this.chain = { kind: 'connecting' };
    this.#changed();
    await previous?.api.disconnect().catch(() => undefined);
    let chain: ChainState;
    try {
      const connection = await connect(settings.nodeUrl);
      chain = await this.#open(connection, settings.broker);
    } catch (error) {
      chain = { kind: 'unreachable', why: messageOf(error) };
    }
    if (generation !== this.#generation) {
      if (chain.kind === 'ready' || chain.kind === 'no-protocol') await chain.connection.api.disconnect().catch(() => undefined);
      return;
    }
    this.chain = chain;
    await this.#loadSigners();
    this.#changed();
  }

  async #open(connection: Connection, broker: string): Promise<ChainState> {
    if (broker === '') {
      return { kind: 'no-protocol', connection, why: "no broker address is set: write the broker's address in the settings" };
    }
    try {
      const protocol = await openProtocol(connection, broker);
      const token = await tokenOf(connection, protocol);
      return { kind: 'ready', connection, protocol, token };
    } catch (error) {
      return { kind: 'no-protocol', connection, why: messageOf(error) };
    }
  }

  /// The wallet extensions' accounts, and on a dev chain Alice to Ferdie.
  async #loadSigners(): Promise<void> {
    const connection = this.connection;
    if (connection === null) {
      this.signers = [];
      this.signer = null;
      return;
    }
    let fromExtensions: Signer[] = [];
    try {
      fromExtensions = await extensionSigners(connection);
      this.signersNote = fromExtensions.length === 0 ? 'no wallet extension shares an account with this page' : '';
    } catch (error) {
      this.signersNote = `the wallet extension failed: ${messageOf(error)}`;
    }
    this.signers = [...fromExtensions, ...(await devSigners(connection))];
    const kept = this.signers.find((signer) => signer.address === this.signer?.address);
    this.signer = kept ?? this.signers[0] ?? null;
  }

  /// Signs from now on with the account at `address`.
  choose(address: string): void {
    this.signer = this.signers.find((signer) => signer.address === address) ?? null;
    this.#changed();
  }
}

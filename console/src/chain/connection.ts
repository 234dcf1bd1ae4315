// One connection to the chosen node: the only host besides the serving
// indexer that the console talks to.
import type {} from '@polkadot/api-augment';
import { ApiPromise, WsProvider } from '@polkadot/api';

const RECONNECT_MS = 2_500;
const CONNECT_TIMEOUT_MS = 15_000;

export interface Connection {
  api: ApiPromise;
  url: string;
  /// The chain's name, as the node says it.
  chain: string;
  /// A development chain (`--dev`): its well-known accounts may sign.
  isDev: boolean;
  ss58Format: number;
  /// The native token, which pays transaction fees.
  native: { symbol: string; decimals: number };
}

/// Connects to the node at `url`, or says why not. A node that does not
/// answer is not retried for ever: the settings bar offers another try.
export async function connect(url: string): Promise<Connection> {
  if (!/^wss?:\/\//.test(url)) {
    throw new Error(`${url} is not a node address: write it like ws://127.0.0.1:9944`);
  }
  // Reconnects by itself once connected, so a node that restarts comes back.
  const provider = new WsProvider(url, RECONNECT_MS);
  try {
    const api = await withTimeout(
      ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true }),
      CONNECT_TIMEOUT_MS,
      'no answer',
    );
    const [chain, chainType] = await Promise.all([api.rpc.system.chain(), api.rpc.system.chainType()]);
    const properties = api.registry.getChainProperties();
    return {
      api,
      url,
      chain: chain.toString(),
      isDev: chainType.isDevelopment || chainType.isLocal,
      ss58Format: api.registry.chainSS58 ?? 42,
      native: {
        symbol: properties?.tokenSymbol.unwrapOr(undefined)?.[0]?.toString() ?? 'units',
        decimals: properties?.tokenDecimals.unwrapOr(undefined)?.[0]?.toNumber() ?? 0,
      },
    };
  } catch (error) {
    await provider.disconnect().catch(() => undefined);
    throw new Error(`cannot reach the node at ${url}: ${(error as Error).message ?? error}`);
  }
}

/// The chain's time, milliseconds since the epoch, at its best block.
export async function chainNow(connection: Connection): Promise<bigint> {
  return (await connection.api.query.timestamp.now()).toBigInt();
}

function withTimeout<T>(promise: Promise<T>, ms: number, why: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${why} within ${ms / 1000} s`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

// The serving indexer's JSON API (indexer/src/api/answer.rs), typed: the
// only host besides the chosen node the console talks to, always the origin
// that served the page. Amounts come as decimal strings of units.

/// One offer that fits a search (`OfferMatch`).
export interface OfferMatch {
  cpu: number;
  disk_gb: number;
  disk_speed: string;
  free_machines: number;
  miner: string;
  name: string;
  network_mbps: number;
  offer: number;
  price_per_second_units: string;
  ram_gb: number;
  region: string;
  /// The miner's reputation, 0 to 1 (0.5 without history).
  score: number;
  vm_type: number;
}

export type Order = 'price' | 'reputation';

/// `GET /offers/search`'s parameters (`SearchQuery`); unset ones narrow
/// nothing.
export interface SearchQuery {
  min_cpu?: number;
  min_ram_gb?: number;
  min_disk_gb?: number;
  disk_speed?: string;
  min_network_mbps?: number;
  region?: string;
  /// The most per second, in units.
  max_price?: bigint;
  sort: Order;
}

/// What the serving origin says to start with (`GET /console/defaults.json`).
export interface ConsoleDefaults {
  broker: string;
  node_url: string;
}

/// The indexer could not be asked: no indexer served the page, or it is
/// gone. The console goes on with the chain alone.
export class IndexerUnreachable extends Error {
  override name = 'IndexerUnreachable';
}

/// The indexer answered with an error: a 400's sentence says which
/// parameter and why.
export class IndexerRefused extends Error {
  override name = 'IndexerRefused';
}

/// The offers that fit `query`, in its order.
export async function searchOffers(query: SearchQuery): Promise<OfferMatch[]> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const answer = await getJson<{ offers: OfferMatch[] }>(`offers/search?${params}`);
  return answer.offers;
}

/// The defaults the serving `p2pcloud serve --console` was started with.
export async function consoleDefaults(): Promise<ConsoleDefaults> {
  return getJson<ConsoleDefaults>('console/defaults.json');
}

/// `path` of the serving origin, relative to the page (so a console served
/// under a path prefix asks its own server).
async function getJson<T>(path: string): Promise<T> {
  if (location.protocol !== 'http:' && location.protocol !== 'https:') {
    throw new IndexerUnreachable(`the page was not served by an indexer (${location.protocol})`);
  }
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  } catch (error) {
    throw new IndexerUnreachable(`the indexer does not answer: ${(error as Error).message}`);
  }
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('application/json')) {
    throw new IndexerUnreachable(`no indexer API here (${response.status} ${response.statusText})`);
  }
  const body = (await response.json()) as T | { error: string };
  if (!response.ok) {
    const why = typeof body === 'object' && body !== null && 'error' in body ? body.error : response.statusText;
    // A 400 is the question's fault; a 500 the indexer's (its store, its node).
    if (response.status < 500) throw new IndexerRefused(`the indexer refused: ${why}`);
    throw new IndexerUnreachable(`the indexer failed: ${why}`);
  }
  return body as T;
}

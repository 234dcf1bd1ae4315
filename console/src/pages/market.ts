// The market: the offers with a free machine, with spec, region, price per
// hour and per month in the token's units and the miner's reputation, from
// the serving indexer's search; without an indexer, from the broker's
// pages on chain, with no spec and no reputation, and the page says so.
import type { App } from '../app';
import { shortAddress } from '../chain/signers';
import { availableOffers, type ChainOffer } from '../chain/market';
import { formatAmount, parseAmount, type Token } from '../domain/amount';
import { perSecondWithin, pricePer } from '../domain/price';
import { field, h, messageOf, note, replace } from '../dom';
import { activityLog, actorOf, refuseInLog, runAction } from './activity';
import { book, NOT_DONE } from '../flows/actions';
import { IndexerRefused, IndexerUnreachable, searchOffers, type OfferMatch, type Order, type SearchQuery } from '../indexer';

/// One row of the market, wherever it came from.
interface Row {
  offer: number;
  vmType: number;
  /// The catalogue's spec: the indexer's only.
  spec: Pick<OfferMatch, 'name' | 'cpu' | 'ram_gb' | 'disk_gb' | 'disk_speed' | 'network_mbps' | 'region'> | null;
  freeMachines: number;
  pricePerSecond: bigint;
  miner: string;
  /// The miner's reputation: the indexer's only.
  score: number | null;
}

/// What the filter form asks, read from its inputs.
interface Filters {
  query: SearchQuery;
  /// The most per hour, as written, in whole tokens.
  maxPerHour: string;
}

export function marketPage(app: App, root: HTMLElement): () => void {
  const inputs = filterInputs();
  const source = h('div', { class: 'source' });
  const results = h('div', { class: 'results' });
  const bookLog = activityLog();
  const onBook = (row: Row) => {
    const actor = actorOf(app);
    const what = NOT_DONE.book(row.offer);
    if (typeof actor === 'string') return refuseInLog(bookLog, what, actor);
    void runAction(bookLog, results, what, actor.connection, book(actor, row.offer, row.pricePerSecond), () => void refresh());
  };
  const form = h(
    'form',
    { class: 'filters', onsubmit: (event: Event) => { event.preventDefault(); void refresh(); } },
    field('CPUs at least', inputs.min_cpu),
    field('RAM (GB) at least', inputs.min_ram_gb),
    field('disk (GB) at least', inputs.min_disk_gb),
    field('disk speed', inputs.disk_speed),
    field('network (Mbps) at least', inputs.min_network_mbps),
    field('region', inputs.region),
    field('price per hour at most', inputs.max_per_hour, 'in whole tokens'),
    field('sort by', inputs.sort),
    h('button', { type: 'submit' }, 'search'),
  );
  root.append(
    h('h1', {}, 'Market'),
    form,
    source,
    h('p', {}, 'Booking an offer accepts its price per second as the most you pay (the offer\'s price may only change for new bookings). Your balance must cover a week of all your bookings: deposit on the account page first.'),
    results,
    bookLog,
  );

  const filters = (): Filters => {
    const whole = (input: HTMLInputElement) => (input.value === '' ? undefined : Number(input.value));
    return {
      query: {
        min_cpu: whole(inputs.min_cpu),
        min_ram_gb: whole(inputs.min_ram_gb),
        min_disk_gb: whole(inputs.min_disk_gb),
        disk_speed: inputs.disk_speed.value || undefined,
        min_network_mbps: whole(inputs.min_network_mbps),
        region: inputs.region.value.trim() || undefined,
        sort: inputs.sort.value as Order,
      },
      maxPerHour: inputs.max_per_hour.value.trim(),
    };
  };

  let generation = 0;
  const refresh = async () => {
    const mine = ++generation;
    const token = app.chain.kind === 'ready' ? app.chain.token : null;
    replace(results, note('info', 'reading the offers…'));
    try {
      const rows = await readRows(app, filters(), token);
      if (mine !== generation) return;
      replace(source, rows.note);
      replace(results, table(rows.rows, token, onBook));
    } catch (error) {
      if (mine !== generation) return;
      replace(source);
      replace(results, note('error', messageOf(error)));
    }
  };
  const stop = app.subscribe(() => void refresh());
  void refresh();
  return () => {
    generation++;
    stop();
  };
}

/// The filter form's inputs, by the search parameter each sets.
function filterInputs() {
  const numberInput = (name: string, placeholder: string) =>
    h('input', { name, type: 'number', min: 0, step: 1, inputmode: 'numeric', placeholder });
  return {
    min_cpu: numberInput('min_cpu', 'any'),
    min_ram_gb: numberInput('min_ram_gb', 'any'),
    min_disk_gb: numberInput('min_disk_gb', 'any'),
    disk_speed: h('select', { name: 'disk_speed' }, ...['', 'hdd', 'ssd', 'nvme'].map((speed) => h('option', { value: speed }, speed || 'any'))),
    min_network_mbps: numberInput('min_network_mbps', 'any'),
    region: h('input', { name: 'region', placeholder: 'any', spellcheck: 'false' }),
    max_per_hour: h('input', { name: 'max_per_hour', inputmode: 'decimal', placeholder: 'any' }),
    sort: h('select', { name: 'sort' }, h('option', { value: 'price' }, 'price'), h('option', { value: 'reputation' }, 'reputation')),
  };
}

/// The rows `filters` ask for: the indexer's search, else the chain's pages.
async function readRows(app: App, filters: Filters, token: Token | null): Promise<{ rows: Row[]; note: HTMLElement }> {
  const decimals = token?.decimals ?? 0;
  const query: SearchQuery = { ...filters.query };
  if (filters.maxPerHour !== '') {
    if (token === null) {
      throw new Error('the price filter needs the token, read from the node: connect to it first');
    }
    query.max_price = perSecondWithin(parseAmount(filters.maxPerHour, decimals));
  }
  try {
    const offers = await searchOffers(query);
    const unitsNote = token === null ? ' Prices are in the token\'s smallest units until the node is connected.' : '';
    return {
      rows: offers.map(fromIndexer),
      note: note('info', `Offers from the indexer's search, with the catalogue's specs and each miner's reputation.${unitsNote}`),
    };
  } catch (error) {
    if (error instanceof IndexerRefused || !(error instanceof IndexerUnreachable)) throw error;
    if (app.chain.kind !== 'ready') {
      throw new Error(`${error.message}; and the chain cannot be read either: ${chainProblem(app)}`);
    }
    const offers = await availableOffers(app.chain.connection, app.chain.protocol);
    return {
      rows: fromChain(offers, query),
      note: note(
        'warning',
        `The indexer is not reachable (${error.message}): these are the broker's offers read from the chain. `,
        'Reputation and the VM specs (the indexer\'s catalogue) are unavailable, so only the price filter applies.',
      ),
    };
  }
}

function chainProblem(app: App): string {
  const chain = app.chain;
  switch (chain.kind) {
    case 'connecting':
      return 'still connecting';
    case 'unreachable':
    case 'no-protocol':
      return chain.why;
    case 'ready':
      return '';
  }
}

function fromIndexer(offer: OfferMatch): Row {
  return {
    offer: offer.offer,
    vmType: offer.vm_type,
    spec: offer,
    freeMachines: offer.free_machines,
    pricePerSecond: BigInt(offer.price_per_second_units),
    miner: offer.miner,
    score: offer.score,
  };
}

/// The chain's offers that fit what can be asked of them without a
/// catalogue (the price), cheapest first (then by id), as the search orders.
function fromChain(offers: ChainOffer[], query: SearchQuery): Row[] {
  return offers
    .filter((offer) => !offer.closed && offer.booked < offer.machines)
    .filter((offer) => query.max_price === undefined || offer.pricePerSecond <= query.max_price)
    .sort((a, b) => (a.pricePerSecond === b.pricePerSecond ? a.id - b.id : a.pricePerSecond < b.pricePerSecond ? -1 : 1))
    .map((offer) => ({
      offer: offer.id,
      vmType: offer.vmType,
      spec: null,
      freeMachines: offer.machines - offer.booked,
      pricePerSecond: offer.pricePerSecond,
      miner: offer.miner,
      score: null,
    }));
}

function table(rows: Row[], token: Token | null, onBook: (row: Row) => void): HTMLElement {
  if (rows.length === 0) {
    return note('info', 'No offer with a free machine fits.');
  }
  const money = (units: bigint) => (token === null ? `${units} units` : `${formatAmount(units, token.decimals)} ${token.symbol}`);
  const headings = ['offer', 'VM type', 'spec', 'region', 'free', 'per hour', 'per month', 'miner', 'reputation', ''];
  const cell = (label: string, ...content: (string | HTMLElement)[]) => h('td', { 'data-label': label }, ...content);
  return h(
    'table',
    { class: 'offers' },
    h('thead', {}, h('tr', {}, ...headings.map((heading) => h('th', { scope: 'col' }, heading)))),
    h(
      'tbody',
      {},
      ...rows.map((row) => {
        const price = pricePer(row.pricePerSecond);
        const spec = row.spec;
        return h(
          'tr',
          { 'data-offer': row.offer },
          cell('offer', `#${row.offer}`),
          cell('VM type', spec ? `${spec.name} (${row.vmType})` : String(row.vmType)),
          cell('spec', spec ? `${spec.cpu} CPU, ${spec.ram_gb} GB RAM, ${spec.disk_gb} GB ${spec.disk_speed}, ${spec.network_mbps} Mbps` : '—'),
          cell('region', spec ? spec.region : '—'),
          cell('free', String(row.freeMachines)),
          cell('per hour', money(price.hour)),
          cell('per month', money(price.month)),
          cell('miner', h('span', { title: row.miner }, shortAddress(row.miner))),
          cell('reputation', row.score === null ? 'unavailable' : row.score.toFixed(3)),
          cell('', h('button', { type: 'button', name: 'book', onclick: () => onBook(row) }, 'book')),
        );
      }),
    ),
  );
}

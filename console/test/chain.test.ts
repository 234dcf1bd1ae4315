// The console on a real substrate-contracts-node --dev (devchain.ts starts
// one and deploys the protocol; SKIPPED without a node or the bundles):
// - its chain side: the protocol opened from the broker's address alone,
//   the market read from the broker's pages, and the deposit pattern every
//   signed action follows (dry run, the CLI's refusal sentence before
//   anything is signed, approve only after the checks, progress to a block);
// - its pages, the built dist/app.js run in jsdom (page.ts), with and
//   without an indexer. jsdom is no browser (no layout, no extension): the
//   Playwright test on headless Chromium is still to come (console/README.md).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Connection } from '../src/chain/connection';
import type { Protocol } from '../src/chain/contracts';
import { availableOffers, balanceReport, tokenBalance, tokenOf } from '../src/chain/market';
import type { Signer } from '../src/chain/signers';
import { act, landed } from '../src/flows/call';
import { deposit } from '../src/flows/deposit';
import { last, show, startChain, untilInBlock, whyNoChain, type DevChain } from './devchain';
import { openConsole, text, until, type Indexer } from './page';

const skip = whyNoChain();
if (skip !== null) console.log(`console chain tests: SKIPPED (${skip})`);
const options = { skip: skip ?? false };

let chain: DevChain;
let connection: Connection;
let protocol: Protocol;
let signers: Record<string, Signer>;

before(async () => {
  if (skip !== null) return;
  chain = await startChain();
  ({ connection, protocol, signers } = chain);
});

after(async () => {
  await chain?.stop();
});

test('the broker names its community and stablecoin, whose token the console reads', options, async () => {
  assert.ok(connection.isDev);
  assert.equal(protocol.broker.name, 'broker');
  assert.deepEqual(await tokenOf(connection, protocol), { symbol: 'mUSD', decimals: 6 });
});

test('a refused deposit says the CLI sentence and signs nothing', options, async () => {
  const charlie = signers.Charlie!;
  const nonce = async () => (await connection.api.rpc.system.accountNextIndex(charlie.address)).toNumber();
  const before = await nonce();
  const zero = await untilInBlock(deposit(connection, protocol, charlie, 0n, null));
  assert.deepEqual(zero, [{ kind: 'refused', why: 'nothing deposited: the broker refused: the amount must be above zero' }]);
  const broke = await untilInBlock(deposit(connection, protocol, charlie, 10_000_000n, null));
  assert.deepEqual(broke, [{ kind: 'refused', why: 'nothing deposited: the stablecoin refused: the balance is too low' }]);
  assert.equal(await nonce(), before, 'nothing was signed');
});

test('a deposit approves the broker, then deposits, each to its block', options, async () => {
  const charlie = signers.Charlie!;
  const minted = await untilInBlock(act(connection, { contract: protocol.stablecoin, label: 'PSP22Mintable::mint', args: [1_000_000_000n] }, charlie));
  assert.ok(landed(last(minted)), show(minted));
  const steps = await untilInBlock(deposit(connection, protocol, charlie, 700_000_000n, null), 'broker deposit_coin');
  const calls = steps.filter((step) => step.kind === 'prepared').map((step) => step.kind === 'prepared' && step.call);
  assert.deepEqual(calls, ['stablecoin PSP22::approve', 'broker deposit_coin']);
  assert.ok(landed(last(steps)), show(steps));
  const prepared = steps.find((step) => step.kind === 'prepared');
  assert.ok(prepared?.kind === 'prepared' && prepared.limits.gas.refTime > 0n);
  const report = await balanceReport(connection, protocol, charlie.address);
  assert.equal(report.deposited, 700_000_000n);
  assert.equal(report.runsOutAt, null);
  assert.equal(await tokenBalance(connection, protocol, charlie.address), 300_000_000n);
});

test('without an indexer the market is the broker\'s pages', options, async () => {
  const bob = signers.Bob!;
  const offered = await untilInBlock(
    act(connection, { contract: protocol.broker, label: 'add_offer', args: [7, 1_000n, 2, new Uint8Array(32)] }, bob),
  );
  assert.ok(landed(last(offered)), show(offered));
  const offers = await availableOffers(connection, protocol);
  assert.deepEqual(offers, [{ id: 0, miner: bob.address, vmType: 7, pricePerSecond: 1_000n, machines: 2, booked: 0, closed: false }]);
});

/// What the page shows once `wanted` is in it, or what it showed instead.
async function shows(page: ReturnType<typeof openConsole>, wanted: string, ms?: number): Promise<string> {
  return until(
    () => text(page.document).includes(wanted) && text(page.document),
    () => `"${wanted}" never showed; the page says: ${text(page.document)}; errors: ${page.errors.join('; ')}`,
    ms,
  );
}

test('without an indexer the market page reads the broker and says what is missing', options, async () => {
  const page = openConsole({
    hash: '#/market',
    indexer: null,
    settings: { nodeUrl: chain.url, broker: protocol.broker.address },
  });
  try {
    await shows(page, 'The indexer is not reachable');
    const row = await until(
      () => page.document.querySelector('table.offers tbody tr'),
      () => text(page.document),
    );
    const cells = Array.from(row.querySelectorAll('td')).map((cell) => cell.textContent);
    // Offer 0 of the test before: 1 000 units a second of a 6-decimal token.
    assert.deepEqual(cells, ['#0', '7', '—', '—', '2', '3.6 mUSD', '2592 mUSD', cells[7], 'unavailable', 'book']);
    assert.match(text(page.document), /a development chain: the dev accounts may sign/);
    assert.deepEqual(page.errors, []);
  } finally {
    page.close();
  }
});

test('with an indexer the market is its search, with specs, prices in the token and reputation', options, async () => {
  const bob = signers.Bob!;
  const asked: string[] = [];
  const indexer: Indexer = (path) => {
    if (path === 'console/defaults.json') return { status: 200, body: { broker: protocol.broker.address, node_url: chain.url } };
    if (path.startsWith('offers/search')) {
      asked.push(path);
      const offer = {
        cpu: 8, disk_gb: 500, disk_speed: 'nvme', free_machines: 2, miner: bob.address, name: 'gpu-ready',
        network_mbps: 10000, offer: 0, price_per_second_units: '1000', ram_gb: 32, region: 'eu-central',
        score: 0.5, vm_type: 7,
      };
      return { status: 200, body: { offers: path.includes('min_cpu=16') ? [] : [offer] } };
    }
    return undefined;
  };
  const page = openConsole({ hash: '#/market', indexer });
  try {
    await shows(page, "Offers from the indexer's search");
    // The token's units need the chain: the prices show once it is read.
    await shows(page, '3.6 mUSD');
    const cells = Array.from(page.document.querySelectorAll('table.offers tbody td')).map((cell) => cell.textContent);
    assert.deepEqual(cells, [
      '#0', 'gpu-ready (7)', '8 CPU, 32 GB RAM, 500 GB nvme, 10000 Mbps', 'eu-central', '2',
      '3.6 mUSD', '2592 mUSD', cells[7], '0.500', 'book',
    ]);
    assert.ok(asked.includes('offers/search?sort=price'), asked.join(', '));
    const form = page.document.querySelector('form.filters') as HTMLFormElement;
    (form.elements.namedItem('min_cpu') as HTMLInputElement).value = '16';
    (form.elements.namedItem('sort') as HTMLSelectElement).value = 'reputation';
    form.requestSubmit();
    await shows(page, 'No offer with a free machine fits.');
    assert.ok(asked.includes('offers/search?min_cpu=16&sort=reputation'), asked.join(', '));
    // The page asked its own origin, and for nothing but the API.
    assert.ok(page.requests.every((path) => path === 'console/defaults.json' || path.startsWith('offers/search?')), page.requests.join(', '));
    assert.deepEqual(page.errors, []);
  } finally {
    page.close();
  }
});

test('the account page refuses as the CLI does, then deposits to finality', options, async () => {
  const dave = signers.Dave!;
  const page = openConsole({
    hash: '#/account',
    indexer: null,
    settings: { nodeUrl: chain.url, broker: protocol.broker.address },
  });
  try {
    const picker = await until(
      () => {
        const select = page.document.querySelector('select[name=signer]') as HTMLSelectElement | null;
        return select && select.options.length === 6 && select;
      },
      () => text(page.document),
    );
    picker.value = dave.address;
    picker.dispatchEvent(new page.window.Event('change'));
    await shows(page, dave.address);
    const form = page.document.querySelector('form.action.deposit') as HTMLFormElement;
    const amount = form.elements.namedItem('amount') as HTMLInputElement;
    const log = form.querySelector('ol.progress') as HTMLElement;
    const deposit = async (value: string, wanted: string) => {
      amount.value = value;
      form.requestSubmit();
      return until(() => text(log).includes(wanted) && text(log), () => `"${wanted}" never showed: ${text(log)}`, 60_000);
    };

    const beneficiary = form.elements.namedItem('for') as HTMLInputElement;
    beneficiary.value = 'bob';
    await deposit('1', 'nothing deposited: bob is neither an SS58 address nor 0x-prefixed hex');
    beneficiary.value = '';
    await deposit('0.0000001', "nothing deposited: 0.0000001 has more than the token's 6 decimals");
    await deposit('0', 'nothing deposited: the broker refused: the amount must be above zero');
    await deposit('5', 'nothing deposited: the stablecoin refused: the balance is too low');

    const minted = await untilInBlock(act(connection, { contract: protocol.stablecoin, label: 'PSP22Mintable::mint', args: [9_000_000n] }, dave));
    assert.ok(landed(last(minted)), show(minted));
    const steps = await deposit('5', 'broker deposit_coin: finalized in block');
    assert.match(steps, /stablecoin PSP22::approve: dry run passed; signing with gas \d+ ref_time/);
    assert.match(steps, /stablecoin PSP22::approve: included in block #\d+/);
    assert.match(steps, /broker deposit_coin: included in block #\d+; waiting for finality/);
    await shows(page, 'deposited5 mUSD');
    await shows(page, 'wallet4 mUSD');
    assert.equal((await balanceReport(connection, protocol, dave.address)).deposited, 5_000_000n);
    assert.deepEqual(page.errors, []);
  } finally {
    page.close();
  }
});

// The seed's workflow in a real browser: headless Chromium (Debian's
// `chromium`, driven by playwright-core; no browser download) on a phone-
// sized screen, against a substrate-contracts-node --dev, deployed to by
// `p2pcloud deploy`, and `p2pcloud serve --console`, as the README has a
// newcomer do, all started by the test. Alice proposes a lower fee and
// votes for it and for a release; Bob offers a VM from the miner's page;
// Charlie mints test tokens, finds the offer on the market by its spec,
// deposits (and for Dave), books, sees his time left, withdraws; Bob
// claims; Charlie stops the booking with a report; Alice collects the
// fees, claims her share and executes both proposals once they passed; a
// wallet extension stand-in signs for its account; Bob closes his offer.
// Every step reads what the page shows and checks it against the chain;
// the page asks no host but the node and the serving indexer; it runs
// under the server's content security policy (the signing library's
// WebAssembly included); without an indexer it reads the market from the
// chain and says so. A screenshot of each page is kept (printed where).
// SKIPPED without the node, the bundles, chromium or the p2pcloud binary.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { userBookings } from '../src/chain/bookings';
import { fees, proposals, releases, voteOf } from '../src/chain/community';
import { chainNow } from '../src/chain/connection';
import { read } from '../src/chain/contracts';
import { balanceReport, minerOffers, tokenBalance } from '../src/chain/market';
import type { Signer } from '../src/chain/signers';
import { formatAmount } from '../src/domain/amount';
import { describeTimeLeft, timeLeft, utcMinute } from '../src/domain/time_left';
import { act, landed } from '../src/flows/call';
import { artifactsFolder, cells, fitsWidth, openAs, record, reportValue, shows, textOf, type Recorded } from './browser';
import { contractEvents, fundNative, last, nonceOf, show, startChain, untilInBlock, whyNoChain, type DevChain } from './devchain';
import { CONSOLE } from './paths';
import { injectWallet, WALLET, WALLET_ACCOUNT_NAME } from './wallet';
import { chromiumPath, CliDeployment, serveConsole, whyNoBrowser, type Served } from './served';

const skip = whyNoChain() ?? whyNoBrowser();
if (skip !== null) console.log(`console browser test: SKIPPED (${skip})`);
const options = { skip: skip ?? false };

/// How long the proposal Alice votes on stays open: long enough for her
/// vote, short enough to execute it before the test ends.
const VOTING_PERIOD = '30s';
/// A phone's screen.
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

let chain: DevChain;
let deployment: CliDeployment;
let served: Served;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let recorded: Recorded;
let artifacts: string;
let signers: Record<string, Signer>;
let votingEnds: bigint;

before(async () => {
  if (skip !== null) return;
  deployment = new CliDeployment(VOTING_PERIOD);
  chain = await startChain(deployment.deploy);
  signers = chain.signers;
  served = await serveConsole(chain, deployment);
  // Imported here: it needs Node.js 20, which whyNoBrowser checked.
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: chromiumPath()!, headless: true });
  context = await browser.newContext(PHONE);
  recorded = record(context);
  page = await context.newPage();
  artifacts = artifactsFolder();
  console.log(`console browser test: screenshots in ${artifacts}`);
});

after(async () => {
  await browser?.close();
  served?.stop();
  await chain?.stop();
  deployment?.remove();
});

/// The nonce of `signer`: unchanged when nothing was signed.
const nonce = (signer: Signer) => nonceOf(chain.connection, signer);

async function screenshot(name: string): Promise<void> {
  assert.ok(await fitsWidth(page), `${name}: the page is wider than the phone's screen`);
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

test('a member proposes a fee change and votes on it while it is open; a non-member cannot vote', options, async () => {
  const alice = signers.Alice!;
  const { connection, protocol } = chain;
  await openAs(page, served.url, '#/community', alice.address);
  await shows(page.locator('.membership'), 'is a member with voting weight 3');
  await shows(page.locator('.proposals'), 'No proposal has been made yet.');
  const form = page.locator('form.propose');
  await form.locator('input[name=fee_bps]').fill('2.5');
  await form.locator('button[type=submit]').click();
  await shows(form.locator('ol.progress'), 'nothing proposed: the community fee in basis points must be a whole number from 0 to 65535, not "2.5"');
  await form.locator('input[name=fee_bps]').fill('200');
  await form.locator('input[name=description]').fill('halve the fee');
  await form.locator('button[type=submit]').click();
  await shows(form.locator('ol.progress'), /community propose: finalized in block #\d+/);
  const [proposal] = await proposals(connection, protocol);
  assert.ok(proposal, 'the proposal is on chain');
  assert.deepEqual([proposal.action, proposal.description, proposal.state], ['set the community fee to 200 bps', 'halve the fee', 'Voting']);
  votingEnds = proposal.votingEnds;

  const row = page.locator('.proposals tr[data-proposal="0"]');
  await shows(row, 'set the community fee to 200 bpshalve the fee');
  await shows(row.locator('td[data-label=state]'), 'voting');
  await shows(row.locator('td[data-label=window]'), `voting closes in`);
  await shows(row.locator('td[data-label=window]'), utcMinute(votingEnds));

  const charlie = signers.Charlie!;
  await page.locator('select[name=signer]').selectOption(charlie.address);
  await shows(page.locator('.membership'), 'is not a member');
  const before = await nonce(charlie);
  await row.locator('button[name=vote-yes]').click();
  await shows(page.locator('.proposals + ol.progress'), 'no vote cast on proposal 0: the community refused: only members may do this');
  assert.equal(await nonce(charlie), before, 'nothing was signed');

  await page.locator('select[name=signer]').selectOption(alice.address);
  await shows(page.locator('.membership'), 'is a member with voting weight 3');
  await row.locator('button[name=vote-yes]').click();
  await shows(page.locator('.proposals + ol.progress'), /community vote: finalized/);
  assert.equal(await voteOf(connection, protocol, 0, alice.address), true);
  await shows(row.locator('td[data-label="your vote"]'), 'yes');
  await shows(row.locator('td[data-label="yes / no of total"]'), '3 / 0 of 4');

  // A release to approve, proposed as `p2pcloud community propose
  // approve-release` does; the page shows what it does, and Alice votes.
  const release = { kind: 'Protocol', name: 'p2pcloud-console', version: '0.1.0', contentHash: `0x${'11'.repeat(32)}` };
  const proposed = await untilInBlock(act(connection, { contract: protocol.community, label: 'propose', args: [{ ApproveRelease: release }, 'the console'] }, alice));
  assert.ok(landed(last(proposed)), show(proposed));
  votingEnds = (await proposals(connection, protocol))[1]!.votingEnds;
  await page.reload();
  await page.locator('select[name=signer]').selectOption(alice.address);
  const releaseRow = page.locator('.proposals tr[data-proposal="1"]');
  await shows(releaseRow, `approve the protocol release p2pcloud-console 0.1.0 (${release.contentHash})the console`);
  await releaseRow.locator('button[name=vote-yes]').click();
  await shows(page.locator('.proposals + ol.progress'), /community vote: finalized/);
  assert.equal(await voteOf(connection, protocol, 1, alice.address), true);
  await shows(releaseRow.locator('td[data-label="your vote"]'), 'yes');
  await screenshot('community-voted');
});

test('the miner adds an offer and updates it; a refused one is said as the CLI says it, unsigned', options, async () => {
  const bob = signers.Bob!;
  await openAs(page, served.url, '#/miner', bob.address);
  await shows(page.locator('.miner-offers'), 'This account offers nothing yet');
  const form = page.locator('form.add-offer');
  await form.locator('input[name=vm_type]').fill('7');
  await form.locator('input[name=price]').fill('0.001');
  await form.locator('input[name=machines]').fill('0');
  const before = await nonce(bob);
  await form.locator('button[type=submit]').click();
  await shows(form.locator('ol.progress'), 'offer not added: the broker refused: an offer needs at least one machine');
  assert.equal(await nonce(bob), before, 'nothing was signed');

  await form.locator('input[name=machines]').fill('2');
  await form.locator('button[type=submit]').click();
  const steps = await shows(form.locator('ol.progress'), /broker add_offer: finalized in block #\d+/);
  assert.match(steps, /broker add_offer: dry run passed; signing with gas \d+ ref_time \/ \d+ proof_size .* \(the dry run's plus 50%\)/);
  assert.match(steps, /broker add_offer: included in block #\d+; waiting for finality/);
  const [offer] = await minerOffers(chain.connection, chain.protocol, bob.address);
  assert.ok(offer, 'the offer is on chain');
  assert.deepEqual([offer.vmType, offer.pricePerSecond, offer.machines], [7, 1_000n, 2]);

  const row = page.locator(`.miner-offers tr[data-offer="${offer.id}"]`);
  await row.locator('input[name=machines]').fill('3');
  // The page reads the chain again when a call lands or the account
  // changes, and rebuilds the rows: what the miner typed stays.
  await page.locator('select[name=signer]').selectOption(signers.Charlie!.address);
  await shows(page.locator('.miner-offers'), 'This account offers nothing yet');
  await page.locator('select[name=signer]').selectOption(bob.address);
  assert.equal(await row.locator('input[name=machines]').inputValue(), '3', 'the machines typed before the rebuild');
  await row.locator('button[name=update]').click();
  await shows(page.locator('.miner-offers + ol.progress'), /broker update_offer: finalized/);
  assert.equal((await minerOffers(chain.connection, chain.protocol, bob.address))[0]?.machines, 3);
  await shows(row.locator('td[data-label=machines]'), '3');
  assert.deepEqual((await cells(page, `.miner-offers tr[data-offer="${offer.id}"]`)).slice(0, 7), [
    `#${offer.id}`, '7', '0.001 mUSD', '3.6 mUSD', '3', '0', 'open',
  ]);
  await screenshot('miner-offers');
});

test('the user finds the offer by its spec, with its price in the token and the miner\'s reputation', options, async () => {
  const charlie = signers.Charlie!;
  await openAs(page, served.url, '#/market', charlie.address);
  const filters = page.locator('form.filters');
  await filters.locator('input[name=min_cpu]').fill('8');
  await filters.locator('select[name=disk_speed]').selectOption('nvme');
  await filters.locator('input[name=region]').fill('eu-central');
  // The indexer reads the broker's offers every second.
  await shows(page.locator('.source'), "Offers from the indexer's search");
  const row = 'table.offers tr[data-offer="0"]';
  for (let tries = 0; (await page.locator(row).count()) === 0; tries++) {
    assert.ok(tries < 30, `offer 0 never showed: ${await textOf(page.locator('.results'))}`);
    await filters.locator('button[type=submit]').click();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  const [offer] = await minerOffers(chain.connection, chain.protocol, signers.Bob!.address);
  const search = (await (await fetch(`${served.url}offers/search?min_cpu=8&disk_speed=nvme&region=eu-central&sort=price`)).json()) as { offers: { offer: number; score: number }[] };
  const score = search.offers.find((found) => found.offer === 0)?.score;
  assert.ok(score !== undefined, JSON.stringify(search));
  const shown = await cells(page, row);
  assert.deepEqual(shown.slice(0, 7), [
    '#0', 'gpu-ready (7)', '8 CPU, 32 GB RAM, 500 GB nvme, 10000 Mbps', 'eu-central', String(offer!.machines - offer!.booked),
    `${formatAmount(offer!.pricePerSecond * 3_600n, 6)} mUSD`, `${formatAmount(offer!.pricePerSecond * 2_592_000n, 6)} mUSD`,
  ]);
  assert.equal(shown[8], score.toFixed(3));

  await filters.locator('input[name=min_cpu]').fill('16');
  await filters.locator('button[type=submit]').click();
  await shows(page.locator('.results'), 'No offer with a free machine fits.');
  await filters.locator('input[name=min_cpu]').fill('8');
  await filters.locator('button[type=submit]').click();
  await page.locator(row).waitFor();

  // Booking before any deposit is refused before anything is signed.
  assert.ok(await fitsWidth(page), 'the market is wider than the phone\'s screen');
  const before = await nonce(charlie);
  await page.locator(`${row} button[name=book]`).click();
  await shows(page.locator('.results + ol.progress'), 'offer 0 not booked: the broker refused: the balance cannot pay a week of all your bookings with this one');
  assert.equal(await nonce(charlie), before, 'nothing was signed');
  await screenshot('market');
});

test('the user deposits, books, and sees the time left and its run-out moment as the chain has them', options, async () => {
  const charlie = signers.Charlie!;
  await openAs(page, served.url, '#/account', charlie.address);
  // The dev chain's stablecoin mints to anyone (`p2pcloud token mint`).
  const mint = page.locator('form.mint');
  await mint.locator('input[name=amount]').fill('2000');
  await mint.locator('button[type=submit]').click();
  await shows(mint.locator('ol.progress'), /stablecoin PSP22Mintable::mint: finalized in block #\d+/);
  assert.equal(await tokenBalance(chain.connection, chain.protocol, charlie.address), 2_000_000_000n);
  await shows(page.locator('.balance'), 'wallet2000 mUSD');
  const deposit = page.locator('form.deposit');
  await deposit.locator('input[name=amount]').fill('1000');
  await deposit.locator('button[type=submit]').click();
  await shows(deposit.locator('ol.progress'), /broker deposit_coin: finalized in block #\d+/);
  await shows(page.locator('.balance'), 'deposited1000 mUSD');
  assert.equal((await balanceReport(chain.connection, chain.protocol, charlie.address)).deposited, 1_000_000_000n);
  // deposit_for: into Dave's balance, from Charlie's wallet.
  const dave = signers.Dave!;
  await deposit.locator('input[name=for]').fill(dave.address);
  await deposit.locator('input[name=amount]').fill('5');
  await deposit.locator('button[type=submit]').click();
  await shows(deposit.locator('ol.progress'), /broker deposit_for: finalized in block #\d+/);
  assert.equal((await balanceReport(chain.connection, chain.protocol, dave.address)).deposited, 5_000_000n);
  assert.equal((await balanceReport(chain.connection, chain.protocol, charlie.address)).deposited, 1_000_000_000n);
  await shows(page.locator('.balance'), 'wallet995 mUSD');
  await deposit.locator('input[name=for]').fill('');

  await page.locator('nav a[data-path=market]').click();
  await page.locator('table.offers tr[data-offer="0"] button[name=book]').click();
  await shows(page.locator('.results + ol.progress'), /broker book_vm: finalized in block #\d+/);
  const [booking] = await userBookings(chain.connection, chain.protocol, charlie.address);
  assert.ok(booking, 'the booking is on chain');

  await page.locator('nav a[data-path=account]').click();
  await page.locator(`.bookings tr[data-booking="${booking.id}"]`).waitFor();
  const report = await balanceReport(chain.connection, chain.protocol, charlie.address);
  assert.ok(report.runsOutAt !== null);
  assert.equal(await reportValue(page, '.balance', 'runs out'), utcMinute(report.runsOutAt));
  // The page's time is the chain's latest block's, as the dry runs see it.
  const left = describeTimeLeft(timeLeft(report, await chainNow(chain.connection)));
  assert.match(left, /^runs out in 11 days 13 hours, at /);
  assert.equal(await reportValue(page, '.balance', 'time left'), left);
  const shown = await cells(page, `.bookings tr[data-booking="${booking.id}"]`);
  assert.equal(shown[0], `#${booking.id}`);
  assert.equal(shown[3], '3.6 mUSD');
  assert.match(shown[6]!, new RegExp(`^runs out in .*, at ${utcMinute(report.runsOutAt)}$`));
  await screenshot('account-booked');
});

test('a withdrawal beyond the free balance is refused unsigned; one within it lands', options, async () => {
  const charlie = signers.Charlie!;
  const withdraw = page.locator('form.withdraw');
  const before = await nonce(charlie);
  await withdraw.locator('input[name=amount]').fill('1000');
  await withdraw.locator('button[type=submit]').click();
  await shows(withdraw.locator('ol.progress'), 'nothing withdrawn: the broker refused: that is more than the free balance');
  assert.equal(await nonce(charlie), before, 'nothing was signed');
  const wallet = await tokenBalance(chain.connection, chain.protocol, charlie.address);
  // A second at least after the booking, so the miner's claim below finds
  // something accrued at the latest block.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  await withdraw.locator('input[name=amount]').fill('100');
  await withdraw.locator('button[type=submit]').click();
  await shows(withdraw.locator('ol.progress'), /broker withdraw_coin: finalized/);
  assert.equal(await tokenBalance(chain.connection, chain.protocol, charlie.address), wallet + 100_000_000n);
  await shows(page.locator('.balance'), `wallet${formatAmount(wallet + 100_000_000n, 6)} mUSD`);
});

test('the miner sees the booking with its user\'s time left and claims it', options, async () => {
  const bob = signers.Bob!;
  await openAs(page, served.url, '#/miner', bob.address);
  const [booking] = await userBookings(chain.connection, chain.protocol, signers.Charlie!.address);
  const row = `.miner-bookings tr[data-booking="${booking!.id}"]`;
  const shown = await cells(page, row);
  const report = await balanceReport(chain.connection, chain.protocol, signers.Charlie!.address);
  assert.match(shown[6]!, new RegExp(`^runs out in .*, at ${utcMinute(report.runsOutAt!)}$`));
  await page.locator(`${row} button[name=claim]`).click();
  await shows(page.locator('.miner-bookings + ol.progress'), /broker claim_payment: finalized/);
  const earned = (await balanceReport(chain.connection, chain.protocol, bob.address)).deposited;
  assert.ok(earned > 0n, 'the claim paid the miner');
  await screenshot('miner-bookings');
  await page.locator('nav a[data-path=account]').click();
  await shows(page.locator('.balance'), `deposited${formatAmount(earned, 6)} mUSD`);
});

test('the user stops the booking with a report', options, async () => {
  const charlie = signers.Charlie!;
  await openAs(page, served.url, '#/account', charlie.address);
  const [booking] = await userBookings(chain.connection, chain.protocol, charlie.address);
  await page.locator(`.bookings tr[data-booking="${booking!.id}"] button[name=stop-and-report]`).click();
  const steps = await shows(page.locator('.bookings + ol.progress'), /broker stop_booking: finalized/);
  assert.doesNotMatch(steps, /refused|failed/);
  await shows(page.locator('.bookings'), 'This account has no active booking.');
  assert.deepEqual(await userBookings(chain.connection, chain.protocol, charlie.address), []);
  // The block the page said the stop was in holds the broker's report.
  const block = Number(/broker stop_booking: finalized in block #(\d+)/.exec(steps)![1]);
  const events = await contractEvents(chain.connection, chain.protocol.broker, block);
  assert.ok(events.some(({ name, args }) => name === 'BookingReported' && args.bookingId === String(booking!.id)), JSON.stringify(events));
  assert.ok(events.some(({ name, args }) => name === 'BookingStopped' && args.reason === 'MinerMisbehaviour'), JSON.stringify(events));
  await shows(page.locator('.balance'), 'time leftno bookings to pay for');
  await screenshot('account-stopped');
});

test('the member collects the fees, claims her share, and executes the proposal once it passed', options, async () => {
  const alice = signers.Alice!;
  const { connection, protocol } = chain;
  await openAs(page, served.url, '#/community', alice.address);
  const row = page.locator('.proposals tr[data-proposal="0"]');
  const feesSection = page.locator('section:has(> .fees)');
  await feesSection.locator('button[name=collect]').click();
  await shows(feesSection.locator('ol.progress'), /community collect_fees: finalized/);
  const collected = await fees(connection, protocol, alice.address);
  assert.ok(collected.collected > 0n && collected.claimable > 0n, JSON.stringify(collected, (_, v) => (typeof v === 'bigint' ? String(v) : v)));
  await shows(page.locator('.fees'), `collected into the open fee book${formatAmount(collected.collected, 6)} mUSD`);
  await shows(page.locator('.fees'), `your share to claim${formatAmount(collected.claimable, 6)} mUSD`);
  const wallet = await tokenBalance(connection, protocol, alice.address);
  await feesSection.locator('button[name=claim-share]').click();
  await shows(feesSection.locator('ol.progress'), /community claim_share: finalized/);
  assert.equal(await tokenBalance(connection, protocol, alice.address), wallet + collected.claimable);

  // Executing needs a block after the votes closed (the release's closes
  // last): wait it out, then the execution's own dry run runs on it once a
  // block is made.
  const wait = Number(votingEnds - (await chainNow(connection))) + 1_500;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const poke = await untilInBlock(act(connection, { contract: protocol.stablecoin, label: 'PSP22Mintable::mint', args: [1n] }, signers.Ferdie!));
  assert.ok(landed(last(poke)), show(poke));
  await page.reload();
  await page.locator('select[name=signer]').selectOption(alice.address);
  await shows(row.locator('td[data-label=state]'), 'passed');
  await shows(row.locator('td[data-label=window]'), 'executable until in');
  await row.locator('button[name=execute]').click();
  await shows(page.locator('.proposals + ol.progress'), /community execute: finalized/);
  assert.equal((await read(connection, protocol.broker, 'get_community_fee')).toString(), '200');
  await shows(row.locator('td[data-label=state]'), 'executed');
  await shows(page.locator('.fees'), 'community fee2% of each payment (200 bps)');

  const releaseRow = page.locator('.proposals tr[data-proposal="1"]');
  await releaseRow.locator('button[name=execute]').click();
  await shows(page.locator('.proposals + ol.progress'), /community execute: finalized/);
  const hash = `0x${'11'.repeat(32)}`;
  assert.equal((await read(connection, protocol.community, 'is_release_approved', ['p2pcloud-console', '0.1.0', hash])).toString(), 'true');
  const [approved] = await releases(connection, protocol);
  assert.ok(approved);
  assert.deepEqual(await cells(page, `.releases tbody tr`), [`#${approved.id}`, 'protocol', 'p2pcloud-console', '0.1.0', hash]);
  await screenshot('community-executed');
});

test('a wallet extension\'s account signs through the standard interface, asked only after the dry run passed', options, async () => {
  const walletPage = await context.newPage();
  const wallet = await injectWallet(walletPage, chain.connection);
  // Native tokens for its fees, from Alice.
  await fundNative(chain.connection, signers.Alice!, wallet.address, 10n ** 18n);
  await walletPage.goto(`${served.url}#/account`);
  await shows(walletPage.locator('.chain-status'), 'broker');
  const picker = walletPage.locator('select[name=signer]');
  await shows(picker, `${WALLET_ACCOUNT_NAME} (${WALLET})`);
  // The wallet's accounts come first, the first chosen.
  assert.equal(await picker.inputValue(), wallet.address);
  await shows(walletPage.locator('.balance'), wallet.address);

  const withdraw = walletPage.locator('form.withdraw');
  await withdraw.locator('input[name=amount]').fill('1');
  await withdraw.locator('button[type=submit]').click();
  await shows(withdraw.locator('ol.progress'), 'nothing withdrawn: the broker refused: that is more than the free balance');
  assert.equal(wallet.signed(), 0, 'the wallet was not asked');

  const mint = walletPage.locator('form.mint');
  await mint.locator('input[name=amount]').fill('5');
  await mint.locator('button[type=submit]').click();
  await shows(mint.locator('ol.progress'), /stablecoin PSP22Mintable::mint: finalized in block #\d+/);
  assert.equal(wallet.signed(), 1, 'the wallet signed the mint');
  assert.equal(await tokenBalance(chain.connection, chain.protocol, wallet.address), 5_000_000n);
  await shows(walletPage.locator('.balance'), 'wallet5 mUSD');
  await walletPage.close();
});

test('without an indexer the market is read from the chain, and the page says so', options, async () => {
  const offline = await context.newPage();
  await offline.addInitScript((settings) => localStorage.setItem('p2pcloud-console-settings', settings), JSON.stringify({ nodeUrl: chain.url, broker: chain.protocol.broker.address }));
  await offline.goto(`file://${join(CONSOLE, 'dist/index.html')}#/market`);
  await shows(offline.locator('.source'), "The indexer is not reachable");
  await shows(offline.locator('.source'), 'Reputation and the VM specs (the indexer\'s catalogue) are unavailable');
  const row = await cells(offline, 'table.offers tr[data-offer="0"]');
  assert.deepEqual([row[0], row[2], row[3], row[5], row[8]], ['#0', '—', '—', '3.6 mUSD', 'unavailable']);
  await offline.screenshot({ path: join(artifacts, 'market-without-indexer.png'), fullPage: true });
  await offline.close();
});

test('each page fits a desktop screen too', options, async () => {
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const desktopRecorded = record(desktop);
  const wide = await desktop.newPage();
  for (const path of ['market', 'account', 'miner', 'community']) {
    await openAs(wide, served.url, `#/${path}`, signers.Bob!.address);
    await shows(wide.locator('main h1'), path[0]!.toUpperCase() + path.slice(1));
    await wide.locator('main table, main .note').first().waitFor();
    assert.ok(await fitsWidth(wide), `${path} is wider than the desktop screen`);
    await wide.screenshot({ path: join(artifacts, `desktop-${path}.png`), fullPage: true });
  }
  await desktop.close();
  recorded.urls.push(...desktopRecorded.urls);
  recorded.errors.push(...desktopRecorded.errors);
});

test('the miner closes the offer, which leaves the chain', options, async () => {
  const bob = signers.Bob!;
  await openAs(page, served.url, '#/miner', bob.address);
  const row = page.locator('.miner-offers tr[data-offer="0"]');
  await row.locator('button[name=close]').click();
  await shows(page.locator('.miner-offers + ol.progress'), /broker remove_offer: finalized/);
  assert.deepEqual(await minerOffers(chain.connection, chain.protocol, bob.address), []);
  await shows(page.locator('.miner-offers'), 'This account offers nothing yet');
});

test('no request left for a host but the node and the serving indexer, and nothing broke the page', options, async () => {
  const allowed = [served.url.slice(0, -1), chain.url, 'file://'];
  const elsewhere = recorded.urls.filter((url) => !allowed.some((origin) => url === origin || url.startsWith(`${origin}/`) || url.startsWith(origin + (origin.endsWith('/') ? '' : '#'))));
  assert.deepEqual(elsewhere, [], 'requests to other hosts');
  assert.ok(recorded.urls.some((url) => url.startsWith(chain.url)), 'the node was reached over its WebSocket');
  assert.ok(recorded.urls.includes(`${served.url}app.js`), 'the console came from the server');
  assert.deepEqual(recorded.errors.filter((error) => !/Failed to fetch|ERR_FILE_NOT_FOUND|net::ERR/.test(error)), []);
});

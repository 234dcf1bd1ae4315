// Driving the console in headless Chromium (playwright-core, Debian's
// chromium: no browser download): the pages' text as a person reads it,
// the signing account chosen as a person chooses it, every request the
// page makes recorded, and a screenshot of each page kept.
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';

/// Where this run's screenshots go: $P2PCLOUD_HOME/console-artifacts/<time>,
/// outside the clone.
export function artifactsFolder(): string {
  const home = process.env.P2PCLOUD_HOME ?? join(homedir(), '.cache/p2pcloud');
  const folder = join(home, 'console-artifacts', new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(folder, { recursive: true });
  return folder;
}

/// What a browser context asked for, and what its pages said went wrong.
export interface Recorded {
  /// Every URL requested, WebSockets included.
  urls: string[];
  /// Uncaught errors and console errors (a CSP violation is one).
  errors: string[];
}

export function record(context: BrowserContext): Recorded {
  const recorded: Recorded = { urls: [], errors: [] };
  context.on('request', (request) => recorded.urls.push(request.url()));
  context.on('page', (page) => watch(page, recorded));
  return recorded;
}

function watch(page: Page, recorded: Recorded): void {
  page.on('websocket', (socket) => recorded.urls.push(socket.url()));
  page.on('pageerror', (error) => recorded.errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') recorded.errors.push(`console: ${message.text()}`);
  });
}

/// The text of `locator`, its runs of space made one.
export async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/// Waits until `locator`'s text includes `wanted` (or matches it), and
/// returns that text; fails saying what it showed instead.
export async function shows(locator: Locator, wanted: string | RegExp, ms = 30_000): Promise<string> {
  const deadline = Date.now() + ms;
  let seen = '';
  for (;;) {
    seen = (await locator.count()) > 0 ? await textOf(locator.first()) : '(nothing)';
    if (typeof wanted === 'string' ? seen.includes(wanted) : wanted.test(seen)) return seen;
    if (Date.now() > deadline) {
      const page = await textOf(locator.page().locator('body'));
      throw new Error(`waited ${ms / 1000} s for "${wanted}"; it shows: ${seen}; the page says: ${page}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/// Opens the page at `hash`, connected and signing as `address`.
export async function openAs(page: Page, base: string, hash: string, address: string): Promise<void> {
  await page.goto(`${base}${hash}`);
  await shows(page.locator('.chain-status'), 'broker');
  await page.locator('select[name=signer]').selectOption(address);
}

/// The cells of the table row `selector` on `page`, each as text.
export async function cells(page: Page, selector: string): Promise<string[]> {
  const row = page.locator(selector).first();
  await row.waitFor({ timeout: 60_000 });
  return (await row.locator('td').allTextContents()).map((cell) => cell.replace(/\s+/g, ' ').trim());
}

/// The value of the report line `label` (`<dt>label</dt><dd>value</dd>`).
export async function reportValue(page: Page, scope: string, label: string): Promise<string> {
  const line = page.locator(`${scope} dl.report > div`).filter({ has: page.getByText(label, { exact: true }) }).first();
  return textOf(line.locator('dd'));
}

/// Whether the page fits its viewport's width (nothing scrolls sideways).
export async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

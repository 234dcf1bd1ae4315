// The built console (dist/index.html and dist/app.js) run in jsdom, with the
// serving indexer stood in for by `fetch` answers (or by none: no indexer).
// jsdom runs the script and its WebSocket to the node; it lays nothing out
// and has no wallet extension, so a page here is the console with the dev
// accounts only.
import { readFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import { TextDecoder, TextEncoder } from 'node:util';
import { JSDOM, VirtualConsole } from 'jsdom';
import { CONSOLE } from './paths';

/// What the stand-in indexer answers for a path (relative, with its query),
/// or undefined for a 404.
export type Indexer = ((path: string) => { status: number; body: unknown } | undefined) | null;

export interface ConsolePage {
  window: JSDOM['window'];
  document: Document;
  /// Every path the page asked the serving origin for.
  requests: string[];
  /// What the page's script threw, uncaught.
  errors: string[];
  close(): void;
}

/// Opens the console at `hash` (`#/market`), with `settings` as if the
/// user had set them in this browser, and `indexer` answering its requests.
export function openConsole(options: {
  hash: string;
  indexer: Indexer;
  settings?: { nodeUrl: string; broker: string };
}): ConsolePage {
  const html = readFileSync(`${CONSOLE}/dist/index.html`, 'utf8');
  const script = readFileSync(`${CONSOLE}/dist/app.js`, 'utf8');
  const errors: string[] = [];
  const virtualConsole = new VirtualConsole();
  virtualConsole.on('jsdomError', (error) => errors.push(error.message));
  const dom = new JSDOM(html, {
    url: `http://console.test/${options.hash}`,
    runScripts: 'outside-only',
    pretendToBeVisual: true,
    virtualConsole,
  });
  const { window } = dom;
  const requests: string[] = [];
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  Object.assign(window, {
    fetch: async (input: string) => {
      requests.push(String(input));
      if (options.indexer === null) throw new TypeError('Failed to fetch');
      const answer = options.indexer(String(input));
      return answer === undefined ? json(404, { error: 'no such path' }) : json(answer.status, answer.body);
    },
  });
  // What every browser has and jsdom leaves out.
  if (!('crypto' in window) || typeof window.crypto?.getRandomValues !== 'function') {
    Object.defineProperty(window, 'crypto', { value: webcrypto });
  }
  // Byte arrays must be the page's own: the libraries check `instanceof
  // Uint8Array`, which a Node.js array fails in jsdom's realm.
  const pageBytes = window.Uint8Array;
  class PageTextEncoder {
    readonly encoding = 'utf-8';
    encode(input = ''): Uint8Array {
      return new pageBytes(new TextEncoder().encode(input));
    }
  }
  Object.assign(window, { TextEncoder: PageTextEncoder, TextDecoder });
  if (options.settings) {
    window.localStorage.setItem('p2pcloud-console-settings', JSON.stringify(options.settings));
  }
  window.eval(script);
  return { window, document: window.document, requests, errors, close: () => window.close() };
}

/// The text of `element` (or the whole page), its runs of space made one.
export function text(element: Element | Document): string {
  const node = 'body' in element ? element.body : element;
  return (node.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/// Waits until `check` returns something (not false, null or undefined),
/// and returns it; fails after `ms` saying `what` never happened.
export async function until<T>(check: () => T | false | null | undefined, what: () => string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== false && value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`waited ${ms / 1000} s: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Where the console connects: the node (any the user chooses) and the
// broker (which names its community and stablecoin). The serving indexer
// says its own defaults; what the user sets is kept in this browser.
import { consoleDefaults } from './indexer';

export interface Settings {
  nodeUrl: string;
  broker: string;
}

export const BUILT_IN: Settings = { nodeUrl: 'ws://127.0.0.1:9944', broker: '' };

const KEY = 'p2pcloud-console-settings';

/// The server's defaults (`p2pcloud serve --console`), or the built-in ones
/// when no indexer served the page.
export async function serverDefaults(): Promise<Settings> {
  try {
    const defaults = await consoleDefaults();
    return { nodeUrl: defaults.node_url, broker: defaults.broker };
  } catch {
    return BUILT_IN;
  }
}

/// What the user set in this browser, over `defaults`.
export function loadSettings(defaults: Settings): Settings {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Settings>;
    return {
      nodeUrl: typeof saved.nodeUrl === 'string' && saved.nodeUrl !== '' ? saved.nodeUrl : defaults.nodeUrl,
      broker: typeof saved.broker === 'string' && saved.broker !== '' ? saved.broker : defaults.broker,
    };
  } catch {
    return defaults;
  }
}

export function saveSettings(settings: Settings): void {
  localStorage.setItem(KEY, JSON.stringify(settings));
}

/// Forgets what the user set: the server's defaults apply again.
export function forgetSettings(): void {
  localStorage.removeItem(KEY);
}

// The console: the header (pages, connection, signing account) and the
// page the location's hash names.
import { App } from './app';
import { header } from './chrome';
import { h, replace } from './dom';
import { accountPage } from './pages/account';
import { marketPage } from './pages/market';
import { communityPage } from './pages/community';
import { minerPage } from './pages/miner';
import { startRouter, type Route } from './router';
import { loadSettings, serverDefaults } from './settings';

const ROUTES: Route[] = [
  { path: 'market', title: 'Market', page: marketPage },
  { path: 'account', title: 'Account', page: accountPage },
  { path: 'miner', title: 'Miner', page: minerPage },
  { path: 'community', title: 'Community', page: communityPage },
];

async function start(): Promise<void> {
  const body = document.body;
  const defaults = await serverDefaults();
  const app = new App(loadSettings(defaults), defaults);
  const main = h('main', { id: 'page' });
  const { element, markRoute } = header(app, ROUTES);
  replace(body, element, main);
  startRouter(app, main, ROUTES, markRoute);
  await app.connect(app.settings);
}

void start();

// What every page has above it: the pages, the settings bar (node and
// broker) with the connection's state, and the account picker.
import type { App } from './app';
import { shortAddress } from './chain/signers';
import { h, replace } from './dom';
import type { Route } from './router';
import { forgetSettings, saveSettings } from './settings';

/// The header: navigation, settings and account picker, kept in step with
/// the app.
export function header(app: App, routes: Route[]): { element: HTMLElement; markRoute: (route: Route) => void } {
  const links = routes.map((route) => h('a', { href: `#/${route.path}`, 'data-path': route.path }, route.title));
  const nav = h('nav', { 'aria-label': 'pages' }, h('strong', { class: 'brand' }, 'p2pcloud'), ...links);

  const nodeUrl = h('input', { name: 'node', type: 'url', value: app.settings.nodeUrl, required: true, spellcheck: 'false', autocomplete: 'off' });
  const broker = h('input', { name: 'broker', value: app.settings.broker, spellcheck: 'false', autocomplete: 'off', placeholder: "the broker's address" });
  const form = h(
    'form',
    {
      class: 'settings',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const settings = { nodeUrl: nodeUrl.value.trim(), broker: broker.value.trim() };
        saveSettings(settings);
        void app.connect(settings);
      },
    },
    h('label', {}, h('span', {}, 'node'), nodeUrl),
    h('label', {}, h('span', {}, 'broker'), broker),
    h('button', { type: 'submit' }, 'connect'),
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        title: "forget what was set here and use the serving indexer's defaults",
        onclick: () => {
          forgetSettings();
          nodeUrl.value = app.defaults.nodeUrl;
          broker.value = app.defaults.broker;
          void app.connect(app.defaults);
        },
      },
      'defaults',
    ),
  );

  const status = h('p', { class: 'chain-status', role: 'status' });
  const picker = h('select', { name: 'signer', 'aria-label': 'signing account', onchange: () => app.choose(picker.value) });
  const signerNote = h('small', { class: 'signer-note' });
  const settingsBar = h('details', { class: 'settings-bar', open: true }, h('summary', {}, 'connection'), form, status);
  const element = h(
    'header',
    {},
    nav,
    settingsBar,
    h('div', { class: 'signer' }, h('label', {}, h('span', {}, 'signing as'), picker), signerNote),
  );

  // Folded once connected, to leave a phone's screen to the page; open
  // while there is something to fix.
  let shown = '';
  const update = () => {
    if (app.chain.kind !== shown) {
      shown = app.chain.kind;
      if (shown === 'ready') settingsBar.open = false;
      if (shown === 'unreachable' || shown === 'no-protocol') settingsBar.open = true;
    }
    nodeUrl.value = app.settings.nodeUrl;
    broker.value = app.settings.broker;
    replace(status, describeChain(app));
    status.className = `chain-status ${app.chain.kind}`;
    replace(
      picker,
      ...(app.signers.length === 0
        ? [h('option', { value: '' }, 'no account to sign with')]
        : app.signers.map((signer) =>
            h(
              'option',
              { value: signer.address, selected: signer.address === app.signer?.address },
              `${signer.name} (${signer.source}) ${shortAddress(signer.address)}`,
            ),
          )),
    );
    picker.disabled = app.signers.length === 0;
    replace(signerNote, app.signersNote);
  };
  app.subscribe(update);
  update();

  const markRoute = (route: Route) => {
    for (const link of links) {
      if (link.dataset.path === route.path) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
  };
  return { element, markRoute };
}

function describeChain(app: App): string {
  const chain = app.chain;
  switch (chain.kind) {
    case 'connecting':
      return `connecting to ${app.settings.nodeUrl}…`;
    case 'unreachable':
      return chain.why;
    case 'no-protocol':
      return `connected to ${chain.connection.chain}${chain.connection.isDev ? ' (a development chain)' : ''}; ${chain.why}`;
    case 'ready':
      return `connected to ${chain.connection.chain}${chain.connection.isDev ? ' (a development chain: the dev accounts may sign)' : ''}; broker ${shortAddress(chain.protocol.broker.address)}, stablecoin ${chain.token.symbol} (${chain.token.decimals} decimals)`;
  }
}

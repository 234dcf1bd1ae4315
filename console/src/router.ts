// Hash routes: #/market, #/account, #/miner, #/community. A page renders
// into the main element and returns how to stop (listeners, timers).
import type { App } from './app';

export type Page = (app: App, root: HTMLElement) => (() => void) | void;

export interface Route {
  path: string;
  title: string;
  page: Page;
}

/// Shows the route the location's hash names (the first one by default),
/// and follows the hash from then on.
export function startRouter(app: App, root: HTMLElement, routes: Route[], onRoute: (route: Route) => void): void {
  let stop: (() => void) | void;
  const show = () => {
    const path = location.hash.replace(/^#\/?/, '').split('?')[0] ?? '';
    const route = routes.find((candidate) => candidate.path === path) ?? routes[0];
    if (route === undefined) return;
    stop?.();
    root.replaceChildren();
    document.title = `${route.title} · p2pcloud console`;
    onRoute(route);
    stop = route.page(app, root);
  };
  window.addEventListener('hashchange', show);
  show();
}

// The pages not built yet: what each will hold.
import type { App } from '../app';
import { h } from '../dom';

function placeholder(title: string, plans: string[]) {
  return (_app: App, root: HTMLElement): void => {
    root.append(
      h('h1', {}, title),
      h('section', { class: 'todo' }, h('p', {}, 'This page is not built yet. It will hold:'), h('ul', {}, ...plans.map((plan) => h('li', {}, plan)))),
    );
  };
}

export const minerPage = placeholder('Miner', [
  "the miner's offers: add, update (price, machines) and close",
  "the miner's bookings, with each user's time left",
  'claim what the bookings accrued',
]);

export const communityPage = placeholder('Community', [
  'proposals with their state and voting window: propose, vote, execute',
  'fees: collect, and each member\'s share to claim',
  'approved releases',
]);

// A miner's page: the signer's offers (add, update the price and machines,
// close), the bookings of those offers with each user's time left, and a
// claim of what each accrued (`p2pcloud offer ...`, `bookings --miner`,
// `claim`).
import type { App } from '../app';
import { minerBookings, usersTimeLeft, type ChainBooking } from '../chain/bookings';
import { chainNow } from '../chain/connection';
import { minerOffers, type ChainOffer } from '../chain/market';
import { formatAmount, money, parseAmount, type Token } from '../domain/amount';
import { parseHex32 } from '../domain/hex';
import { pricePer } from '../domain/price';
import { parseU32 } from '../domain/whole';
import { field, h, messageOf, note, replace } from '../dom';
import { addOffer, claim, closeOffer, NOT_DONE, updateOffer, type Actor } from '../flows/actions';
import type { Step } from '../flows/call';
import { activityLog, actorOf, refuseInLog, runAction } from './activity';
import { bookingsTable } from './bookings';

export function minerPage(app: App, root: HTMLElement): () => void {
  const offers = h('div', { class: 'miner-offers', 'aria-live': 'polite' });
  const offersLog = activityLog();
  const bookings = h('div', { class: 'miner-bookings', 'aria-live': 'polite' });
  const bookingsLog = activityLog();
  const drafts: Drafts = new Map();
  let generation = 0;
  const show = async () => {
    const mine = ++generation;
    const actor = actorOf(app);
    if (typeof actor === 'string') {
      replace(offers, note('warning', `To see a miner's offers, ${actor}.`));
      replace(bookings);
      return;
    }
    const { token } = actor;
    try {
      const [offered, booked] = await Promise.all([offersView(actor, token, act, drafts), bookingsView(actor, token, onClaim)]);
      if (mine !== generation) return;
      replace(offers, offered);
      replace(bookings, booked);
    } catch (error) {
      if (mine === generation) replace(offers, note('error', messageOf(error)));
    }
  };
  /// An offer's action, run into the offers' log.
  const act: OfferAct = {
    run: (what, steps) => {
      const actor = actorOf(app);
      if (typeof actor === 'string') return refuseInLog(offersLog, what, actor);
      void runAction(offersLog, offers, what, actor.connection, steps(actor), () => void show());
    },
    refuse: (what, why) => refuseInLog(offersLog, what, why),
  };
  const onClaim = (booking: number) => {
    const actor = actorOf(app);
    const what = NOT_DONE.claim(booking);
    if (typeof actor === 'string') return refuseInLog(bookingsLog, what, actor);
    void runAction(bookingsLog, bookings, what, actor.connection, claim(actor, booking), () => void show());
  };

  root.append(
    h('h1', {}, 'Miner'),
    h('p', {}, 'The offers and bookings of the account you sign as. Prices are per second, in whole tokens, as the broker counts them and as the CLI (p2pcloud offer) takes them; an update applies to new bookings only.'),
    h('section', { class: 'action-section' }, h('h2', {}, 'Your offers'), offers, offersLog),
    addOfferForm(app, () => void show()),
    h(
      'section',
      { class: 'action-section' },
      h('h2', {}, 'Bookings of your offers'),
      h('p', {}, 'A claim pays what a booking accrued since its last payment, less the community fee; a user whose time ran out pays up to that moment and the booking ends.'),
      bookings,
      bookingsLog,
    ),
  );
  const unsubscribe = app.subscribe(() => void show());
  void show();
  return () => {
    generation++;
    unsubscribe();
  };
}

interface OfferAct {
  run(what: string, steps: (actor: Actor) => AsyncGenerator<Step>): void;
  refuse(what: string, why: string): void;
}

/// What the miner typed into an offer's row and has not sent, by offer id.
/// The page reads the chain again whenever a call lands or the account
/// changes, and rebuilds the rows: they start from these, not from the
/// chain's values, so nothing typed is lost.
type Drafts = Map<number, { price?: string; machines?: string }>;

/// The signer's offers, each with its price and machines to update and a
/// close.
async function offersView(actor: Actor, token: Token, act: OfferAct, drafts: Drafts): Promise<HTMLElement> {
  const offers = await minerOffers(actor.connection, actor.protocol, actor.signer.address);
  if (offers.length === 0) return note('info', 'This account offers nothing yet: add an offer below.');
  const headings = ['offer', 'VM type', 'per second', 'per hour', 'machines', 'booked', 'state', 'change'];
  const cell = (label: string, ...content: (string | HTMLElement)[]) => h('td', { 'data-label': label }, ...content);
  return h(
    'table',
    { class: 'offers mine' },
    h('thead', {}, h('tr', {}, ...headings.map((heading) => h('th', { scope: 'col' }, heading)))),
    h('tbody', {}, ...offers.map((offer) => h(
      'tr',
      { 'data-offer': offer.id },
      cell('offer', `#${offer.id}`),
      cell('VM type', String(offer.vmType)),
      cell('per second', money(offer.pricePerSecond, token)),
      cell('per hour', money(pricePer(offer.pricePerSecond).hour, token)),
      cell('machines', String(offer.machines)),
      cell('booked', String(offer.booked)),
      cell('state', offer.closed ? 'closed to new bookings' : 'open'),
      cell('change', offerControls(offer, token, act, drafts)),
    ))),
  );
}

/// An offer's update (price and machines) and close.
function offerControls(offer: ChainOffer, token: Token, act: OfferAct, drafts: Drafts): HTMLElement {
  const draft = drafts.get(offer.id) ?? {};
  const keep = () => drafts.set(offer.id, { price: price.value, machines: machines.value });
  const price = h('input', { name: 'price', inputmode: 'decimal', value: draft.price ?? formatAmount(offer.pricePerSecond, token.decimals), oninput: keep, 'aria-label': `offer ${offer.id}'s price per second` });
  const machines = h('input', { name: 'machines', inputmode: 'numeric', value: draft.machines ?? String(offer.machines), size: 4, oninput: keep, 'aria-label': `offer ${offer.id}'s machines` });
  const update = () => {
    const what = NOT_DONE.updateOffer(offer.id);
    let units: bigint;
    let count: number;
    try {
      units = parseAmount(price.value.trim(), token.decimals);
      count = parseU32(machines.value, 'number of machines');
    } catch (error) {
      return act.refuse(what, messageOf(error));
    }
    drafts.delete(offer.id);
    act.run(what, (actor) => updateOffer(actor, offer.id, units, count));
  };
  return h(
    'span',
    { class: 'row-actions' },
    price,
    machines,
    h('button', { type: 'button', name: 'update', onclick: update }, 'update'),
    h('button', { type: 'button', name: 'close', class: 'secondary', onclick: () => act.run(NOT_DONE.closeOffer(offer.id), (actor) => closeOffer(actor, offer.id)) }, 'close'),
  );
}

/// `add_offer`: a VM type of the catalogue, a price per second, machines
/// and, optionally, the hash of the VM's spec document.
function addOfferForm(app: App, reread: () => void): HTMLElement {
  const vmType = h('input', { name: 'vm_type', inputmode: 'numeric', required: true, placeholder: '1', autocomplete: 'off' });
  const price = h('input', { name: 'price', inputmode: 'decimal', required: true, placeholder: '0.001', autocomplete: 'off' });
  const machines = h('input', { name: 'machines', inputmode: 'numeric', required: true, placeholder: '2', autocomplete: 'off' });
  const specs = h('input', { name: 'specs', spellcheck: 'false', autocomplete: 'off', placeholder: 'none' });
  const log = activityLog();
  const what = NOT_DONE.addOffer();
  const form: HTMLFormElement = h(
    'form',
    { class: 'action add-offer', onsubmit: (event: Event) => { event.preventDefault(); onAdd(); } },
    h('h2', {}, 'Add an offer'),
    field('VM type', vmType, "its id in the indexer's catalogue, which gives the market its spec and region"),
    field('price per second', price, 'in whole tokens, per machine'),
    field('machines', machines),
    field('spec hash', specs, "32 bytes of 0x-hex: the VM's spec document's hash, or empty"),
    h('button', { type: 'submit' }, 'add offer'),
    log,
  );
  const onAdd = () => {
    const actor = actorOf(app);
    if (typeof actor === 'string') return refuseInLog(log, what, actor);
    let steps: AsyncGenerator<Step>;
    try {
      const written = specs.value.trim();
      steps = addOffer(
        actor,
        parseU32(vmType.value, 'VM type'),
        parseAmount(price.value.trim(), actor.token.decimals),
        parseU32(machines.value, 'number of machines'),
        written === '' ? new Uint8Array(32) : parseHex32(written),
      );
    } catch (error) {
      return refuseInLog(log, what, messageOf(error));
    }
    void runAction(log, form, what, actor.connection, steps, reread);
  };
  return form;
}

/// The bookings of the signer's offers, each with a claim.
async function bookingsView(actor: Actor, token: Token, onClaim: (booking: number) => void): Promise<HTMLElement> {
  const { connection, protocol, signer } = actor;
  const [bookings, now] = await Promise.all([minerBookings(connection, protocol, signer.address), chainNow(connection)]);
  const timeLeft = await usersTimeLeft(connection, protocol, bookings.map((booking: ChainBooking) => booking.user), now);
  return bookingsTable({
    bookings,
    token,
    now,
    timeLeft,
    side: 'miner',
    actions: (booking) => [h('button', { type: 'button', name: 'claim', onclick: () => onClaim(booking.id) }, 'claim')],
  });
}

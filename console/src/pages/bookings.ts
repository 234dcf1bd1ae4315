// The bookings table the account page (a user's bookings) and the miner's
// page (the bookings of the miner's offers) share, with the columns of
// `p2pcloud bookings`: running, unpaid, and the user's time left.
import type { ChainBooking } from '../chain/bookings';
import { shortAddress } from '../chain/signers';
import type { Token } from '../domain/amount';
import { money } from '../domain/amount';
import { pricePer } from '../domain/price';
import { describeTimeLeft, spokenDuration, type TimeLeft } from '../domain/time_left';
import { h, note } from '../dom';

export interface BookingsView {
  bookings: ChainBooking[];
  token: Token;
  /// The chain's time the table is read at.
  now: bigint;
  timeLeft: Map<string, TimeLeft>;
  /// Which side the table is for: the other side's account is shown.
  side: 'user' | 'miner';
  /// The buttons of a row.
  actions: (booking: ChainBooking) => HTMLElement[];
}

export function bookingsTable(view: BookingsView): HTMLElement {
  if (view.bookings.length === 0) {
    return note('info', view.side === 'user' ? 'This account has no active booking.' : 'No active booking of these offers.');
  }
  const other = view.side === 'user' ? 'miner' : 'user';
  const headings = ['booking', 'offer', other, 'per hour', 'running', 'unpaid', "user's time left", ''];
  const cell = (label: string, ...content: (string | HTMLElement)[]) => h('td', { 'data-label': label }, ...content);
  const since = (at: bigint) => spokenDuration(view.now > at ? view.now - at : 0n);
  return h(
    'table',
    { class: 'offers bookings' },
    h('thead', {}, h('tr', {}, ...headings.map((heading) => h('th', { scope: 'col' }, heading)))),
    h(
      'tbody',
      {},
      ...view.bookings.map((booking) => {
        const account = view.side === 'user' ? booking.miner : booking.user;
        const left = view.timeLeft.get(booking.user);
        return h(
          'tr',
          { 'data-booking': booking.id },
          cell('booking', `#${booking.id}`),
          cell('offer', `#${booking.offer}`),
          cell(other, h('span', { title: account }, shortAddress(account))),
          cell('per hour', money(pricePer(booking.pricePerSecond).hour, view.token)),
          cell('running', since(booking.startedAt)),
          cell('unpaid', since(booking.lastPayment)),
          cell("user's time left", left === undefined ? 'unknown' : describeTimeLeft(left)),
          cell('', h('span', { class: 'row-actions' }, ...view.actions(booking))),
        );
      }),
    ),
  );
}

// An account: its balance in the broker with its time left and run-out
// moment, its stablecoin wallet, a deposit (for itself or for another
// account), a withdrawal, and its bookings, each with stop and "stop and
// report".
import type { App } from '../app';
import { userBookings, usersTimeLeft } from '../chain/bookings';
import { chainNow } from '../chain/connection';
import type { Connection } from '../chain/connection';
import type { Protocol } from '../chain/contracts';
import { balanceReport, tokenBalance } from '../chain/market';
import { parseAddress } from '../domain/address';
import { money, parseAmount, type Token } from '../domain/amount';
import { describeTimeLeft, timeLeft, utcMinute } from '../domain/time_left';
import { field, h, messageOf, note, replace } from '../dom';
import { mint, NOT_DONE, stop, withdraw, type Actor, type UserStopReason } from '../flows/actions';
import type { Step } from '../flows/call';
import { deposit, NOT_DEPOSITED } from '../flows/deposit';
import { activityLog, actorOf, refuseInLog, runAction } from './activity';
import { bookingsTable } from './bookings';

export function accountPage(app: App, root: HTMLElement): () => void {
  const testTokens = mintForm(app, () => void show());
  const summary = h('section', { class: 'balance', 'aria-live': 'polite' });
  const bookings = h('div', { class: 'bookings', 'aria-live': 'polite' });
  const bookingsLog = activityLog();
  let generation = 0;
  const show = async () => {
    const mine = ++generation;
    const actor = actorOf(app);
    testTokens.hidden = !(app.chain.kind === 'ready' && app.chain.connection.isDev);
    if (typeof actor === 'string') {
      replace(summary, note('warning', `To see an account, ${actor}.`));
      replace(bookings);
      return;
    }
    const { token } = actor;
    try {
      const [balance, booked] = await Promise.all([
        balanceView(actor.connection, actor.protocol, token, actor.signer.address),
        bookingsView(actor, token, (booking, reason) => onStop(booking, reason)),
      ]);
      if (mine !== generation) return;
      replace(summary, balance);
      replace(bookings, booked);
    } catch (error) {
      if (mine === generation) replace(summary, note('error', messageOf(error)));
    }
  };

  const onStop = (booking: number, reason: UserStopReason) => {
    const actor = actorOf(app);
    const what = NOT_DONE.stop(booking);
    if (typeof actor === 'string') return refuseInLog(bookingsLog, what, actor);
    void runAction(bookingsLog, bookings, what, actor.connection, stop(actor, booking, reason), () => void show());
  };

  root.append(
    h('h1', {}, 'Account'),
    summary,
    testTokens,
    depositForm(app, () => void show()),
    withdrawForm(app, () => void show()),
    h(
      'section',
      { class: 'action-section' },
      h('h2', {}, 'Bookings'),
      h('p', {}, '"stop" ends a booking you are done with; "stop and report" ends it and records a complaint against the miner, which the indexer counts in the miner\'s reputation.'),
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

/// The deposit: `deposit_coin`, or `deposit_for` when another account is
/// named, approving the broker first if it must.
function depositForm(app: App, reread: () => void): HTMLElement {
  const amount = h('input', { name: 'amount', inputmode: 'decimal', required: true, placeholder: '100', autocomplete: 'off' });
  const beneficiary = h('input', { name: 'for', spellcheck: 'false', autocomplete: 'off', placeholder: 'your own balance' });
  const log = activityLog();
  const form: HTMLFormElement = h(
    'form',
    { class: 'action deposit', onsubmit: (event: Event) => { event.preventDefault(); onDeposit(); } },
    h('h2', {}, 'Deposit'),
    h('p', {}, 'Pays from your stablecoin wallet into a balance in the broker: the broker is approved for the amount first, if it is not already. Every call is dry-run first; a refusal is shown here before anything is signed.'),
    field('amount', amount, 'in whole tokens'),
    field('for', beneficiary, "another account's balance (deposit_for), or empty for your own"),
    h('button', { type: 'submit' }, 'deposit'),
    log,
  );
  const onDeposit = () => {
    const actor = actorOf(app);
    if (typeof actor === 'string') return refuseInLog(log, NOT_DEPOSITED, actor);
    let units: bigint;
    let target: string | null;
    try {
      units = parseAmount(amount.value.trim(), actor.token.decimals);
      const written = beneficiary.value.trim();
      target = written === '' ? null : parseAddress(written, actor.connection.ss58Format);
    } catch (error) {
      return refuseInLog(log, NOT_DEPOSITED, messageOf(error));
    }
    const steps = deposit(actor.connection, actor.protocol, actor.signer, units, target);
    void runAction(log, form, NOT_DEPOSITED, actor.connection, steps, reread);
  };
  return form;
}

/// psp22-mock's open mint (`p2pcloud token mint`): stablecoin to deposit,
/// on a development chain only.
function mintForm(app: App, reread: () => void): HTMLFormElement {
  return amountForm(app, reread, {
    name: 'mint',
    title: 'Test tokens',
    text: 'On a development chain the stablecoin is psp22-mock, which mints to anyone who asks: the stablecoin to deposit.',
    placeholder: '1000',
    hidden: true,
    what: NOT_DONE.mint(),
    steps: mint,
  });
}

/// `withdraw_coin`: from the free balance back to the stablecoin wallet.
function withdrawForm(app: App, reread: () => void): HTMLFormElement {
  return amountForm(app, reread, {
    name: 'withdraw',
    title: 'Withdraw',
    text: 'Takes from the free balance (what a week of your bookings does not lock) back to your stablecoin wallet.',
    placeholder: '50',
    hidden: false,
    what: NOT_DONE.withdraw(),
    steps: withdraw,
  });
}

/// An action that takes one amount of the stablecoin, in whole tokens.
interface AmountAction {
  /// The action's name: its form's class and its button.
  name: string;
  title: string;
  text: string;
  placeholder: string;
  hidden: boolean;
  /// What did not happen when it is refused, as the CLI says it.
  what: string;
  steps: (actor: Actor, units: bigint) => AsyncGenerator<Step>;
}

/// The form of an `AmountAction`: the amount read in the token's units (a
/// bad one refused in the log), then the action run to finality.
function amountForm(app: App, reread: () => void, action: AmountAction): HTMLFormElement {
  const amount = h('input', { name: 'amount', inputmode: 'decimal', required: true, placeholder: action.placeholder, autocomplete: 'off' });
  const log = activityLog();
  const form: HTMLFormElement = h(
    'form',
    { class: `action ${action.name}`, hidden: action.hidden, onsubmit: (event: Event) => { event.preventDefault(); onSubmit(); } },
    h('h2', {}, action.title),
    h('p', {}, action.text),
    field('amount', amount, 'in whole tokens'),
    h('button', { type: 'submit' }, action.name),
    log,
  );
  const onSubmit = () => {
    const actor = actorOf(app);
    if (typeof actor === 'string') return refuseInLog(log, action.what, actor);
    let units: bigint;
    try {
      units = parseAmount(amount.value.trim(), actor.token.decimals);
    } catch (error) {
      return refuseInLog(log, action.what, messageOf(error));
    }
    void runAction(log, form, action.what, actor.connection, action.steps(actor, units), reread);
  };
  return form;
}

/// The balance report with the time left, as `p2pcloud balance` says it,
/// and what the wallet holds.
async function balanceView(connection: Connection, protocol: Protocol, token: Token, account: string): Promise<HTMLElement> {
  const [report, now, wallet] = await Promise.all([
    balanceReport(connection, protocol, account),
    chainNow(connection),
    tokenBalance(connection, protocol, account),
  ]);
  const left = timeLeft(report, now);
  const row = (label: string, value: string) => h('div', {}, h('dt', {}, label), h('dd', {}, value));
  return h(
    'div',
    {},
    h('h2', {}, 'Balance in the broker'),
    h('p', { class: 'account-address' }, account),
    h(
      'dl',
      { class: 'report' },
      row('deposited', money(report.deposited, token)),
      row('owed', money(report.owed, token)),
      row('locked (a week of bookings)', money(report.locked, token)),
      row('free', money(report.free, token)),
      row('time left', describeTimeLeft(left)),
      row('runs out', left.kind === 'until' || left.kind === 'ran-out' ? utcMinute(left.at) : '—'),
      row('wallet', money(wallet, token)),
    ),
    left.kind === 'ran-out'
      ? note('warning', 'This balance ran out: its bookings accrue no further, and a deposit would not revive them.')
      : null,
  );
}

/// The signer's active bookings, each with stop and "stop and report".
async function bookingsView(
  actor: Actor,
  token: Token,
  onStop: (booking: number, reason: UserStopReason) => void,
): Promise<HTMLElement> {
  const { connection, protocol, signer } = actor;
  const [bookings, now] = await Promise.all([userBookings(connection, protocol, signer.address), chainNow(connection)]);
  const timeLeft = await usersTimeLeft(connection, protocol, [signer.address], now);
  return bookingsTable({
    bookings,
    token,
    now,
    timeLeft,
    side: 'user',
    actions: (booking) => [
      h('button', { type: 'button', name: 'stop', onclick: () => onStop(booking.id, 'Ok') }, 'stop'),
      h('button', { type: 'button', name: 'stop-and-report', class: 'secondary', onclick: () => onStop(booking.id, 'MinerMisbehaviour') }, 'stop and report'),
    ],
  });
}

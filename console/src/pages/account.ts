// An account: its balance in the broker with its time left and run-out
// moment, its stablecoin wallet, and a deposit (for itself or for another
// account). Withdrawals and the account's bookings are still to come.
import type { App } from '../app';
import { chainNow } from '../chain/connection';
import type { Connection } from '../chain/connection';
import type { Protocol } from '../chain/contracts';
import { balanceReport, tokenBalance } from '../chain/market';
import { describeProgress } from '../chain/submit';
import { parseAddress } from '../domain/address';
import { formatAmount, money, parseAmount, type Token } from '../domain/amount';
import { notDone } from '../domain/refusals';
import { describeTimeLeft, timeLeft, utcMinute } from '../domain/time_left';
import { field, h, messageOf, note, replace } from '../dom';
import type { Step } from '../flows/call';
import { deposit, NOT_DEPOSITED } from '../flows/deposit';

export function accountPage(app: App, root: HTMLElement): () => void {
  const summary = h('section', { class: 'balance', 'aria-live': 'polite' });
  const amount = h('input', { name: 'amount', inputmode: 'decimal', required: true, placeholder: '100', autocomplete: 'off' });
  const beneficiary = h('input', { name: 'for', spellcheck: 'false', autocomplete: 'off', placeholder: 'your own balance' });
  const submit = h('button', { type: 'submit' }, 'deposit');
  const log = h('ol', { class: 'progress', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'action', onsubmit: (event: Event) => { event.preventDefault(); void onDeposit(); } },
    h('h2', {}, 'Deposit'),
    h('p', {}, 'Pays from your stablecoin wallet into a balance in the broker: the broker is approved for the amount first, if it is not already. Every call is dry-run first; a refusal is shown here before anything is signed.'),
    field('amount', amount, 'in whole tokens'),
    field('for', beneficiary, "another account's balance (deposit_for), or empty for your own"),
    submit,
    log,
  );
  root.append(h('h1', {}, 'Account'), summary, form, todo());

  let generation = 0;
  const show = async () => {
    const mine = ++generation;
    const chain = app.chain;
    if (chain.kind !== 'ready') {
      replace(summary, note('warning', 'Connect to a node with the broker first (the settings above).'));
      return;
    }
    if (app.signer === null) {
      replace(summary, note('warning', 'Choose an account to sign with: a wallet extension\'s, or a dev account on a development chain.'));
      return;
    }
    try {
      const view = await balanceView(chain.connection, chain.protocol, chain.token, app.signer.address);
      if (mine === generation) replace(summary, view);
    } catch (error) {
      if (mine === generation) replace(summary, note('error', messageOf(error)));
    }
  };

  const onDeposit = async () => {
    const chain = app.chain;
    const signer = app.signer;
    replace(log);
    if (chain.kind !== 'ready' || signer === null) {
      log.append(h('li', { class: 'refused' }, notDone(NOT_DEPOSITED, 'connect to the broker and choose an account first')));
      return;
    }
    let units: bigint;
    try {
      units = parseAmount(amount.value.trim(), chain.token.decimals);
    } catch (error) {
      log.append(h('li', { class: 'refused' }, notDone(NOT_DEPOSITED, messageOf(error))));
      return;
    }
    let target: string | null = null;
    try {
      const written = beneficiary.value.trim();
      target = written === '' ? null : parseAddress(written, chain.connection.ss58Format);
    } catch (error) {
      log.append(h('li', { class: 'refused' }, notDone(NOT_DEPOSITED, messageOf(error))));
      return;
    }
    submit.disabled = true;
    try {
      for await (const step of deposit(chain.connection, chain.protocol, signer, units, target)) {
        log.append(stepItem(step, chain.connection));
      }
    } catch (error) {
      log.append(h('li', { class: 'refused' }, notDone(NOT_DEPOSITED, messageOf(error))));
    } finally {
      submit.disabled = false;
      void show();
    }
  };

  const stop = app.subscribe(() => void show());
  void show();
  return () => {
    generation++;
    stop();
  };
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

/// One step of the deposit as a line of its log.
function stepItem(step: Step, connection: Connection): HTMLElement {
  switch (step.kind) {
    case 'refused':
      return h('li', { class: 'refused' }, step.why);
    case 'prepared': {
      const { gas, storageDeposit } = step.limits;
      const native = connection.native;
      return h(
        'li',
        {},
        `${step.call}: dry run passed; signing with gas ${gas.refTime} ref_time / ${gas.proofSize} proof_size and a storage deposit limit of ${formatAmount(storageDeposit, native.decimals)} ${native.symbol} (the dry run's plus 50%)`,
      );
    }
    case 'progress':
      return h('li', { class: step.progress.stage }, `${step.call}: ${describeProgress(step.progress)}`);
  }
}

function todo(): HTMLElement {
  return h(
    'section',
    { class: 'todo' },
    h('h2', {}, 'Still to come here'),
    h('ul', {}, h('li', {}, 'withdraw'), h('li', {}, "this account's bookings, with stop and 'stop and report'")),
  );
}

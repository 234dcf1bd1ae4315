// How a page runs a signed action and shows it: each step as a line of a
// log (the dry run's refusal, the limits it signs with, its progress to
// its block and to finality), the page's buttons held while it runs.
import type { App } from '../app';
import type { Connection } from '../chain/connection';
import { describeProgress } from '../chain/submit';
import { formatAmount, type Token } from '../domain/amount';
import { notDone } from '../domain/refusals';
import { h, messageOf, replace } from '../dom';
import { landed, type Step } from '../flows/call';
import type { Actor } from '../flows/actions';

/// Who acts on a page: the node, protocol and signer an action needs, and
/// the stablecoin its amounts are in.
export interface PageActor extends Actor {
  token: Token;
}

/// The page's actor, or why there is none.
export function actorOf(app: App): PageActor | string {
  const chain = app.chain;
  if (chain.kind !== 'ready') return 'connect to the broker first (the settings above)';
  if (app.signer === null) return 'choose an account to sign with first';
  return { connection: chain.connection, protocol: chain.protocol, signer: app.signer, token: chain.token };
}

/// A log of one action's steps, shown under the controls that start it.
export function activityLog(): HTMLOListElement {
  return h('ol', { class: 'progress', 'aria-live': 'polite' });
}

/// Runs `steps` into `log`, replacing what it held; `what` says what did
/// not happen if the action throws. Every button in `scope` is disabled
/// meanwhile. `onLanded` runs once the call is in a block (to re-read the
/// page) and again when the action ends.
export async function runAction(
  log: HTMLOListElement,
  scope: HTMLElement,
  what: string,
  connection: Connection,
  steps: AsyncGenerator<Step>,
  onLanded: () => void,
): Promise<void> {
  replace(log);
  const buttons = [...scope.querySelectorAll('button')].filter((button) => !button.disabled);
  for (const button of buttons) button.disabled = true;
  try {
    for await (const step of steps) {
      log.append(stepItem(step, connection));
      if (landed(step)) onLanded();
    }
  } catch (error) {
    log.append(h('li', { class: 'refused' }, notDone(what, messageOf(error))));
  } finally {
    for (const button of buttons) button.disabled = false;
    onLanded();
  }
}

/// Says `why` in `log` without running anything: a form the page could not
/// read, or nobody to sign.
export function refuseInLog(log: HTMLOListElement, what: string, why: string): void {
  replace(log, h('li', { class: 'refused' }, notDone(what, why)));
}

/// One step of an action as a line of its log.
export function stepItem(step: Step, connection: Connection): HTMLElement {
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

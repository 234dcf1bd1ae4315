// A contract call from its dry run to its block: the limits the dry run
// measured plus the margin, the signature (a browser wallet's or a dev
// account's), and each status until the call is in a block and finalized.
// The caller drives the progress (`for await (const step of send(..))`)
// instead of handing callbacks in.
import type { SubmittableResult } from '@polkadot/api';
import type { Signer } from './signers';
import type { Connection } from './connection';
import type { Contract, DryRun } from './contracts';
import { moduleError } from './contracts';
import { depositLimit, withGasMargin } from './gas';

/// The limits a submitted call carries.
export interface Limits {
  gas: { refTime: bigint; proofSize: bigint };
  storageDeposit: bigint;
}

/// What a call will carry, from its dry run.
export function limitsOf(connection: Connection, dryRun: DryRun): Limits {
  const consts = connection.api.consts.contracts;
  return {
    gas: withGasMargin(dryRun.gasRequired),
    storageDeposit: depositLimit(
      dryRun.storageCharge,
      consts.depositPerItem.toBigInt(),
      consts.depositPerByte.toBigInt(),
    ),
  };
}

/// One step of a submitted call.
export type Progress =
  | { stage: 'signing' }
  | { stage: 'submitted' }
  | { stage: 'in-block'; block: string; number: number | null }
  | { stage: 'finalized'; block: string; number: number | null }
  /// The chain did not run the call (a runtime error, a dropped or invalid
  /// transaction); `included` when it was in a block all the same.
  | { stage: 'failed'; why: string; included: boolean };

/// The sentence a page shows for `progress`.
export function describeProgress(progress: Progress): string {
  const at = (block: string, number: number | null) => (number === null ? `block ${block}` : `block #${number}`);
  switch (progress.stage) {
    case 'signing':
      return 'waiting for the signature';
    case 'submitted':
      return 'submitted; waiting for a block';
    case 'in-block':
      return `included in ${at(progress.block, progress.number)}; waiting for finality`;
    case 'finalized':
      return `finalized in ${at(progress.block, progress.number)}`;
    case 'failed':
      return progress.why;
  }
}

/// Signs `label(args)` on `contract` with `limits` and submits it, yielding
/// each step until it is finalized or fails. The call's events arrive with
/// its block; a call that failed in its block ends with `failed`.
export async function* send(
  connection: Connection,
  contract: Contract,
  label: string,
  args: unknown[],
  limits: Limits,
  signer: Signer,
): AsyncGenerator<Progress> {
  const { api } = connection;
  const data = contract.abi.findMessage(label).toU8a(args);
  const gasLimit = api.createType('WeightV2', limits.gas);
  const tx = api.tx.contracts.call(contract.address, 0, gasLimit, limits.storageDeposit, data);
  const queue = new Queue<Progress>();
  yield { stage: 'signing' };
  let included = false;
  const unsubscribe = await signer
    .signAndSend(tx, (result: SubmittableResult) => {
      for (const step of stepsOf(connection, result, included)) {
        if (step.stage === 'in-block') included = true;
        queue.push(step, step.stage === 'finalized' || step.stage === 'failed');
      }
    })
    .catch((error: unknown) => {
      queue.push({ stage: 'failed', why: `not signed or not submitted: ${messageOf(error)}`, included: false }, true);
      return null;
    });
  try {
    for await (const step of queue) {
      yield step;
    }
  } finally {
    unsubscribe?.();
  }
}

/// The steps one status update of the extrinsic means.
function stepsOf(connection: Connection, result: SubmittableResult, included: boolean): Progress[] {
  const { status } = result;
  if (result.dispatchError) {
    const error = result.dispatchError;
    const why = error.isModule ? moduleError(connection, error.asModule) : error.toString();
    const block = status.isInBlock ? status.asInBlock.toHex() : status.isFinalized ? status.asFinalized.toHex() : '';
    return [{ stage: 'failed', why: `the chain did not run the call: ${why}${block ? ` (block ${block})` : ''}`, included: true }];
  }
  const number = result.blockNumber ? result.blockNumber.toNumber() : null;
  if (status.isReady || status.isBroadcast) {
    return included ? [] : [{ stage: 'submitted' }];
  }
  if (status.isInBlock) {
    return [{ stage: 'in-block', block: status.asInBlock.toHex(), number }];
  }
  if (status.isFinalized) {
    return [{ stage: 'finalized', block: status.asFinalized.toHex(), number }];
  }
  if (status.isDropped || status.isInvalid || status.isUsurped || status.isFinalityTimeout) {
    const why = included
      ? `the call was included in a block but not finalized (${status.type}): check that block before trying again`
      : `the node did not include the call: ${status.type}`;
    return [{ stage: 'failed', why, included }];
  }
  return [];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/// A queue that a callback fills and an async loop drains, until its last
/// item.
class Queue<T> implements AsyncIterable<T> {
  #items: T[] = [];
  #closed = false;
  #wake: (() => void) | null = null;

  push(item: T, last = false): void {
    if (this.#closed) return;
    this.#items.push(item);
    this.#closed = last;
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const item = this.#items.shift();
      if (item !== undefined) {
        yield item;
        continue;
      }
      if (this.#closed) return;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = null;
    }
  }
}

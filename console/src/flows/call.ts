// The pattern every signed action follows: dry-run the message as the
// signer, say a refusal as the CLI says it before anything is signed, else
// sign and submit it with the dry run's limits plus the margin, and report
// each step to its block and to finality.
import type { Signer } from '../chain/signers';
import type { Connection } from '../chain/connection';
import { dryRun, type Contract, type DryRun } from '../chain/contracts';
import { limitsOf, send, type Limits, type Progress } from '../chain/submit';
import { refusal, type ContractError } from '../domain/refusals';

/// One step of an action, as a page shows it.
export type Step =
  /// Nothing was signed: the sentence says why.
  | { kind: 'refused'; why: string }
  /// A call passed its dry run and is about to be signed with these limits.
  | { kind: 'prepared'; call: string; limits: Limits }
  /// A call's progress from signature to finality.
  | { kind: 'progress'; call: string; progress: Progress };

/// A message to call: which contract, which message, with what.
export interface Call {
  contract: Contract;
  label: string;
  args: unknown[];
}

/// The dry run of `call` as `signer`, or the refusal it met.
export async function dryRunAs(connection: Connection, call: Call, signer: Signer): Promise<DryRun> {
  return dryRun(connection, call.contract, call.label, call.args, signer.address);
}

/// The sentence a contract's refusal of a call is said with.
export function refusalOf(call: Call, error: ContractError): string {
  return refusal(call.contract.name, error);
}

/// Signs and submits `call` with the limits `measured` needs, yielding its
/// steps; the last is `finalized`, or `failed` with why.
export async function* submitMeasured(
  connection: Connection,
  call: Call,
  measured: DryRun,
  signer: Signer,
): AsyncGenerator<Step> {
  const limits = limitsOf(connection, measured);
  const name = `${call.contract.name} ${call.label}`;
  yield { kind: 'prepared', call: name, limits };
  for await (const progress of send(connection, call.contract, call.label, call.args, limits, signer)) {
    yield { kind: 'progress', call: name, progress };
  }
}

/// Dry-runs `call` as `signer`: a refusal ends the action with the
/// contract's sentence; otherwise it is signed and submitted.
export async function* act(connection: Connection, call: Call, signer: Signer): AsyncGenerator<Step> {
  const measured = await dryRunAs(connection, call, signer);
  if ('err' in measured.answer) {
    yield { kind: 'refused', why: refusalOf(call, measured.answer.err) };
    return;
  }
  yield* submitMeasured(connection, call, measured, signer);
}

/// Whether `step` says the call is in a block (or finalized).
export function landed(step: Step | undefined): boolean {
  return step?.kind === 'progress' && (step.progress.stage === 'in-block' || step.progress.stage === 'finalized');
}

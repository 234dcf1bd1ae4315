// Paying into the broker, as client/src/sdk/balances.rs's `pay_in` does:
// every check that can refuse the deposit runs before the stablecoin
// approval, so a refused deposit leaves no allowance behind; the approval
// asks only what the deposit needs; then the deposit itself, dry-run again
// now that the allowance is on chain.
import type { Signer } from '../chain/signers';
import type { Connection } from '../chain/connection';
import type { Protocol } from '../chain/contracts';
import { allowance, tokenBalance } from '../chain/market';
import { notDone, stablecoinRefusal } from '../domain/refusals';
import { act, dryRunAs, landed, refusalOf, submitMeasured, type Call, type Step } from './call';

/// The broker's errors a deposit meets at the token when it has no
/// allowance yet: they do not refuse it before the approval.
const TOKEN_ERRORS = new Set(['TokenCallFailed', 'TokenTransferRejected', 'TokenBalanceMismatch']);

/// What the CLI prints when a deposit does not happen.
export const NOT_DEPOSITED = 'nothing deposited';

/// `deposit_coin(amount)`, or `deposit_for(beneficiary, amount)` when one
/// is given: the signer's stablecoin into a balance in the broker.
export async function* deposit(
  connection: Connection,
  protocol: Protocol,
  signer: Signer,
  amount: bigint,
  beneficiary: string | null,
): AsyncGenerator<Step> {
  const payIn: Call = beneficiary === null
    ? { contract: protocol.broker, label: 'deposit_coin', args: [amount] }
    : { contract: protocol.broker, label: 'deposit_for', args: [beneficiary, amount] };
  const refused = (why: string): Step => ({ kind: 'refused', why: notDone(NOT_DEPOSITED, why) });

  const first = await dryRunAs(connection, payIn, signer);
  if ('err' in first.answer && !TOKEN_ERRORS.has(first.answer.err.variant)) {
    yield refused(refusalOf(payIn, first.answer.err));
    return;
  }
  if ((await tokenBalance(connection, protocol, signer.address)) < amount) {
    yield refused(stablecoinRefusal({ variant: 'InsufficientBalance' }));
    return;
  }
  const broker = protocol.broker.address;
  if ((await allowance(connection, protocol, signer.address, broker)) < amount) {
    const approve: Call = { contract: protocol.stablecoin, label: 'PSP22::approve', args: [broker, amount] };
    let approved = false;
    for await (const step of act(connection, approve, signer)) {
      yield step.kind === 'refused' ? refused(step.why) : step;
      // In a block is enough for the deposit to follow: a dev node finalizes
      // late or not at all, and waiting could wait for ever.
      if (landed(step)) {
        approved = true;
        break;
      }
    }
    if (!approved) return;
  }
  // With the allowance on chain the dry run reaches the token: its answer
  // now is the deposit's.
  const measured = await dryRunAs(connection, payIn, signer);
  if ('err' in measured.answer) {
    yield refused(refusalOf(payIn, measured.answer.err));
    return;
  }
  yield* submitMeasured(connection, payIn, measured, signer);
}

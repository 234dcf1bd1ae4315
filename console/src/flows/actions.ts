// The signed actions of the account, miner and community pages, each as
// the CLI command that does the same (cli/src/cmd/*.rs): the same message,
// dry-run first as the signer through `act`, and a refusal said with the
// CLI's words for what did not happen ("booking 3 not stopped: the broker
// refused: ...").
import type { Connection } from '../chain/connection';
import type { Protocol } from '../chain/contracts';
import { chainNow } from '../chain/connection';
import { booking } from '../chain/bookings';
import type { Signer } from '../chain/signers';
import { brokerRefusal, notDone, NOTHING_ACCRUED } from '../domain/refusals';
import { act, dryRunAs, landed, type Call, type Step } from './call';

/// What the CLI says did not happen, per action (its `not_done` texts).
export const NOT_DONE = {
  mint: () => 'nothing minted',
  withdraw: () => 'nothing withdrawn',
  book: (offer: number) => `offer ${offer} not booked`,
  stop: (booking: number) => `booking ${booking} not stopped`,
  claim: (booking: number) => `booking ${booking} not claimed`,
  addOffer: () => 'offer not added',
  updateOffer: (offer: number) => `offer ${offer} not updated`,
  closeOffer: (offer: number) => `offer ${offer} not closed`,
  propose: () => 'nothing proposed',
  vote: (proposal: number) => `no vote cast on proposal ${proposal}`,
  execute: (proposal: number) => `proposal ${proposal} not executed`,
  collectFees: () => 'no fees collected',
  claimShare: () => 'no share claimed',
} as const;

/// Why a booking is stopped by its user: done with it (`p2pcloud stop`), or
/// reporting the miner (`p2pcloud stop --reason misbehaviour`), which the
/// broker records as a complaint (`BookingReported`).
export type UserStopReason = 'Ok' | 'MinerMisbehaviour';

/// A chain where the actions run: the node, the protocol and who signs.
export interface Actor {
  connection: Connection;
  protocol: Protocol;
  signer: Signer;
}

/// `call` through `act`, its refusal prefixed with what did not happen.
async function* done(actor: Actor, what: string, call: Call): AsyncGenerator<Step> {
  for await (const step of act(actor.connection, call, actor.signer)) {
    yield step.kind === 'refused' ? { kind: 'refused', why: notDone(what, step.why) } : step;
  }
}

const broker = (actor: Actor, label: string, args: unknown[]): Call => ({ contract: actor.protocol.broker, label, args });
const community = (actor: Actor, label: string, args: unknown[]): Call => ({ contract: actor.protocol.community, label, args });

/// `p2pcloud token mint AMOUNT`: psp22-mock's open mint, for test chains.
export function mint(actor: Actor, amount: bigint): AsyncGenerator<Step> {
  return done(actor, NOT_DONE.mint(), { contract: actor.protocol.stablecoin, label: 'PSP22Mintable::mint', args: [amount] });
}

/// `p2pcloud withdraw AMOUNT`.
export function withdraw(actor: Actor, amount: bigint): AsyncGenerator<Step> {
  return done(actor, NOT_DONE.withdraw(), broker(actor, 'withdraw_coin', [amount]));
}

/// `p2pcloud book OFFER --max-price P`: the console offers the price it
/// shows as the most the user accepts.
export function book(actor: Actor, offer: number, maxPricePerSecond: bigint): AsyncGenerator<Step> {
  return done(actor, NOT_DONE.book(offer), broker(actor, 'book_vm', [offer, maxPricePerSecond]));
}

/// `p2pcloud stop BOOKING [--reason misbehaviour]`.
export function stop(actor: Actor, id: number, reason: UserStopReason): AsyncGenerator<Step> {
  return done(actor, NOT_DONE.stop(id), broker(actor, 'stop_booking', [id, reason]));
}

/// `p2pcloud claim BOOKING`: as the SDK's `claim_payment`, not sent when
/// less than a second passed since the last payment.
export async function* claim(actor: Actor, id: number): AsyncGenerator<Step> {
  const what = NOT_DONE.claim(id);
  const active = await booking(actor.connection, actor.protocol, id);
  if (active === null) {
    yield { kind: 'refused', why: notDone(what, brokerRefusal({ variant: 'UnknownBooking' })) };
    return;
  }
  if ((await chainNow(actor.connection)) - active.lastPayment < 1_000n) {
    yield { kind: 'refused', why: notDone(what, NOTHING_ACCRUED) };
    return;
  }
  yield* done(actor, what, broker(actor, 'claim_payment', [id]));
}

/// `p2pcloud offer add --vm-type T --price P --machines M [--specs HASH]`.
export function addOffer(actor: Actor, vmType: number, pricePerSecond: bigint, machines: number, specs: Uint8Array): AsyncGenerator<Step> {
  return done(actor, NOT_DONE.addOffer(), broker(actor, 'add_offer', [vmType, pricePerSecond, machines, specs]));
}

/// `p2pcloud offer update OFFER --price P --machines M`.
export function updateOffer(actor: Actor, offer: number, pricePerSecond: bigint, machines: number): AsyncGenerator<Step> {
  return done(actor, NOT_DONE.updateOffer(offer), broker(actor, 'update_offer', [offer, pricePerSecond, machines]));
}

/// `p2pcloud offer close OFFER`: removed, or closed to new bookings while
/// it has some.
export function closeOffer(actor: Actor, offer: number): AsyncGenerator<Step> {
  return done(actor, NOT_DONE.closeOffer(offer), broker(actor, 'remove_offer', [offer]));
}

/// `p2pcloud community propose --description TEXT fee BPS`.
export function proposeFee(actor: Actor, feeBps: number, description: string): AsyncGenerator<Step> {
  return done(actor, NOT_DONE.propose(), community(actor, 'propose', [{ Broker: { SetCommunityFee: feeBps } }, description]));
}

/// `p2pcloud community vote PROPOSAL yes|no`.
export function vote(actor: Actor, proposal: number, yes: boolean): AsyncGenerator<Step> {
  return done(actor, NOT_DONE.vote(proposal), community(actor, 'vote', [proposal, yes]));
}

/// `p2pcloud community execute PROPOSAL`.
export function execute(actor: Actor, proposal: number): AsyncGenerator<Step> {
  return done(actor, NOT_DONE.execute(proposal), community(actor, 'execute', [proposal]));
}

/// `p2pcloud community collect`.
export function collectFees(actor: Actor): AsyncGenerator<Step> {
  return done(actor, NOT_DONE.collectFees(), community(actor, 'collect_fees', []));
}

/// `p2pcloud community claim`: the signer's share of the open fee book. As
/// the SDK's `claim_share`: a dry run refused because the community holds
/// tokens not shared yet has them shared first (`share_surplus`), then the
/// claim runs.
export async function* claimShare(actor: Actor): AsyncGenerator<Step> {
  const claim = community(actor, 'claim_share', []);
  const first = await dryRunAs(actor.connection, claim, actor.signer);
  if ('err' in first.answer && first.answer.err.variant === 'TokenBalanceMismatch') {
    let last: Step | undefined;
    for await (const step of done(actor, NOT_DONE.claimShare(), community(actor, 'share_surplus', []))) {
      last = step;
      yield step;
    }
    if (!landed(last)) return;
  }
  yield* done(actor, NOT_DONE.claimShare(), claim);
}

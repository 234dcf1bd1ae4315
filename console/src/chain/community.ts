// What the community page reads: proposals with their state and voting
// window, the signer's membership and vote, the fees (the broker's fee,
// the open fee book, the signer's share) and the approved releases.
import type { Codec } from '@polkadot/types/types';
import { big, field, optional, small } from './codec';
import type { Connection } from './connection';
import { read, type Protocol } from './contracts';
import { allPages } from './market';

/// `ProposalState`, as the community answers it.
export type ProposalState = 'Voting' | 'Passed' | 'Rejected' | 'Expired' | 'Executed';

/// A proposal and its state; times in the chain's milliseconds.
export interface ChainProposal {
  id: number;
  proposer: string;
  /// What executing it does, as `p2pcloud community proposal` says it.
  action: string;
  description: string;
  createdAt: bigint;
  /// Voting is open while the chain's time is before this.
  votingEnds: bigint;
  totalWeight: bigint;
  yes: bigint;
  no: bigint;
  state: ProposalState;
}

export interface VotingRules {
  quorumBps: number;
  votingPeriodMs: bigint;
  executionPeriodMs: bigint;
}

export interface Release {
  id: number;
  kind: 'protocol' | 'SDK';
  name: string;
  version: string;
  contentHash: string;
}

/// An enum as the codec library gives it.
interface EnumLike extends Codec {
  type: string;
  value: Codec;
}

/// Every proposal, oldest first, each with its state now.
export async function proposals(connection: Connection, protocol: Protocol): Promise<ChainProposal[]> {
  const found = await allPages(connection, protocol.community, 'get_proposals', [], (id, proposal) => ({ id, proposal }));
  return Promise.all(
    found.map(async ({ id, proposal }) => {
      const state = optional(await read(connection, protocol.community, 'get_proposal_state', [id]));
      if (state === null) throw new Error(`unexpected answer: the community listed proposal ${id} but has no state for it`);
      return {
        id,
        proposer: field(proposal, 'proposer').toString(),
        action: describeAction(field(proposal, 'action') as EnumLike),
        description: field(proposal, 'description').toString(),
        createdAt: big(field(proposal, 'createdAt')),
        votingEnds: big(field(proposal, 'votingEnds')),
        totalWeight: big(field(proposal, 'totalWeight')),
        yes: big(field(proposal, 'yes')),
        no: big(field(proposal, 'no')),
        state: (state as EnumLike).type as ProposalState,
      };
    }),
  );
}

/// cli/src/describe.rs's `describe_action`: what a proposal does, in words.
export function describeAction(action: EnumLike): string {
  const inner = action.value;
  const text = (name: string) => field(inner, name).toString();
  switch (action.type) {
    case 'Broker':
      return describeBrokerCall(inner as EnumLike);
    case 'AddMember':
      return `add the member ${text('account')} with weight ${text('weight')}`;
    case 'RemoveMember':
      return `remove the member ${text('account')}`;
    case 'ChangeWeight':
      return `set the weight of ${text('account')} to ${text('weight')}`;
    case 'ApproveRelease': {
      const kind = (field(inner, 'kind') as EnumLike).type === 'Sdk' ? 'SDK' : 'protocol';
      return `approve the ${kind} release ${text('name')} ${text('version')} (${text('contentHash')})`;
    }
    case 'UpgradeCommunity':
      return `upgrade this community to code ${inner.toHex()}`;
    default:
      return action.toString();
  }
}

function describeBrokerCall(call: EnumLike): string {
  const value = call.value;
  switch (call.type) {
    case 'SetCommunityFee':
      return `set the community fee to ${value.toString()} bps`;
    case 'SetStablecoin':
      return `move the broker to the stablecoin ${value.toString()}`;
    case 'SetCommunityContract':
      return `offer the broker to the community ${value.toString()}`;
    case 'UpgradeCode':
      return `upgrade the broker to code ${value.toHex()}`;
    case 'TerminateBooking':
      return `terminate booking ${value.toString()}`;
    case 'SetTokenCallLimits':
      return `limit token calls to ${field(value, 'refTime').toString()} ref_time, ${field(value, 'proofSize').toString()} proof bytes, ${field(value, 'storageDeposit').toString()} storage deposit`;
    case 'AcceptCommunity':
      return 'accept the broker offered to this community';
    default:
      return call.toString();
  }
}

/// `account`'s voting weight, or null when it is not a member (a former
/// member with shares left to claim weighs 0).
export async function memberWeight(connection: Connection, protocol: Protocol, account: string): Promise<bigint | null> {
  const member = optional(await read(connection, protocol.community, 'get_member', [account]));
  return member === null ? null : big(field(member, 'weight'));
}

/// How `voter` voted on proposal `id`: true for yes, null when they did not.
export async function voteOf(connection: Connection, protocol: Protocol, id: number, voter: string): Promise<boolean | null> {
  const vote = optional(await read(connection, protocol.community, 'get_vote', [id, voter]));
  return vote === null ? null : vote.eq(true);
}

export async function votingRules(connection: Connection, protocol: Protocol): Promise<VotingRules> {
  const rules = await read(connection, protocol.community, 'get_voting_rules');
  return {
    quorumBps: small(field(rules, 'quorumBps')),
    votingPeriodMs: big(field(rules, 'votingPeriod')),
    executionPeriodMs: big(field(rules, 'executionPeriod')),
  };
}

/// The fees: the broker's fee in basis points, what the open fee book has
/// collected, and what `account` may claim of it.
export async function fees(
  connection: Connection,
  protocol: Protocol,
  account: string,
): Promise<{ feeBps: number; collected: bigint; claimable: bigint }> {
  const [feeBps, book, claimable] = await Promise.all([
    read(connection, protocol.broker, 'get_community_fee'),
    read(connection, protocol.community, 'get_fee_book'),
    read(connection, protocol.community, 'get_claimable', [account]),
  ]);
  return { feeBps: small(feeBps), collected: big(field(book, 'collected')), claimable: big(claimable) };
}

/// Every approved release, oldest first.
export async function releases(connection: Connection, protocol: Protocol): Promise<Release[]> {
  return allPages(connection, protocol.community, 'get_releases', [], (id, release) => ({
    id,
    kind: (field(release, 'kind') as EnumLike).type === 'Sdk' ? 'SDK' : 'protocol',
    name: field(release, 'name').toString(),
    version: field(release, 'version').toString(),
    contentHash: field(release, 'contentHash').toHex(),
  }));
}

// The community: the signer's membership and the voting rules, every
// proposal with its state and window (vote yes or no, execute), the fees
// (the broker's fee, collect, the signer's share to claim) and the
// approved releases (`p2pcloud community ...`).
import type { App } from '../app';
import { fees, memberWeight, proposals, releases, voteOf, votingRules, type ChainProposal, type VotingRules } from '../chain/community';
import { chainNow } from '../chain/connection';
import { shortAddress } from '../chain/signers';
import { money, type Token } from '../domain/amount';
import { spokenDuration, utcMinute } from '../domain/time_left';
import { parseWhole, U16_MAX } from '../domain/whole';
import { field, h, messageOf, note, replace } from '../dom';
import { claimShare, collectFees, execute, NOT_DONE, proposeFee, vote, type Actor } from '../flows/actions';
import type { Step } from '../flows/call';
import { activityLog, actorOf, refuseInLog, runAction } from './activity';

export function communityPage(app: App, root: HTMLElement): () => void {
  const membership = h('div', { class: 'membership', 'aria-live': 'polite' });
  const proposalList = h('div', { class: 'proposals', 'aria-live': 'polite' });
  const proposalsLog = activityLog();
  const feeView = h('div', { class: 'fees', 'aria-live': 'polite' });
  const feesLog = activityLog();
  const releaseList = h('div', { class: 'releases' });
  let generation = 0;

  const run: Run = (log, scope, what, steps) => {
    const actor = actorOf(app);
    if (typeof actor === 'string') return refuseInLog(log, what, actor);
    void runAction(log, scope, what, actor.connection, steps(actor), () => void show());
  };
  const onVote = (id: number, yes: boolean) => run(proposalsLog, proposalList, NOT_DONE.vote(id), (actor) => vote(actor, id, yes));
  const onExecute = (id: number) => run(proposalsLog, proposalList, NOT_DONE.execute(id), (actor) => execute(actor, id));

  const show = async () => {
    const mine = ++generation;
    const actor = actorOf(app);
    if (typeof actor === 'string') {
      replace(membership, note('warning', `To see the community, ${actor}.`));
      replace(proposalList);
      replace(feeView);
      replace(releaseList);
      return;
    }
    try {
      const { connection, protocol, signer, token } = actor;
      const [weight, rules, now, listed, fee, released] = await Promise.all([
        memberWeight(connection, protocol, signer.address),
        votingRules(connection, protocol),
        chainNow(connection),
        proposals(connection, protocol),
        fees(connection, protocol, signer.address),
        releases(connection, protocol),
      ]);
      const votes = await Promise.all(listed.map((proposal) => voteOf(connection, protocol, proposal.id, signer.address)));
      if (mine !== generation) return;
      replace(membership, membershipView(signer.address, weight, rules));
      replace(proposalList, proposalsTable(listed, votes, rules, now, { onVote, onExecute }));
      replace(feeView, feesView(fee, token));
      replace(releaseList, releasesTable(released));
    } catch (error) {
      if (mine === generation) replace(membership, note('error', messageOf(error)));
    }
  };

  const feesSection = feesControls(feeView, feesLog, run);
  root.append(
    h('h1', {}, 'Community'),
    membership,
    h(
      'section',
      { class: 'action-section' },
      h('h2', {}, 'Proposals'),
      h('p', {}, 'Members vote while a proposal is open; one that passed may be executed by anyone until its execution window closes.'),
      proposalList,
      proposalsLog,
    ),
    proposeFeeForm(app, () => void show()),
    feesSection,
    h('section', { class: 'action-section' }, h('h2', {}, 'Releases'), releaseList),
  );
  const unsubscribe = app.subscribe(() => void show());
  void show();
  return () => {
    generation++;
    unsubscribe();
  };
}

/// Runs an action into `log`, the buttons of `scope` held meanwhile.
type Run = (log: HTMLOListElement, scope: HTMLElement, what: string, steps: (actor: Actor) => AsyncGenerator<Step>) => void;

/// The fees with "collect fees" and "claim my share".
function feesControls(feeView: HTMLElement, log: HTMLOListElement, run: Run): HTMLElement {
  const section: HTMLElement = h(
    'section',
    { class: 'action-section' },
    h('h2', {}, 'Fees'),
    feeView,
    h(
      'p',
      { class: 'row-actions' },
      h('button', { type: 'button', name: 'collect', onclick: () => run(log, section, NOT_DONE.collectFees(), collectFees) }, 'collect fees'),
      h('button', { type: 'button', name: 'claim-share', onclick: () => run(log, section, NOT_DONE.claimShare(), claimShare) }, 'claim my share'),
    ),
    log,
  );
  return section;
}

/// A proposal to change the community fee (`p2pcloud community propose
/// fee BPS`); the other actions are the CLI's.
function proposeFeeForm(app: App, reread: () => void): HTMLFormElement {
  const feeBps = h('input', { name: 'fee_bps', inputmode: 'numeric', required: true, placeholder: '200', autocomplete: 'off' });
  const description = h('input', { name: 'description', autocomplete: 'off', placeholder: 'why, for the members' });
  const log = activityLog();
  const what = NOT_DONE.propose();
  const form: HTMLFormElement = h(
    'form',
    { class: 'action propose', onsubmit: (event: Event) => { event.preventDefault(); onPropose(); } },
    h('h2', {}, 'Propose a fee change'),
    h('p', {}, 'Members propose; the other kinds of proposal (members, releases, upgrades, the stablecoin) are made with the CLI, p2pcloud community propose.'),
    field('community fee', feeBps, 'in basis points of each payment: 100 is 1%, at most 2500'),
    field('description', description, 'at most 512 bytes'),
    h('button', { type: 'submit' }, 'propose'),
    log,
  );
  const onPropose = () => {
    const actor = actorOf(app);
    if (typeof actor === 'string') return refuseInLog(log, what, actor);
    let bps: number;
    try {
      bps = parseWhole(feeBps.value, 'community fee in basis points', U16_MAX);
    } catch (error) {
      return refuseInLog(log, what, messageOf(error));
    }
    void runAction(log, form, what, actor.connection, proposeFee(actor, bps, description.value.trim()), reread);
  };
  return form;
}

function membershipView(account: string, weight: bigint | null, rules: VotingRules): HTMLElement {
  const who = weight === null || weight === 0n
    ? `${shortAddress(account)} is not a member: it may execute passed proposals, collect fees and read, not vote.`
    : `${shortAddress(account)} is a member with voting weight ${weight}.`;
  return h(
    'div',
    {},
    h('p', { class: 'member-weight' }, who),
    h('p', { class: 'rules' }, `A proposal passes with yes from ${rules.quorumBps / 100}% of the total weight and more yes than no; voting lasts ${spokenDuration(rules.votingPeriodMs)}, and a passed proposal can be executed for ${spokenDuration(rules.executionPeriodMs)} after.`),
  );
}

interface ProposalActions {
  onVote: (id: number, yes: boolean) => void;
  onExecute: (id: number) => void;
}

function proposalsTable(
  listed: ChainProposal[],
  votes: (boolean | null)[],
  rules: VotingRules,
  now: bigint,
  actions: ProposalActions,
): HTMLElement {
  if (listed.length === 0) return note('info', 'No proposal has been made yet.');
  const headings = ['proposal', 'action', 'state', 'window', 'yes / no of total', 'your vote', ''];
  const cell = (label: string, ...content: (string | HTMLElement | null)[]) => h('td', { 'data-label': label }, ...content);
  return h(
    'table',
    { class: 'offers proposals' },
    h('thead', {}, h('tr', {}, ...headings.map((heading) => h('th', { scope: 'col' }, heading)))),
    h('tbody', {}, ...listed.map((proposal, index) => {
      const own = votes[index] ?? null;
      return h(
        'tr',
        { 'data-proposal': proposal.id },
        cell('proposal', `#${proposal.id}`),
        cell('action', h('span', {}, proposal.action), proposal.description === '' ? null : h('small', { class: 'description' }, proposal.description)),
        cell('state', proposal.state.toLowerCase()),
        cell('window', windowOf(proposal, rules, now)),
        cell('yes / no of total', `${proposal.yes} / ${proposal.no} of ${proposal.totalWeight}`),
        cell('your vote', own === null ? '—' : own ? 'yes' : 'no'),
        cell('', h(
          'span',
          { class: 'row-actions' },
          proposal.state === 'Voting' && own === null ? h('button', { type: 'button', name: 'vote-yes', onclick: () => actions.onVote(proposal.id, true) }, 'vote yes') : null,
          proposal.state === 'Voting' && own === null ? h('button', { type: 'button', name: 'vote-no', class: 'secondary', onclick: () => actions.onVote(proposal.id, false) }, 'vote no') : null,
          proposal.state === 'Passed' ? h('button', { type: 'button', name: 'execute', onclick: () => actions.onExecute(proposal.id) }, 'execute') : null,
        )),
      );
    })),
  );
}

/// When voting closes, or until when a passed proposal can be executed.
function windowOf(proposal: ChainProposal, rules: VotingRules, now: bigint): string {
  const executableUntil = proposal.votingEnds + rules.executionPeriodMs;
  const at = (moment: bigint) => `${moment > now ? `in ${spokenDuration(moment - now)}` : `${spokenDuration(now - moment)} ago`}, at ${utcMinute(moment)}`;
  switch (proposal.state) {
    case 'Voting':
      return `voting closes ${at(proposal.votingEnds)}`;
    case 'Passed':
      return `executable until ${at(executableUntil)}`;
    case 'Expired':
      return `its execution window closed ${at(executableUntil)}`;
    case 'Rejected':
    case 'Executed':
      return `voting closed ${at(proposal.votingEnds)}`;
  }
}

function feesView(fee: { feeBps: number; collected: bigint; claimable: bigint }, token: Token): HTMLElement {
  const row = (label: string, value: string) => h('div', {}, h('dt', {}, label), h('dd', {}, value));
  return h(
    'dl',
    { class: 'report' },
    row('community fee', `${fee.feeBps / 100}% of each payment (${fee.feeBps} bps)`),
    row('collected into the open fee book', money(fee.collected, token)),
    row('your share to claim', money(fee.claimable, token)),
  );
}

function releasesTable(released: Awaited<ReturnType<typeof releases>>): HTMLElement {
  if (released.length === 0) return note('info', 'No release has been approved yet.');
  const cell = (label: string, content: string) => h('td', { 'data-label': label }, content);
  return h(
    'table',
    { class: 'offers releases' },
    h('thead', {}, h('tr', {}, ...['release', 'kind', 'name', 'version', 'content hash'].map((heading) => h('th', { scope: 'col' }, heading)))),
    h('tbody', {}, ...released.map((release) => h(
      'tr',
      {},
      cell('release', `#${release.id}`),
      cell('kind', release.kind),
      cell('name', release.name),
      cell('version', release.version),
      cell('content hash', release.contentHash),
    ))),
  );
}

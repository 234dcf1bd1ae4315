// Every refusal of the broker, the community and the stablecoin, as the
// sentence the CLI prints for it: the broker's and the community's from their
// `Display` (common/src/broker_api.rs, community/src/errors.rs), the
// stablecoin's and the prefixes from client/src/error.rs. One map per
// contract, in one module, so every page says a refusal the same way;
// test/refusals.test.ts checks the maps against those Rust sources and
// against the variants the contracts' metadata names.

/// A contract's error as the metadata decodes it: the variant's name and,
/// for a variant with a field, that field.
export interface ContractError {
  variant: string;
  /// `Broker(BrokerError)` of the community, `Custom(String)` of PSP22.
  inner?: ContractError | string;
}

/// `BrokerError`'s variants, as `impl Display for BrokerError` says them.
export const BROKER_REFUSALS: Readonly<Record<string, string>> = {
  NotCommunity: 'only the community contract may do this',
  NotProposedCommunity: 'only the contract the community proposed as its successor may accept',
  NotOfferOwner: 'only the miner who made the offer may change it',
  NotBookingUser: 'only the booking\'s user may stop it with this reason',
  NotBookingMiner: 'only the booking\'s miner may do this',
  ReasonReserved: 'the broker alone ends bookings for non-payment',
  UnknownOffer: 'there is no such offer',
  UnknownBooking: 'there is no such active booking',
  PageLimitOutOfRange: 'a page holds 1 to 100 items',
  BatchLimitOutOfRange: 'a migration step takes 1 to 16 items',
  ZeroPrice: 'the price must be above zero',
  PriceTooHigh: 'the price, or the user\'s prices together, exceed 2^80 per second',
  PriceAboveLimit: 'the offer costs more than the most you accept to pay',
  ZeroMachines: 'an offer needs at least one machine',
  ZeroAmount: 'the amount must be above zero',
  MachinesBelowBooked: 'the offer cannot have fewer machines than are booked',
  OfferClosed: 'the offer is closed',
  OwnOffer: 'a miner cannot book their own offer',
  NoFreeMachine: 'every machine of the offer is booked',
  InsufficientBalance: 'the balance cannot pay a week of all your bookings with this one',
  BalanceRanOut: 'your balance ran out: your bookings must be settled before you book again',
  InsufficientFreeBalance: 'that is more than the free balance',
  DepositCapReached: 'the broker holds at most 2^110 units in all',
  MigrationInProgress: 'a stablecoin migration is under way',
  NoMigration: 'no stablecoin migration is under way',
  FeeTooHigh: 'the community fee is at most 25%',
  UrlTooLong: 'the miner URL is longer than 256 bytes',
  Overflow: 'the result would not fit its integer type',
  TokenCallFailed: 'the stablecoin\'s call failed',
  TokenTransferRejected: 'the stablecoin refused the transfer',
  TokenBalanceMismatch: 'the stablecoin did not move the amount it reported',
  ZeroTokenCallLimit: 'a token call limit of zero would lift the limit',
  CodeUpgradeFailed: 'the code upgrade was refused',
  UnknownLayout: 'the storage is in a layout this build cannot read or migrate',
  NoReportableBooking: 'no ended booking with this id waits for a report',
  ReportWindowClosed: 'the booking ended too long ago to be reported',
  ReportWindowOpen: 'the booking\'s report window is still open',
  BeneficiaryRanOut:
    'that account\'s balance ran out: its bookings have stopped, and a deposit would not revive them',
  BrokerAsBeneficiary: 'the broker itself cannot hold a balance',
};

/// `CommunityError`'s variants but `Broker(BrokerError)`, which says the
/// broker's refusal.
export const COMMUNITY_REFUSALS: Readonly<Record<string, string>> = {
  NotMember: 'only members may do this',
  UnknownProposal: 'there is no such proposal',
  AlreadyVoted: 'you voted on this proposal already',
  VotingClosed: 'the proposal\'s voting period is over',
  VotingOpen: 'the proposal is still open for votes',
  NotPassed: 'the proposal did not pass',
  Expired: 'the proposal\'s execution period is over',
  AlreadyExecuted: 'the proposal was executed already',
  WeightChangedSinceProposal: 'your voting weight changed after the proposal was made',
  NoMembers: 'a community needs at least one member',
  TooManyMembers: 'too many members for one instantiation',
  ZeroWeight: 'a member\'s weight must be above zero',
  AlreadyMember: 'the account is a member already',
  UnknownMember: 'the account is not a member',
  LastMember: 'the last member cannot be removed',
  QuorumOutOfRange: 'the quorum runs from 1 to 10 000 basis points',
  ZeroVotingPeriod: 'the voting period must be above zero',
  VotingPeriodTooLong: 'the voting period is at most 90 days',
  ZeroExecutionPeriod: 'the execution period must be above zero',
  Superseded: 'a newer proposal on the same subject was executed already',
  DescriptionTooLong: 'the description is longer than 512 bytes',
  ReleaseFieldTooLong: 'a release\'s name and version are at most 64 bytes',
  ReleaseAlreadyApproved: 'this release is approved already',
  NothingToCollect: 'no fees wait in the broker',
  NothingToClaim: 'your share is below one whole unit',
  PageLimitOutOfRange: 'a page holds 1 to 100 items',
  UnknownCursor: 'the cursor is past the last item',
  Overflow: 'the result would not fit its integer type',
  BrokerCallFailed: 'the call into the broker failed',
  BrokerInstantiationFailed: 'instantiating the broker failed',
  NoBroker: 'the broker is not created yet: call create_broker first',
  BrokerExists: 'the broker exists already',
  BatchLimitOutOfRange: 'a payout batch takes 1 to 16 members',
  PayoutStartOutOfRange: 'the payout batch starts past the last member',
  CodeUpgradeFailed: 'the code upgrade was refused',
  UnknownLayout: 'the storage is in a layout this build cannot read or migrate',
  TokenCallFailed: 'the stablecoin\'s call failed',
  TokenTransferRejected: 'the stablecoin refused the transfer',
  TokenBalanceMismatch: 'the stablecoin did not move the amount it reported, or the community holds tokens it has not shared yet (share_surplus shares them)',
  ContractAsMember: 'neither the community nor its broker can be a member',
  UnknownBook: 'no closed fee book has this id',
  WeightTooHigh: 'the members may weigh at most 2^32 together',
};

/// PSP22's `PSP22Error`, as client/src/error.rs's `token_error` says it.
export function tokenRefusal(error: ContractError): string {
  const why = typeof error.inner === 'string' ? error.inner : '';
  switch (error.variant) {
    case 'Custom':
      return why;
    case 'InsufficientBalance':
      return 'the balance is too low';
    case 'InsufficientAllowance':
      return 'the allowance is too low';
    case 'ZeroRecipientAddress':
      return 'the recipient is the zero address';
    case 'ZeroSenderAddress':
      return 'the sender is the zero address';
    case 'SafeTransferCheckFailed':
      return `the safe transfer check failed: ${why}`;
    default:
      return unknown(error);
  }
}

function unknown(error: ContractError): string {
  return `an error this console does not know (${error.variant})`;
}

/// "the broker refused: the amount must be above zero".
export function brokerRefusal(error: ContractError): string {
  return `the broker refused: ${BROKER_REFUSALS[error.variant] ?? unknown(error)}`;
}

/// "the community refused: ..."; the broker's refusal through the community
/// reads "the community refused: the broker refused: ...".
export function communityRefusal(error: ContractError): string {
  if (error.variant === 'Broker' && typeof error.inner === 'object') {
    return `the community refused: ${brokerRefusal(error.inner)}`;
  }
  return `the community refused: ${COMMUNITY_REFUSALS[error.variant] ?? unknown(error)}`;
}

/// "the stablecoin refused: the balance is too low".
export function stablecoinRefusal(error: ContractError): string {
  return `the stablecoin refused: ${tokenRefusal(error)}`;
}

/// Which contract refused: each says its refusals its own way.
export type Refuser = 'broker' | 'community' | 'stablecoin';

export function refusal(refuser: Refuser, error: ContractError): string {
  switch (refuser) {
    case 'broker':
      return brokerRefusal(error);
    case 'community':
      return communityRefusal(error);
    case 'stablecoin':
      return stablecoinRefusal(error);
  }
}

/// client/src/error.rs's `NothingAccrued`: a claim the CLI does not send,
/// since its dry run on the block of the last payment would measure the
/// cheap path and the submitted claim would run out of gas.
export const NOTHING_ACCRUED =
  "nothing has accrued yet at the chain's latest block (a dev node makes blocks only for transactions)";

/// What did not happen and why, as the CLI's `not_done` prints it:
/// "nothing deposited: the broker refused: the amount must be above zero".
export function notDone(what: string, why: string): string {
  return `${what}: ${why}`;
}

// The three contracts the console calls, each with its metadata (abi/,
// bundled into the app), and their messages run without submitting them:
// the dry run every call starts with.
import { Abi } from '@polkadot/api-contract';
import type { Codec } from '@polkadot/types/types';
import brokerMetadata from '../../abi/broker.json';
import communityMetadata from '../../abi/community.json';
import tokenMetadata from '../../abi/psp22_mock.json';
import type { ContractError } from '../domain/refusals';
import type { Connection } from './connection';

/// pallet-contracts' `ReturnFlags::REVERT`.
const REVERT_FLAG = 1;

/// A contract on the chain and the metadata that encodes its calls.
export interface Contract {
  name: 'broker' | 'community' | 'stablecoin';
  address: string;
  abi: Abi;
}

/// The protocol as the broker names it: its community and its stablecoin.
export interface Protocol {
  broker: Contract;
  community: Contract;
  stablecoin: Contract;
}

/// The broker at `broker`, and the community and stablecoin it names.
export async function openProtocol(connection: Connection, broker: string): Promise<Protocol> {
  const properties = connection.api.registry.getChainProperties();
  const abi = (metadata: unknown) => new Abi(metadata as Record<string, unknown>, properties);
  const info = await connection.api.query.contracts.contractInfoOf(broker);
  if (info.isNone) {
    throw new Error(`there is no contract at ${broker} on this chain: deploy first, or set the broker's address`);
  }
  const brokerContract: Contract = { name: 'broker', address: broker, abi: abi(brokerMetadata) };
  const community = (await read(connection, brokerContract, 'get_community_contract')).toString();
  const stablecoin = (await read(connection, brokerContract, 'get_stablecoin_address')).toString();
  return {
    broker: brokerContract,
    community: { name: 'community', address: community, abi: abi(communityMetadata) },
    stablecoin: { name: 'stablecoin', address: stablecoin, abi: abi(tokenMetadata) },
  };
}

/// A message's answer: its value, or the contract's error.
export type Answer = { ok: Codec } | { err: ContractError };

/// What a dry run measured, as pallet-contracts reports it.
export interface DryRun {
  /// The message's answer; a `Result` message that answered `Err` reverted.
  answer: Answer;
  reverted: boolean;
  gasRequired: { refTime: bigint; proofSize: bigint };
  /// What the call would charge for storage (zero for a refund).
  storageCharge: bigint;
}

/// The call failed before the contract could answer (a trap, an exhausted
/// limit, no contract): the runtime's error by name.
export class CallFailed extends Error {
  override name = 'CallFailed';
}

/// Runs `label` with `args` on `contract` from `caller` on the best block's
/// state, with no gas or storage limit (as the CLI's dry run: the runtime's
/// own maximum), without submitting it.
export async function dryRun(
  connection: Connection,
  contract: Contract,
  label: string,
  args: unknown[],
  caller: string,
): Promise<DryRun> {
  const { api } = connection;
  const message = contract.abi.findMessage(label);
  const outcome = await api.call.contractsApi.call(caller, contract.address, 0, null, null, message.toU8a(args));
  if (outcome.result.isErr) {
    const error = outcome.result.asErr;
    const why = error.isModule ? moduleError(connection, error.asModule) : error.toString();
    throw new CallFailed(`call failed: ${why}${debugNote(outcome.debugMessage.toUtf8())}`);
  }
  const executed = outcome.result.asOk;
  const returnType = message.returnType;
  if (!returnType) {
    throw new CallFailed(`${label} answers nothing the metadata describes`);
  }
  const output = contract.abi.registry.createTypeUnsafe(
    returnType.lookupName || returnType.type,
    [executed.data.toU8a(true)],
    { isPedantic: true },
  );
  const deposit = outcome.storageDeposit;
  return {
    answer: answerOf(label, output),
    // Bit 0 of the return flags: the contract reverted (answered `Err`).
    reverted: (executed.flags.bits.toNumber() & REVERT_FLAG) !== 0,
    gasRequired: {
      refTime: outcome.gasRequired.refTime.toBigInt(),
      proofSize: outcome.gasRequired.proofSize.toBigInt(),
    },
    storageCharge: deposit.isCharge ? deposit.asCharge.toBigInt() : 0n,
  };
}

/// The value of a query that cannot be refused (a getter), or of a `Result`
/// query's `Ok`; a refusal is thrown with its variant.
export async function read(
  connection: Connection,
  contract: Contract,
  label: string,
  args: unknown[] = [],
  caller: string = contract.address,
): Promise<Codec> {
  const { answer } = await dryRun(connection, contract, label, args, caller);
  if ('err' in answer) {
    throw new CallFailed(`${label} answered ${answer.err.variant}`);
  }
  return answer.ok;
}

/// A decoded Result as the codec library gives it.
interface ResultCodec extends Codec {
  isOk: boolean;
  isErr: boolean;
  asOk: Codec;
  asErr: Codec;
}

/// An enum as the codec library gives it.
interface EnumCodec extends Codec {
  type: string;
  value: Codec;
  /// Every variant without a field.
  isBasic: boolean;
}

function isResult(codec: Codec): codec is ResultCodec {
  return 'isOk' in codec && 'isErr' in codec && 'asOk' in codec;
}

/// ink!'s `MessageResult<T>` unwrapped: `T`'s value, and when `T` is a
/// `Result`, its `Ok` value or its error.
function answerOf(label: string, output: Codec): Answer {
  if (!isResult(output)) {
    throw new CallFailed(`unexpected answer: ${label} did not answer an ink! MessageResult`);
  }
  if (output.isErr) {
    throw new CallFailed(`unexpected answer: ink! refused ${label}: ${output.asErr.toString()}`);
  }
  const value = output.asOk;
  if (isResult(value)) {
    return value.isOk ? { ok: value.asOk } : { err: contractError(value.asErr) };
  }
  return { ok: value };
}

/// A contract's error enum as variant and field.
export function contractError(codec: Codec): ContractError {
  const error = codec as EnumCodec;
  if (typeof error.type !== 'string') {
    return { variant: codec.toString() };
  }
  const field = error.value;
  if (error.isBasic || field.toRawType() === 'Null') {
    return { variant: error.type };
  }
  const inner = 'type' in field && typeof (field as EnumCodec).type === 'string'
    ? contractError(field)
    : field.toString();
  return { variant: error.type, inner };
}

/// A runtime module error as `Pallet::Name`, as the node's metadata names it.
export function moduleError(connection: Connection, error: Parameters<Connection['api']['registry']['findMetaError']>[0]): string {
  const { section, name } = connection.api.registry.findMetaError(error);
  return `${section}::${name}`;
}

function debugNote(debug: string): string {
  return debug.trim() === '' ? '' : ` (${debug.trim()})`;
}

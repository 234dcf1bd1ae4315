// A substrate-contracts-node --dev of the tests' own, on free ports, with
// the protocol deployed on it as the e2e JS test deploys it: psp22-mock, the
// community (Alice 3, Eve 1) and the broker the community creates. Needs
// `substrate-contracts-node` (or $CONTRACTS_NODE) and the built bundles.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect as netConnect, createServer } from 'node:net';
import { homedir } from 'node:os';
import type { SubmittableResult } from '@polkadot/api';
import { Abi, BlueprintPromise } from '@polkadot/api-contract';
import { randomAsHex } from '@polkadot/util-crypto';
import { optional } from '../src/chain/codec';
import { connect, type Connection } from '../src/chain/connection';
import { openProtocol, read, type Contract, type Protocol } from '../src/chain/contracts';
import { withGasMargin } from '../src/chain/gas';
import { devSigners, type Signer } from '../src/chain/signers';
import { act, landed, type Step } from '../src/flows/call';

const NODE = process.env.CONTRACTS_NODE ?? 'substrate-contracts-node';
export const BUNDLES = process.env.P2PCLOUD_BUNDLES
  ?? `${process.env.CARGO_TARGET_DIR ?? `${homedir()}/.cache/p2pcloud/target`}/ink`;
// Each library before its contract (common/src/split.rs): the cold messages
// run there.
const NAMES = ['psp22_mock', 'broker_library', 'community_library', 'community', 'broker'] as const;

/// Why the chain cannot be started here, or null when it can.
export function whyNoChain(): string | null {
  if (spawnSync(NODE, ['--version']).status !== 0) return `no ${NODE} on PATH (bash scripts/setup.sh --node)`;
  const missing = NAMES.find((name) => !existsSync(`${BUNDLES}/${name}/${name}.contract`));
  return missing ? `no ${missing} bundle under ${BUNDLES} (bash scripts/build.sh)` : null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/// Connects once the node's RPC port takes connections, waiting a minute
/// at most.
async function connectWhenUp(port: number): Promise<Connection> {
  const deadline = Date.now() + 60_000;
  const open = () =>
    new Promise<boolean>((resolve) => {
      const socket = netConnect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
  while (!(await open())) {
    if (Date.now() > deadline) throw new Error(`the node's RPC port ${port} did not open within a minute`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return connect(`ws://127.0.0.1:${port}`);
}

/// Every step of `steps` until `call` (by default any) is in a block, or
/// the steps end (refused, failed): a dev node need not finalize.
export async function untilInBlock(steps: AsyncGenerator<Step>, call?: string): Promise<Step[]> {
  const seen: Step[] = [];
  for await (const step of steps) {
    seen.push(step);
    if (landed(step) && (call === undefined || (step.kind === 'progress' && step.call === call))) break;
  }
  return seen;
}

/// `steps` for an assertion's message (limits are bigints).
export function show(steps: Step[]): string {
  return JSON.stringify(steps, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

export function last(steps: Step[]): Step | undefined {
  return steps[steps.length - 1];
}

/// Uploads and instantiates the protocol as the e2e JS test does, with
/// @polkadot/api-contract's blueprints: psp22-mock, the community, the
/// broker the community creates, which then pins its library.
async function deploy(connection: Connection, alice: Signer, eve: Signer, votingPeriodMs: number): Promise<string> {
  const { api } = connection;
  const bundle = (name: string) => JSON.parse(readFileSync(`${BUNDLES}/${name}/${name}.contract`, 'utf8'));
  const code: Record<string, { abi: Abi; hash: string }> = {};
  for (const name of NAMES) {
    const json = bundle(name);
    code[name] = { abi: new Abi(json, api.registry.getChainProperties()), hash: json.source.hash };
    if ((await api.query.contracts.codeInfoOf(String(json.source.hash))).isNone) {
      await inBlock(alice, api.tx.contracts.uploadCode(json.source.wasm, null, 'Enforced'));
    }
  }
  const instantiate = async (name: string, args: unknown[]): Promise<string> => {
    const { abi, hash } = code[name]!;
    const salt = randomAsHex(32);
    const data = abi.findConstructor('new').toU8a(args);
    const measured = await api.call.contractsApi.instantiate(alice.address, 0, null, null, { Existing: hash }, data, salt);
    assert.ok(measured.result.isOk, `${name} instantiation dry run: ${measured.result.toString()}`);
    const gasLimit = api.createType('WeightV2', withGasMargin({
      refTime: measured.gasRequired.refTime.toBigInt(),
      proofSize: measured.gasRequired.proofSize.toBigInt(),
    }));
    const tx = new BlueprintPromise(api, abi, hash).tx['new']!({ gasLimit, storageDepositLimit: null, salt }, ...args);
    const result = await inBlock(alice, tx);
    const created = result.events.find(({ event }) => api.events.contracts.Instantiated.is(event));
    assert.ok(created, `${name} instantiated`);
    return created.event.data[1]!.toString();
  };
  const token = await instantiate('psp22_mock', [0, 'Mock USD', 'mUSD', 6]);
  const rules = { quorumBps: 5_000, votingPeriod: votingPeriodMs, executionPeriod: 60_000 };
  const community = await instantiate('community', [[[alice.address, 3], [eve.address, 1]], rules, code.broker!.hash, token]);
  const communityContract: Contract = { name: 'community', address: community, abi: code.community!.abi };
  // Each contract pins its library, as every deployment has it do.
  const communityPinned = await untilInBlock(act(connection, { contract: communityContract, label: 'migrate_storage', args: [] }, alice));
  assert.ok(landed(last(communityPinned)), show(communityPinned));
  const created = await untilInBlock(act(connection, { contract: communityContract, label: 'create_broker', args: [] }, alice));
  assert.ok(landed(last(created)), show(created));
  const broker = optional(await read(connection, communityContract, 'get_broker'));
  assert.ok(broker, 'the community created its broker');
  const brokerContract: Contract = { name: 'broker', address: broker.toString(), abi: code.broker!.abi };
  const pinned = await untilInBlock(act(connection, { contract: brokerContract, label: 'migrate_storage', args: [] }, alice));
  assert.ok(landed(last(pinned)), show(pinned));
  return broker.toString();
}

/// Signs and submits `tx` as `signer`; resolves in its block.
function inBlock(signer: Signer, tx: Parameters<Signer['signAndSend']>[0]): Promise<SubmittableResult> {
  return new Promise((resolve, reject) => {
    signer
      .signAndSend(tx, (result) => {
        if (result.dispatchError) reject(new Error(result.dispatchError.toString()));
        else if (result.status.isInBlock || result.status.isFinalized) resolve(result);
      })
      .catch(reject);
  });
}

/// The nonce of `signer`: unchanged when nothing was signed.
export async function nonceOf(connection: Connection, signer: Signer): Promise<number> {
  return (await connection.api.rpc.system.accountNextIndex(signer.address)).toNumber();
}

/// Sends `amount` of the native token (what pays fees) from `from` to `to`;
/// resolves in its block.
export async function fundNative(connection: Connection, from: Signer, to: string, amount: bigint): Promise<void> {
  await inBlock(from, connection.api.tx.balances.transferKeepAlive(to, amount));
}

/// `contract`'s events in block `number`, by name, their fields as text
/// (named as the codec names them: camelCase).
export async function contractEvents(
  connection: Connection,
  contract: Contract,
  number: number,
): Promise<{ name: string; args: Record<string, string> }[]> {
  const { api } = connection;
  const at = await api.at(await api.rpc.chain.getBlockHash(number));
  const records = await at.query.system.events();
  return records
    .filter(({ event }) => api.events.contracts.ContractEmitted.is(event) && event.data[0]!.toString() === contract.address)
    .map((record) => {
      const decoded = contract.abi.decodeEvent(record);
      return {
        name: decoded.event.identifier.split('::').pop()!,
        args: Object.fromEntries(decoded.event.args.map((arg, index) => [arg.name, decoded.args[index]!.toString()])),
      };
    });
}

/// A running dev node with the protocol on it.
export interface DevChain {
  port: number;
  /// Where the bundles it deployed are.
  bundles: string;
  url: string;
  connection: Connection;
  protocol: Protocol;
  /// Alice to Ferdie by name.
  signers: Record<string, Signer>;
  stop(): Promise<void>;
}

/// How the protocol gets onto a fresh node: its broker's address.
export type Deployer = (node: { url: string; connection: Connection; signers: Record<string, Signer> }) => Promise<string>;

/// The e2e JS test's way, with votes lasting a minute.
const deployWithBlueprints: Deployer = ({ connection, signers }) => deploy(connection, signers.Alice!, signers.Eve!, 60_000);

/// Starts a dev node with a temporary database and deploys the protocol
/// with `deployer`.
export async function startChain(deployer: Deployer = deployWithBlueprints): Promise<DevChain> {
  const port = await freePort();
  const node: ChildProcess = spawn(NODE, ['--dev', '--tmp', '--rpc-port', String(port), '--port', String(await freePort())], { stdio: 'ignore' });
  try {
    const connection = await connectWhenUp(port);
    const signers = Object.fromEntries((await devSigners(connection)).map((signer) => [signer.name, signer]));
    const url = `ws://127.0.0.1:${port}`;
    const broker = await deployer({ url, connection, signers });
    const protocol = await openProtocol(connection, broker);
    return {
      port,
      bundles: BUNDLES,
      url,
      connection,
      protocol,
      signers,
      stop: async () => {
        await connection.api.disconnect();
        node.kill();
      },
    };
  } catch (error) {
    node.kill();
    throw error;
  }
}

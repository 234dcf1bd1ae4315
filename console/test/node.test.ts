// The console's chain side against a real substrate-contracts-node --dev:
// the protocol opened from the broker's address alone, the market read from
// the broker's pages, and the deposit pattern every signed action follows
// (dry run, the CLI's refusal sentence before anything is signed, approve
// only after the checks, progress to a block). The browser pages on top are
// not driven here (no browser): see console/README.md.
//
// Starts its own node on free ports when `substrate-contracts-node` (or
// $CONTRACTS_NODE) is there and the bundles are built; SKIPPED otherwise.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect as netConnect, createServer } from 'node:net';
import { homedir } from 'node:os';
import { after, before, test } from 'node:test';
import { Abi, BlueprintPromise } from '@polkadot/api-contract';
import { randomAsHex } from '@polkadot/util-crypto';
import { connect, type Connection } from '../src/chain/connection';
import { withGasMargin } from '../src/chain/gas';
import { optional } from '../src/chain/codec';
import { openProtocol, read, type Contract, type Protocol } from '../src/chain/contracts';
import { availableOffers, balanceReport, tokenBalance, tokenOf } from '../src/chain/market';
import { devSigners, type Signer } from '../src/chain/signers';
import { act, landed, type Step } from '../src/flows/call';
import { deposit } from '../src/flows/deposit';

const NODE = process.env.CONTRACTS_NODE ?? 'substrate-contracts-node';
const BUNDLES = process.env.P2PCLOUD_BUNDLES
  ?? `${process.env.CARGO_TARGET_DIR ?? `${homedir()}/.cache/p2pcloud/target`}/ink`;
const NAMES = ['psp22_mock', 'community', 'broker'] as const;

function whyNot(): string | null {
  if (spawnSync(NODE, ['--version']).status !== 0) return `no ${NODE} on PATH (bash scripts/setup.sh --node)`;
  const missing = NAMES.find((name) => !existsSync(`${BUNDLES}/${name}/${name}.contract`));
  return missing ? `no ${missing} bundle under ${BUNDLES} (bash scripts/build.sh)` : null;
}

const skip = whyNot();
if (skip !== null) console.log(`console node test: SKIPPED (${skip})`);

let node: ChildProcess | undefined;
let connection: Connection;
let protocol: Protocol;
let signers: Record<string, Signer>;

async function freePort(): Promise<number> {
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
async function untilInBlock(steps: AsyncGenerator<Step>, call?: string): Promise<Step[]> {
  const seen: Step[] = [];
  for await (const step of steps) {
    seen.push(step);
    if (landed(step) && (call === undefined || (step.kind === 'progress' && step.call === call))) break;
  }
  return seen;
}

/// `steps` for an assertion's message (limits are bigints).
function show(steps: Step[]): string {
  return JSON.stringify(steps, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

function last(steps: Step[]): Step | undefined {
  return steps[steps.length - 1];
}

/// Uploads and instantiates the protocol as the e2e JS test does, with
/// @polkadot/api-contract's blueprints: psp22-mock, the community, the
/// broker the community creates.
async function deploy(alice: Signer, eve: Signer): Promise<string> {
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
  const rules = { quorumBps: 5_000, votingPeriod: 60_000, executionPeriod: 60_000 };
  const community = await instantiate('community', [[[alice.address, 3], [eve.address, 1]], rules, code.broker!.hash, token]);
  const communityContract: Contract = { name: 'community', address: community, abi: code.community!.abi };
  const created = await untilInBlock(act(connection, { contract: communityContract, label: 'create_broker', args: [] }, alice));
  assert.ok(landed(last(created)), show(created));
  const broker = optional(await read(connection, communityContract, 'get_broker'));
  assert.ok(broker, 'the community created its broker');
  return broker.toString();
}

/// Signs and submits `tx` as `signer`; resolves in its block.
function inBlock(signer: Signer, tx: Parameters<Signer['signAndSend']>[0]): Promise<import('@polkadot/api').SubmittableResult> {
  return new Promise((resolve, reject) => {
    signer
      .signAndSend(tx, (result) => {
        if (result.dispatchError) reject(new Error(result.dispatchError.toString()));
        else if (result.status.isInBlock || result.status.isFinalized) resolve(result);
      })
      .catch(reject);
  });
}

before(async () => {
  if (skip !== null) return;
  const port = await freePort();
  node = spawn(NODE, ['--dev', '--tmp', '--rpc-port', String(port), '--port', String(await freePort())], { stdio: 'ignore' });
  connection = await connectWhenUp(port);
  signers = Object.fromEntries((await devSigners(connection)).map((signer) => [signer.name, signer]));
  const broker = await deploy(signers.Alice!, signers.Eve!);
  protocol = await openProtocol(connection, broker);
});

after(async () => {
  await connection?.api.disconnect();
  node?.kill();
});

test('the broker names its community and stablecoin, whose token the console reads', { skip: skip ?? false }, async () => {
  assert.ok(connection.isDev);
  assert.equal(protocol.broker.name, 'broker');
  assert.deepEqual(await tokenOf(connection, protocol), { symbol: 'mUSD', decimals: 6 });
});

test('a refused deposit says the CLI sentence and signs nothing', { skip: skip ?? false }, async () => {
  const charlie = signers.Charlie!;
  const nonce = async () => (await connection.api.rpc.system.accountNextIndex(charlie.address)).toNumber();
  const before = await nonce();
  const zero = await untilInBlock(deposit(connection, protocol, charlie, 0n, null));
  assert.deepEqual(zero, [{ kind: 'refused', why: 'nothing deposited: the broker refused: the amount must be above zero' }]);
  const broke = await untilInBlock(deposit(connection, protocol, charlie, 10_000_000n, null));
  assert.deepEqual(broke, [{ kind: 'refused', why: 'nothing deposited: the stablecoin refused: the balance is too low' }]);
  assert.equal(await nonce(), before, 'nothing was signed');
});

test('a deposit approves the broker, then deposits, each to its block', { skip: skip ?? false }, async () => {
  const charlie = signers.Charlie!;
  const minted = await untilInBlock(act(connection, { contract: protocol.stablecoin, label: 'PSP22Mintable::mint', args: [1_000_000_000n] }, charlie));
  assert.ok(landed(last(minted)), show(minted));
  const steps = await untilInBlock(deposit(connection, protocol, charlie, 700_000_000n, null), 'broker deposit_coin');
  const calls = steps.filter((step) => step.kind === 'prepared').map((step) => step.kind === 'prepared' && step.call);
  assert.deepEqual(calls, ['stablecoin PSP22::approve', 'broker deposit_coin']);
  assert.ok(landed(last(steps)), show(steps));
  const prepared = steps.find((step) => step.kind === 'prepared');
  assert.ok(prepared?.kind === 'prepared' && prepared.limits.gas.refTime > 0n);
  const report = await balanceReport(connection, protocol, charlie.address);
  assert.equal(report.deposited, 700_000_000n);
  assert.equal(report.runsOutAt, null);
  assert.equal(await tokenBalance(connection, protocol, charlie.address), 300_000_000n);
});

test('without an indexer the market is the broker\'s pages', { skip: skip ?? false }, async () => {
  const bob = signers.Bob!;
  const offered = await untilInBlock(
    act(connection, { contract: protocol.broker, label: 'add_offer', args: [7, 1_000n, 2, new Uint8Array(32)] }, bob),
  );
  assert.ok(landed(last(offered)), show(offered));
  const offers = await availableOffers(connection, protocol);
  assert.deepEqual(offers, [{ id: 0, miner: bob.address, vmType: 7, pricePerSecond: 1_000n, machines: 2, booked: 0, closed: false }]);
});

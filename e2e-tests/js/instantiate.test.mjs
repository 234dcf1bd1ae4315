// Instantiating each contract from its uploaded code hash, the way Contracts
// UI does it (@polkadot/api-contract's BlueprintPromise), must yield that
// contract's own address. The library takes the extrinsic's first
// `Instantiated` event as the new contract, so a constructor that
// instantiated another contract first would hand the user the wrong address.
//
// Runs against a dev node at P2PCLOUD_NODE_URL with the bundles under
// P2PCLOUD_BUNDLES (scripts/test.sh starts both when the node is installed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Abi, BlueprintPromise, ContractPromise } from '@polkadot/api-contract';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, randomAsHex } from '@polkadot/util-crypto';
import { BN } from '@polkadot/util';

const url = process.env.P2PCLOUD_NODE_URL ?? 'ws://127.0.0.1:9944';
const bundles = process.env.P2PCLOUD_BUNDLES ?? `${homedir()}/.cache/p2pcloud/target/ink`;
// Gas for a submitted call: its dry run's measure plus a fifth, so a call
// that takes a slightly costlier path on chain than in the dry run still fits.
const MARGIN_PERCENT = 20;

let api;
let alice;
let bob;
const code = {};

function bundle(name) {
  const json = JSON.parse(readFileSync(`${bundles}/${name}/${name}.contract`, 'utf8'));
  return { abi: new Abi(json, api.registry.getChainProperties()), wasm: json.source.wasm, hash: json.source.hash };
}

// Signs and sends `tx`; resolves with the result once in a block, rejects
// with the runtime's error name if the extrinsic failed.
function submit(tx, signer) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, (result) => {
      if (result.dispatchError) {
        const error = result.dispatchError;
        if (error.isModule) {
          const { section, name } = api.registry.findMetaError(error.asModule);
          reject(new Error(`${section}::${name}`));
        } else {
          reject(new Error(error.toString()));
        }
      } else if (result.status.isInBlock || result.status.isFinalized) {
        resolve(result);
      }
    }).catch(reject);
  });
}

function withMargin(weight) {
  const grow = (value) => value.toBn().mul(new BN(100 + MARGIN_PERCENT)).div(new BN(100));
  return api.registry.createType('WeightV2', {
    refTime: grow(weight.refTime),
    proofSize: grow(weight.proofSize),
  });
}

// Instantiates `name` from its uploaded code with the gas its dry run needed.
async function instantiate(name, constructor, args, signer = alice) {
  const { abi, hash } = code[name];
  const salt = randomAsHex(32);
  const data = abi.findConstructor(constructor).toU8a(args);
  const dryRun = await api.call.contractsApi.instantiate(
    signer.address, 0, null, null, { Existing: hash }, data, salt,
  );
  assert.ok(dryRun.result.isOk, `${name} ${constructor} dry run: ${dryRun.result.toString()}`);
  const blueprint = new BlueprintPromise(api, abi, hash);
  const options = { gasLimit: withMargin(dryRun.gasRequired), storageDepositLimit: null, salt };
  const result = await submit(blueprint.tx[constructor](options, ...args), signer);
  return { result, contract: result.contract };
}

// The library's name of a message given by its label in the metadata.
function method(contract, label) {
  return contract.abi.findMessage(label).method;
}

// Dry-runs `label` and returns its answer, unwrapped from ink!'s LangError.
async function dryRun(contract, label, args = [], signer = alice) {
  // The library's default query gas leaves out proof size: give a dry run
  // what one extrinsic may use at most.
  const gasLimit = api.consts.system.blockWeights.perClass.normal.maxExtrinsic.unwrap();
  const options = { gasLimit, storageDepositLimit: null };
  const outcome = await contract.query[method(contract, label)](signer.address, options, ...args);
  assert.ok(outcome.result.isOk, `${label}: ${outcome.result.toString()}`);
  const answer = outcome.output.toJSON();
  assert.ok('ok' in answer, `${label} answered ${JSON.stringify(answer)}`);
  return { answer: answer.ok, gasRequired: outcome.gasRequired };
}

async function read(contract, label, args = []) {
  return (await dryRun(contract, label, args)).answer;
}

// Submits `label`, whose answer is a `Result`, with the gas its dry run
// needed; returns the `Ok` value.
async function call(contract, label, args = [], signer = alice) {
  const { answer, gasRequired } = await dryRun(contract, label, args, signer);
  assert.ok(!('err' in answer), `${label} refused: ${JSON.stringify(answer)}`);
  const options = { gasLimit: withMargin(gasRequired), storageDepositLimit: null };
  await submit(contract.tx[method(contract, label)](options, ...args), signer);
  return answer.ok;
}

// The accounts the extrinsic's `Instantiated` events name as new contracts.
function instantiatedBy(result) {
  return result.events
    .filter(({ event }) => api.events.contracts.Instantiated.is(event))
    .map(({ event }) => ({ deployer: event.data[0].toString(), contract: event.data[1].toString() }));
}

before(async () => {
  await cryptoWaitReady();
  api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
  const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 ?? 42 });
  alice = keyring.addFromUri('//Alice');
  bob = keyring.addFromUri('//Bob');
  // Each library before its contract (common/src/split.rs): the cold
  // messages run in it.
  for (const name of ['psp22_mock', 'broker_library', 'broker', 'community_library', 'community']) {
    code[name] = bundle(name);
    const known = await api.query.contracts.codeInfoOf(code[name].hash);
    if (known.isNone) {
      await submit(api.tx.contracts.uploadCode(code[name].wasm, null, 'Enforced'), alice);
    }
  }
});

after(async () => {
  await api?.disconnect();
});

test('each contract instantiated from its code hash is the contract the library returns', async () => {
  const token = await instantiate('psp22_mock', 'new', [1_000_000, 'Mock USD', 'mUSD', 6]);
  assert.deepEqual(instantiatedBy(token.result), [
    { deployer: alice.address, contract: token.contract.address.toString() },
  ]);
  assert.equal(await read(token.contract, 'PSP22::total_supply'), 1_000_000);

  const rules = { quorumBps: 5_000, votingPeriod: 60_000, executionPeriod: 60_000 };
  const members = [[alice.address, 3], [bob.address, 1]];
  const community = await instantiate('community', 'new', [
    members, rules, code.broker.hash, token.contract.address,
  ]);
  // One contract came into being, the community, and the library says so.
  assert.deepEqual(instantiatedBy(community.result), [
    { deployer: alice.address, contract: community.contract.address.toString() },
  ]);
  assert.deepEqual(await read(community.contract, 'get_voting_rules'), rules);
  assert.equal(await read(community.contract, 'get_total_weight'), 4);
  assert.equal(await read(community.contract, 'get_broker'), null);

  // Anyone creates the broker the instantiation named; once.
  const broker = await call(community.contract, 'create_broker', [], bob);
  assert.equal(await read(community.contract, 'get_broker'), broker);
  assert.deepEqual(await read(community.contract, 'create_broker'), { err: { brokerExists: null } });
  const brokerContract = new ContractPromise(api, code.broker.abi, broker);
  assert.equal(await read(brokerContract, 'get_community_contract'), community.contract.address.toString());
  assert.equal(await read(brokerContract, 'get_stablecoin_address'), token.contract.address.toString());

  // Anyone funds another account's balance: the library encodes
  // `deposit_for` and decodes its `DepositedFor` event from the metadata.
  await call(token.contract, 'PSP22::approve', [broker, 1_000], alice);
  const { gasRequired } = await dryRun(brokerContract, 'deposit_for', [bob.address, 1_000], alice);
  const options = { gasLimit: withMargin(gasRequired), storageDepositLimit: null };
  const funded = await submit(
    brokerContract.tx[method(brokerContract, 'deposit_for')](options, bob.address, 1_000),
    alice,
  );
  const events = (funded.contractEvents ?? []).filter(
    ({ event }) => event.identifier.endsWith('DepositedFor'),
  );
  assert.equal(events.length, 1, 'one DepositedFor event');
  assert.deepEqual(events[0].args.map((arg) => arg.toString()), [alice.address, bob.address, '1000']);
  const report = await read(brokerContract, 'check_balance', [bob.address]);
  assert.equal(Number(report.ok.deposited), 1_000);
  const payer = await read(brokerContract, 'check_balance', [alice.address]);
  assert.equal(Number(payer.ok.deposited), 0);

  // A broker instantiated directly from its code hash is the broker.
  const direct = await instantiate('broker', 'new', [token.contract.address, alice.address]);
  assert.deepEqual(instantiatedBy(direct.result), [
    { deployer: alice.address, contract: direct.contract.address.toString() },
  ]);
  assert.equal(await read(direct.contract, 'get_community_contract'), alice.address);
});

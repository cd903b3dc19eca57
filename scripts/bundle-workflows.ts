/**
 * Prebuilds the workflow bundle (as in temporalio/samples-typescript `production/`), so that workers
 * start without webpack and every replica runs byte-identical workflow code.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';
import { workflowInterceptorsPath, workflowsPath } from '../activities/worker.js';
import { projectRoot } from '../runtime/config.js';

export const defaultBundlePath = join(projectRoot, 'dist', 'workflow-bundle.js');

export async function writeWorkflowBundle(path = defaultBundlePath): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: workflowsPath(),
    // Tracing's workflow side (workflows/interceptors.ts): inert unless a start or Update carries a trace.
    workflowInterceptorModules: [workflowInterceptorsPath()],
    logger: new DefaultLogger('WARN'),
  });
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, code);
  return path;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = await writeWorkflowBundle(process.argv[2]);
  console.log(`workflow bundle written to ${path}`);
}

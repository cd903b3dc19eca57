/**
 * `npm run audit:verify [-- --heads <file>]`: recomputes the whole audit hash chain of DATABASE_URL (or the
 * embedded database under $DATA_DIR) and prints the result as JSON, with a one-line summary on stderr.
 * With `--heads <file>` it also writes the heads export (GET /v1/audit/heads) there, once the chain is
 * intact, for safekeeping outside the database.
 * Exit code: 0 intact, 1 broken, 2 could not check (usage, database unreachable, not migrated).
 * The embedded database (PGlite) is single-process: check it only while `npm start` is stopped.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { auditHeads, verifyAudit } from '../db/audit-verify.js';
import { openDatabase, type DatabaseHandle } from '../db/client.js';
import { loadConfig } from '../runtime/config.js';

let values: { heads?: string | undefined };
try {
  ({ values } = parseArgs({ options: { heads: { type: 'string' } } }));
} catch (error) {
  console.error(`${(error as Error).message}\nusage: npm run audit:verify [-- --heads <file>]`);
  process.exit(2);
}

let database: DatabaseHandle | undefined;
let exitCode: number;
try {
  const config = loadConfig();
  database = await openDatabase({
    url: config.databaseUrl,
    embeddedDir: join(config.dataDir, 'pglite'),
    max: 1,
  });
  const result = await verifyAudit(database.db);
  console.log(JSON.stringify(result, null, 2));
  if (result.ok) {
    console.error(`audit trail intact: ${result.checked} events checked (${database.kind} database)`);
    if (values.heads) {
      const heads = await auditHeads(database.db);
      writeFileSync(values.heads, `${JSON.stringify(heads, null, 2)}\n`);
      console.error(
        `heads of ${heads.heads.length} initiatives and ${heads.practiceHeads.length} practices and ${heads.formatHeads.length} formats written to ${values.heads} (digest ${heads.digest})`,
      );
    }
    exitCode = 0;
  } else {
    const broken = result.firstBroken;
    console.error(
      `audit trail BROKEN at ${broken && 'practiceId' in broken ? `practice ${broken.practiceId}` : broken && 'formatId' in broken ? `format ${broken.formatId}` : broken?.initiativeId} seq ${broken?.seq}: ${broken?.reason} ` +
        `(${result.checked} events checked)`,
    );
    if (values.heads) console.error(`heads not written to ${values.heads}: the chain is broken`);
    exitCode = 1;
  }
} catch (error) {
  // drizzle wraps the driver's error ("Failed query: …"); its cause says why (e.g. not migrated).
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  console.error(`could not verify the audit trail: ${(cause as Error).message}`);
  exitCode = 2;
} finally {
  await database?.close().catch(() => undefined);
}
process.exit(exitCode);

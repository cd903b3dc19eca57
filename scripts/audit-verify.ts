/**
 * `npm run audit:verify [-- --heads <file>] [--against <saved file>]`: recomputes the whole audit hash chain
 * of DATABASE_URL (or the embedded database under $DATA_DIR) and prints the result as JSON, with a one-line
 * summary on stderr.
 * With `--heads <file>` it also writes the heads export (GET /v1/audit/heads) there, once the chain is
 * intact, for safekeeping outside the database; with AUDIT_ANCHOR_KEY set the export carries its anchor
 * (db/audit-verify.ts `anchorOf`). With `--against <saved file>` it compares a saved anchored export with
 * today (`compareHeads`: a removed tail, a re-hashed insertion or edit); that needs AUDIT_ANCHOR_KEY.
 * Exit code: 0 intact (and matching), 1 broken or differing, 2 could not check (usage, no key for
 * --against, unreadable export, database unreachable, not migrated).
 * The embedded database (PGlite) is single-process: check it only while `npm start` is stopped.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { anchorOf, auditHeads, compareHeads, verifyAudit, type AuditHeads } from '../db/audit-verify.js';
import { openDatabase, type DatabaseHandle } from '../db/client.js';
import { auditAnchorKey, loadConfig } from '../runtime/config.js';

let values: { heads?: string | undefined; against?: string | undefined };
try {
  ({ values } = parseArgs({ options: { heads: { type: 'string' }, against: { type: 'string' } } }));
} catch (error) {
  console.error(
    `${(error as Error).message}\nusage: npm run audit:verify [-- --heads <file>] [--against <saved file>]`,
  );
  process.exit(2);
}

let database: DatabaseHandle | undefined;
let exitCode: number;
try {
  const config = loadConfig();
  const key = auditAnchorKey();
  let saved: AuditHeads | undefined;
  if (values.against) {
    if (key === undefined)
      throw new Error(
        '--against needs AUDIT_ANCHOR_KEY (or AUDIT_ANCHOR_KEY_FILE), the key the export was anchored with',
      );
    saved = JSON.parse(readFileSync(values.against, 'utf8')) as AuditHeads;
  }
  database = await openDatabase({
    url: config.databaseUrl,
    embeddedDir: join(config.dataDir, 'pglite'),
    max: 1,
  });
  const verification = await verifyAudit(database.db);
  const comparison = saved && key ? await compareHeads(database.db, saved, key) : undefined;
  const result = comparison ? { ...verification, against: comparison } : verification;
  console.log(JSON.stringify(result, null, 2));
  if (comparison && !comparison.ok) {
    console.error(
      `audit trail DIFFERS from ${values.against} (${saved?.at}): ${comparison.problems.join('; ')}`,
    );
    if (values.heads)
      console.error(`heads not written to ${values.heads}: the trail differs from the export`);
    exitCode = 1;
  } else if (result.ok) {
    if (comparison)
      console.error(`all ${comparison.compared} heads of ${values.against} (${saved?.at}) are unchanged`);
    console.error(`audit trail intact: ${result.checked} events checked (${database.kind} database)`);
    if (values.heads) {
      const exported = await auditHeads(database.db);
      const heads = key === undefined ? exported : { ...exported, anchor: anchorOf(key, exported) };
      writeFileSync(values.heads, `${JSON.stringify(heads, null, 2)}\n`);
      console.error(
        `heads of ${heads.heads.length} initiatives, ${heads.practiceHeads.length} practices and ${heads.formatHeads.length} formats written to ${values.heads} (digest ${heads.digest}, ${key === undefined ? 'NOT anchored: AUDIT_ANCHOR_KEY is unset' : 'anchored'})`,
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

/**
 * Records one workflow history per lifecycle path into test/fixtures/histories/, for test/replay.test.ts.
 * Everything is real and private to this run: a Temporal dev server, a fresh PostgreSQL database (dropped
 * afterwards), a worker on the current workflow code, and the API on a free port driven over HTTP.
 *
 *   npx tsx scripts/record-histories.ts [--version v2] [--force] [--out dir] [path ...]
 *
 * Fixtures are named after the workflow version that produced them (`--version`, default
 * CURRENT_HISTORY_VERSION); each version has its own lifecycle paths (HISTORY_PATHS in
 * test/helpers/histories.ts: V1_PATHS, V2_PATHS, …). Without path names every path of the version is
 * recorded. The Bundesrat paths run on the 2019 plenary calendar, which the script sets up front; past
 * session dates make the liaison's reminder due at once (calendar-end-rebooked extends the calendar, so it
 * comes last). Existing files are kept unless `--force` is given: the histories of a released version must
 * not be re-recorded from newer code, or they stop proving that the newer code replays what the old one
 * left behind. For the same reason, record a version's paths from that version's code: when the working
 * tree already holds later workflow changes, run the script in a clean export of the version's commit
 * (`git archive <commit> | tar -x -C dir`, node_modules and .tools linked) with `--out` pointing back
 * here. `--out` also serves for a dry run against changed code. Every history written is replayed
 * against the bundle that produced it before the script ends.
 *
 * The webhook paths (v3) subscribe a loopback receiver (node:http on 127.0.0.1, allow-listed for the API
 * and the worker) to every lifecycle event for the time of their recording. Most paths record the
 * initiative workflow's history; a path may name another workflow instead, e.g. one of the notification
 * workflows the initiative started (`<initiativeId>/notifications/<seq>`).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { SignJWT } from 'jose';
import postgres from 'postgres';
import { createWorker } from '../activities/worker.js';
import { buildApp } from '../api/app.js';
import { createAuthenticator } from '../api/auth.js';
import { createWorkflowGateway } from '../api/temporal.js';
import { historyFromJSON, historyToJSON, type History } from '@temporalio/common/lib/proto-utils.js';
import { openDatabase } from '../db/client.js';
import { startDevServer } from '../runtime/temporal-dev-server.js';
import { adminUrl, databaseUrl } from '../test/helpers/database.js';
import {
  CURRENT_HISTORY_VERSION,
  HISTORIES_DIR,
  HISTORY_PATHS,
  historyFileName,
  isHistoryVersion,
  type HistoryPath,
} from '../test/helpers/histories.js';
import {
  WEBHOOK_EVENTS,
  type AuditEventType,
  type Initiative,
  type Periods,
  type WebhookEvent,
} from '../workflows/contracts.js';
import { review } from '../workflows/commands/index.js';
import { isTerminal, type Land, type Phase, type Role } from '../workflows/domain.js';
import { writeWorkflowBundle } from './bundle-workflows.js';
import { SESSIONS_2019, session2019 } from '../test/helpers/plenary-2019.js';

const SECRET = 'record-histories-development-secret';

/** Long enough that no timer fires while a path that is not about timers is driven. */
const CALM_PERIODS: Required<Periods> = {
  review: 'P14D',
  reminderBefore: 'P3D',
  escalationGrace: 'P7D',
  revision: 'P30D',
  invitation: 'P14D',
  bundesratDecisionReminder: 'P3D',
};

interface Response<T> {
  status: number;
  body: T;
}

class Api {
  constructor(readonly baseUrl: string) {}

  async request<T = Initiative>(
    method: string,
    path: string,
    token: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response<T>> {
    const init: RequestInit = { method, headers: { authorization: `Bearer ${token}`, ...headers } };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { ...init.headers, 'content-type': 'application/json' };
    }
    const response = await fetch(`${this.baseUrl}${path}`, init);
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** A request that must answer `status`; anything else stops the recording with the problem body. */
  async expect<T = Initiative>(
    status: number,
    method: string,
    path: string,
    token: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<T> {
    const response = await this.request<T>(method, path, token, body, headers);
    if (response.status !== status)
      throw new Error(
        `${method} ${path}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`,
      );
    return response.body;
  }

  create(token: string, overrides: Record<string, unknown> = {}) {
    return this.expect(201, 'POST', '/v1/initiatives', token, {
      title: 'Gemeinsame KI-Testumgebung für die Verwaltung',
      summary: 'Eine gemeinsame Testumgebung für KI-Anwendungen der Verwaltung.',
      topic: 'ai_supercomputing',
      channel: 'joint',
      ...overrides,
    });
  }

  review(id: string, token: string, decision: 'approve' | 'request_changes' | 'reject', comment?: string) {
    return this.request('POST', `/v1/initiatives/${id}/reviews`, token, {
      decision,
      ...(comment === undefined ? {} : { comment }),
    });
  }
}

async function token(sub: string, name: string, land: Land, roles: Role[]): Promise<string> {
  return new SignJWT({ name, land, roles })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(SECRET));
}

async function principals() {
  return {
    proposerBY: await token('p-by', 'A. Huber', 'BY', ['proposer']),
    reviewerBY: await token('r-by', 'C. Maier', 'BY', ['reviewer']),
    reviewerNW: await token('r-nw', 'B. Schmidt', 'NW', ['reviewer']),
    reviewerHE: await token('r-he', 'H. Hesse', 'HE', ['reviewer']),
    cabinetBY: await token('c-by', 'Bayerische Staatskanzlei', 'BY', ['cabinet']),
    cabinetNW: await token('c-nw', 'Staatskanzlei NRW', 'NW', ['cabinet']),
    cabinetHE: await token('c-he', 'Hessische Staatskanzlei', 'HE', ['cabinet']),
    cabinetSN: await token('c-sn', 'Sächsische Staatskanzlei', 'SN', ['cabinet']),
    liaisonBY: await token('l-by', 'Vertretung des Freistaats Bayern beim Bund', 'BY', ['liaison']),
    admin: await token('admin', 'Betrieb', 'BE', ['admin']),
    viewer: await token('v-1', 'Dashboard', 'BE', ['viewer']),
  };
}
type Principals = Awaited<ReturnType<typeof principals>>;

/**
 * A webhook receiver on 127.0.0.1. Each URL path answers by its own rule, given the number (1-based) of the
 * request on that path, e.g. 500 for the first request, then 200.
 */
class Receiver {
  private readonly rules = new Map<string, (request: number) => number>();
  private readonly answers = new Map<string, number[]>();

  private constructor(private readonly server: Server) {
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      // Read the body to its end before answering, as a real receiver would.
      request.resume();
      request.on('end', () => {
        const path = request.url ?? '/';
        const answers = this.answers.get(path) ?? [];
        const status = this.rules.get(path)?.(answers.length + 1) ?? 404;
        this.answers.set(path, [...answers, status]);
        response.writeHead(status).end();
      });
    });
  }

  static async start(): Promise<Receiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new Receiver(server);
  }

  /** Routes `path` by `rule` and answers its URL. */
  route(path: string, rule: (request: number) => number): string {
    this.rules.set(path, rule);
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** The statuses `path` answered so far, in order. */
  answered(path: string): number[] {
    return [...(this.answers.get(path) ?? [])];
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

interface Context {
  api: Api;
  who: Principals;
  client: Client;
  receiver: Receiver;
  /** Webhook subscriptions of the path being recorded; removed once its history is written. */
  subscriptions: string[];
}

interface Recording {
  /** The phase the initiative ends in (or waits in, for an open workflow). */
  phase: Phase;
  /** The outcome's reason, for a path that closes the initiative and whose reason matters. */
  reason?: string;
  /** Audit event types the path must have produced, in this order (other events may lie between). */
  audit: AuditEventType[];
  /** Drives the path through the API and returns the initiative (= workflow) id. */
  drive(context: Context): Promise<string>;
  /**
   * The workflow whose history is the fixture, once the initiative's workflow has closed or settled: the
   * initiative's own unless given. Another workflow is awaited until it completes.
   */
  workflowId?(initiativeId: string, context: Context): Promise<string>;
  /** Fails the recording unless the history holds what the path is about. */
  checkHistory?(history: History): void;
}

const ok = <T>(response: Response<T>, what: string): T => {
  if (response.status !== 200)
    throw new Error(`${what}: expected 200, got ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
};

// ---- the Bundesrat stage (v2 paths) ----

/** Today in Berlin (the API books an extended calendar from this day on). */
const berlinToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());

function addDays(date: string, days: number): string {
  const instant = new Date(`${date}T00:00:00Z`);
  instant.setUTCDate(instant.getUTCDate() + days);
  return instant.toISOString().slice(0, 10);
}

/** Fails the recording unless `actual` matches `expected` (compared as JSON). */
function check(what: string, actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected))
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/** A command on an initiative that must answer 200 with the initiative. */
const command = (api: Api, id: string, path: string, token: string, body: unknown) =>
  api.expect(200, 'POST', `/v1/initiatives/${id}${path}`, token, body);

/** Both partners approve (NW first); returns the answer to the second review. */
async function approveBoth(api: Api, who: Principals, id: string): Promise<Initiative> {
  ok(await api.review(id, who.reviewerNW, 'approve'), 'NW approves');
  return ok(await api.review(id, who.reviewerBY, 'approve'), 'BY approves');
}

/** A Bundesrat bill in phase cabinet; `join` Länder are invited at creation and join before the approvals. */
async function toCabinet(api: Api, who: Principals, join: 'HE'[] = []): Promise<Initiative> {
  const { id } = await api.create(who.proposerBY, {
    channel: 'bundesrat',
    instrument: 'gesetzesantrag',
    ressort: 'StMD',
    ...(join.length > 0 ? { invite: join } : {}),
  });
  for (const land of join)
    await command(api, id, `/invitations/${land}`, who.reviewerHE, { decision: 'join' });
  const cabinet = await approveBoth(api, who, id);
  check('phase after both approvals', cabinet.phase, 'cabinet');
  return cabinet;
}

/** A Bundesrat bill in phase bundesrat: both partners' cabinets approved (BY first). */
async function toBundesrat(api: Api, who: Principals): Promise<Initiative> {
  const { id } = await toCabinet(api, who);
  await command(api, id, '/cabinet-decisions', who.cabinetBY, {
    decision: 'approve',
    decidedOn: '2019-01-15',
  });
  const bundesrat = await command(api, id, '/cabinet-decisions', who.cabinetNW, {
    decision: 'approve',
    decidedOn: '2019-01-16',
  });
  check('phase after both cabinet approvals', bundesrat.phase, 'bundesrat');
  return bundesrat;
}

/** Waits until the audit trail holds `count` events of `type` (timers fire while commands wait). */
async function waitForEvents(api: Api, who: Principals, id: string, type: AuditEventType, count: number) {
  await until(`${count} ${type} event(s) on ${id}`, async () => {
    const { items } = await api.expect<{ items: { type: string }[] }>(
      200,
      'GET',
      `/v1/initiatives/${id}/history`,
      who.viewer,
    );
    const found = items.filter((item) => item.type === type).length;
    if (found > count) throw new Error(`${id}: ${found} ${type} events, expected ${count}`);
    return found === count ? true : undefined;
  });
}

const RECORDINGS: Record<HistoryPath, Recording> = {
  'joint-adopted': {
    phase: 'adopted',
    audit: ['initiative_created', 'review_decided', 'review_decided', 'phase_changed'],
    async drive({ api, who }) {
      const { id } = await api.create(who.proposerBY);
      ok(await api.review(id, who.reviewerNW, 'approve'), 'NW approves');
      ok(await api.review(id, who.reviewerBY, 'approve'), 'BY approves');
      return id;
    },
  },

  rejected: {
    phase: 'rejected',
    audit: ['initiative_created', 'review_decided', 'phase_changed'],
    async drive({ api, who }) {
      const { id } = await api.create(who.proposerBY);
      ok(
        await api.review(id, who.reviewerNW, 'reject', 'Überschneidet sich mit dem Bundesprogramm.'),
        'NW rejects',
      );
      return id;
    },
  },

  'revision-round': {
    phase: 'adopted',
    audit: [
      'initiative_created',
      'review_decided',
      'review_decided',
      'phase_changed',
      'revision_submitted',
      'phase_changed',
      'review_decided',
      'review_decided',
      'phase_changed',
    ],
    async drive({ api, who }) {
      const { id } = await api.create(who.proposerBY);
      ok(
        await api.review(id, who.reviewerNW, 'request_changes', 'Bitte die Kostenteilung ergänzen.'),
        'NW requests changes',
      );
      const revision = ok(await api.review(id, who.reviewerBY, 'approve'), 'BY approves');
      if (revision.phase !== 'revision') throw new Error(`expected phase revision, got ${revision.phase}`);
      await api.expect(200, 'POST', `/v1/initiatives/${id}/revisions`, who.proposerBY, {
        summary: 'Eine gemeinsame Testumgebung für KI-Anwendungen der Verwaltung, Kosten hälftig geteilt.',
        comment: 'Kostenteilung ergänzt.',
      });
      ok(await api.review(id, who.reviewerNW, 'approve'), 'NW approves round 2');
      ok(await api.review(id, who.reviewerBY, 'approve'), 'BY approves round 2');
      return id;
    },
  },

  withdrawn: {
    phase: 'withdrawn',
    audit: ['initiative_created', 'withdrawn', 'phase_changed'],
    async drive({ api, who }) {
      const { id } = await api.create(who.proposerBY);
      await api.expect(200, 'POST', `/v1/initiatives/${id}/withdrawal`, who.proposerBY, {
        reason: 'Wird im Rahmen der Ministerpräsidentenkonferenz weiterverfolgt.',
      });
      return id;
    },
  },

  'reminder-escalation-expiry': {
    phase: 'expired',
    audit: [
      'initiative_created',
      'review_reminder',
      'review_reminder',
      'review_escalated',
      'review_escalated',
      'expired',
      'phase_changed',
    ],
    async drive({ api, who }) {
      const { id } = await api.create(who.proposerBY, {
        periods: { review: 'PT4S', reminderBefore: 'PT2S', escalationGrace: 'PT3S' },
      });
      return id;
    },
  },

  'revision-expiry': {
    phase: 'expired',
    audit: [
      'initiative_created',
      'review_decided',
      'review_decided',
      'phase_changed',
      'expired',
      'phase_changed',
    ],
    async drive({ api, who }) {
      const { id } = await api.create(who.proposerBY, { periods: { revision: 'PT3S' } });
      ok(
        await api.review(id, who.reviewerNW, 'request_changes', 'Bitte die Kostenteilung ergänzen.'),
        'NW requests changes',
      );
      const revision = ok(await api.review(id, who.reviewerBY, 'approve'), 'BY approves');
      if (revision.phase !== 'revision') throw new Error(`expected phase revision, got ${revision.phase}`);
      return id;
    },
  },

  'consultation-wait': {
    phase: 'adopted',
    audit: [
      'initiative_created',
      'review_decided',
      'review_decided',
      'phase_changed',
      'invitation_no_response',
      'phase_changed',
    ],
    async drive({ api, who }) {
      const { id } = await api.create(who.proposerBY, { invite: ['HE'], periods: { invitation: 'PT5S' } });
      ok(await api.review(id, who.reviewerNW, 'approve'), 'NW approves');
      const consultation = ok(await api.review(id, who.reviewerBY, 'approve'), 'BY approves');
      if (consultation.phase !== 'consultation')
        throw new Error(`expected phase consultation, got ${consultation.phase}`);
      return id;
    },
  },

  'bundesrat-cabinet': {
    phase: 'cabinet',
    audit: ['initiative_created', 'review_decided', 'review_decided', 'phase_changed'],
    async drive({ api, who }) {
      const { id } = await api.create(who.proposerBY, {
        channel: 'bundesrat',
        instrument: 'gesetzesantrag',
        ressort: 'StMD',
      });
      ok(await api.review(id, who.reviewerNW, 'approve'), 'NW approves');
      ok(await api.review(id, who.reviewerBY, 'approve'), 'BY approves');
      return id;
    },
  },

  'concurrent-decisions': {
    phase: 'adopted',
    audit: ['initiative_created', 'review_decided', 'review_decided', 'phase_changed'],
    async drive({ api, who }) {
      const { id } = await api.create(who.proposerBY);
      const answers = await Promise.all([
        api.review(id, who.reviewerNW, 'approve'),
        api.review(id, who.reviewerBY, 'approve'),
      ]);
      answers.forEach((answer, i) => ok(answer, `concurrent approval ${i + 1}`));
      return id;
    },
  },

  'rejected-updates': {
    phase: 'adopted',
    audit: ['initiative_created', 'review_decided', 'review_decided', 'phase_changed'],
    async drive({ api, who, client }) {
      const { id } = await api.create(who.proposerBY);
      const approved = ok(await api.review(id, who.reviewerNW, 'approve'), 'NW approves');
      // Rejected by the workflow's update validators: none of these may leave an event in history.
      const duplicate = await api.review(id, who.reviewerNW, 'approve');
      if (duplicate.status !== 409)
        throw new Error(`duplicate decision: expected 409, got ${duplicate.status}`);
      const stale = await api.request(
        'POST',
        `/v1/initiatives/${id}/reviews`,
        who.reviewerBY,
        { decision: 'approve' },
        { 'if-match': `"${approved.version - 1}"` },
      );
      if (stale.status !== 412) throw new Error(`stale If-Match: expected 412, got ${stale.status}`);
      // The API refuses a proposer's review of their own initiative before it reaches Temporal; send the
      // update directly so that the workflow's own four-eyes check is exercised as well.
      try {
        await client.workflow.getHandle(id).executeUpdate(review.update, {
          args: [
            { actor: { sub: 'p-by', name: 'A. Huber', land: 'BY', role: 'reviewer' }, decision: 'approve' },
          ],
        });
        throw new Error('the four-eyes violation was accepted');
      } catch (error) {
        if (!(error instanceof WorkflowUpdateFailedError)) throw error;
      }
      ok(await api.review(id, who.reviewerBY, 'approve'), 'BY approves');
      return id;
    },
  },

  // ---- v2 ----

  'invitation-joined': {
    phase: 'adopted',
    reason: 'joint_approval',
    audit: [
      'initiative_created',
      'invited',
      'review_decided',
      'review_decided',
      'phase_changed',
      'invitation_answered',
      'phase_changed',
    ],
    async drive({ api, who }) {
      const { id } = await api.create(who.proposerBY);
      const invited = await command(api, id, '/invitations', who.reviewerNW, {
        lands: ['HE'],
        comment: 'Hessen betreibt bereits eine KI-Testumgebung.',
      });
      check('HE after the invitation', invited.participants.at(-1), { land: 'HE', role: 'invited' });
      const consultation = await approveBoth(api, who, id);
      check('phase after both approvals', consultation.phase, 'consultation');
      const adopted = await command(api, id, '/invitations/HE', who.reviewerHE, { decision: 'join' });
      check('phase after HE joins', adopted.phase, 'adopted');
      return id;
    },
  },

  'invitation-declined': {
    phase: 'cabinet',
    audit: ['initiative_created', 'invitation_answered', 'review_decided', 'review_decided', 'phase_changed'],
    async drive({ api, who }) {
      const { id } = await api.create(who.proposerBY, {
        channel: 'bundesrat',
        instrument: 'gesetzesantrag',
        ressort: 'StMD',
        invite: ['HE'],
      });
      const declined = await command(api, id, '/invitations/HE', who.reviewerHE, {
        decision: 'decline',
        comment: 'Kein Ressourcenbedarf in Hessen.',
      });
      check('phase after HE declines', declined.phase, 'review');
      const cabinet = await approveBoth(api, who, id);
      check('phase after both approvals', cabinet.phase, 'cabinet');
      check('applicants', cabinet.bundesrat?.applicants, ['BY', 'NW']);
      return id;
    },
  },

  'cabinet-partner-decline': {
    phase: 'rejected',
    reason: 'cabinet',
    audit: [
      'initiative_created',
      'review_decided',
      'review_decided',
      'phase_changed',
      'cabinet_decided',
      'phase_changed',
    ],
    async drive({ api, who }) {
      const { id } = await toCabinet(api, who);
      const rejected = await command(api, id, '/cabinet-decisions', who.cabinetNW, {
        decision: 'decline',
        decidedOn: '2019-01-16',
      });
      check('phase after NW declines', rejected.phase, 'rejected');
      return id;
    },
  },

  'cabinet-joined-decline': {
    phase: 'bundesrat',
    audit: [
      'initiative_created',
      'invitation_answered',
      'review_decided',
      'review_decided',
      'phase_changed',
      'cabinet_decided',
      'cabinet_decided',
      'cabinet_decided',
      'phase_changed',
    ],
    async drive({ api, who }) {
      const cabinet = await toCabinet(api, who, ['HE']);
      const { id } = cabinet;
      check('applicants in cabinet', cabinet.bundesrat?.applicants, ['BY', 'NW', 'HE']);
      const declined = await command(api, id, '/cabinet-decisions', who.cabinetHE, {
        decision: 'decline',
        decidedOn: '2019-01-14',
      });
      check('phase after HE declines', declined.phase, 'cabinet');
      check('applicants after HE declines', declined.bundesrat?.applicants, ['BY', 'NW']);
      await command(api, id, '/cabinet-decisions', who.cabinetBY, {
        decision: 'approve',
        decidedOn: '2019-01-15',
      });
      const bundesrat = await command(api, id, '/cabinet-decisions', who.cabinetNW, {
        decision: 'approve',
        decidedOn: '2019-01-16',
      });
      check('phase after BY and NW approve', bundesrat.phase, 'bundesrat');
      check('bundesrat status', bundesrat.bundesrat?.status, 'preparing');
      return id;
    },
  },

  'bundesrat-committee-adopted': {
    phase: 'adopted',
    reason: 'bundesrat',
    audit: [
      'initiative_created',
      'review_decided',
      'review_decided',
      'phase_changed',
      'cabinet_decided',
      'cabinet_decided',
      'phase_changed',
      'accession_declared',
      'bundesrat_submitted',
      'bundesrat_decision_reminder',
      'bundesrat_referred',
      'plenary_decided',
      'bundesrat_decision_reminder',
      'plenary_decided',
      'phase_changed',
    ],
    async drive({ api, who }) {
      const { id } = await toBundesrat(api, who);
      const acceded = await command(api, id, '/bundesrat/accessions', who.cabinetSN, {});
      check('applicants after SN accedes', acceded.bundesrat?.applicants, ['BY', 'NW', 'SN']);
      // 2019-03-01 + 14 days: session 975 of 2019-03-15, long past, so the liaison's reminder is due at once.
      const submitted = await command(api, id, '/bundesrat/submission', who.liaisonBY, {
        drucksache: '101/19',
        submittedOn: '2019-03-01',
        procedure: 'committee',
      });
      check('session booked on submission', submitted.bundesrat?.plenarySession, session2019(975));
      await waitForEvents(api, who, id, 'bundesrat_decision_reminder', 1);
      await command(api, id, '/bundesrat/referral', who.liaisonBY, {
        committees: ['In', 'R'],
        leadCommittee: 'In',
      });
      const postponed = await command(api, id, '/bundesrat/decision', who.liaisonBY, {
        decision: 'postponed',
        decidedOn: '2019-03-15',
      });
      check('session after the postponement', postponed.bundesrat?.plenarySession, session2019(976));
      await waitForEvents(api, who, id, 'bundesrat_decision_reminder', 2);
      const adopted = await command(api, id, '/bundesrat/decision', who.liaisonBY, {
        decision: 'adopted',
        decidedOn: '2019-04-12',
      });
      check('forwardingDueOn', adopted.bundesrat?.forwardingDueOn, '2019-05-24');
      check('postponements', adopted.bundesrat?.postponements, 1);
      return id;
    },
  },

  'bundesrat-immediate-rejected': {
    phase: 'rejected',
    reason: 'bundesrat',
    audit: [
      'initiative_created',
      'review_decided',
      'review_decided',
      'phase_changed',
      'cabinet_decided',
      'cabinet_decided',
      'phase_changed',
      'bundesrat_submitted',
      'bundesrat_decision_reminder',
      'plenary_decided',
      'phase_changed',
    ],
    async drive({ api, who }) {
      const { id } = await toBundesrat(api, who);
      const submitted = await command(api, id, '/bundesrat/submission', who.liaisonBY, {
        drucksache: '102/19',
        submittedOn: '2019-02-20',
        procedure: 'immediate',
      });
      check('session booked on submission', submitted.bundesrat?.plenarySession, session2019(975));
      // The reminder for the past session fires at once; waiting for it keeps the history's order fixed.
      await waitForEvents(api, who, id, 'bundesrat_decision_reminder', 1);
      const rejected = await command(api, id, '/bundesrat/decision', who.liaisonBY, {
        decision: 'rejected',
        decidedOn: '2019-03-15',
      });
      check('bundesrat after the rejection', rejected.bundesrat?.decision, 'rejected');
      return id;
    },
  },

  'calendar-end-rebooked': {
    phase: 'adopted',
    reason: 'bundesrat',
    audit: [
      'initiative_created',
      'review_decided',
      'review_decided',
      'phase_changed',
      'cabinet_decided',
      'cabinet_decided',
      'phase_changed',
      'bundesrat_submitted',
      'bundesrat_decision_reminder',
      'plenary_decided',
      'session_booked',
      'plenary_decided',
      'phase_changed',
    ],
    async drive({ api, who }) {
      const { id } = await toBundesrat(api, who);
      // The calendar's last session, 2019-12-20, exactly 14 days on.
      const submitted = await command(api, id, '/bundesrat/submission', who.liaisonBY, {
        drucksache: '103/19',
        submittedOn: '2019-12-06',
        procedure: 'immediate',
      });
      check('session booked on submission', submitted.bundesrat?.plenarySession, session2019(984));
      await waitForEvents(api, who, id, 'bundesrat_decision_reminder', 1);
      const postponed = await command(api, id, '/bundesrat/decision', who.liaisonBY, {
        decision: 'postponed',
        decidedOn: '2019-12-20',
      });
      check('session after a postponement past the calendar', postponed.bundesrat?.plenarySession, null);
      // The admin extends the calendar by a session from today on; the API books it at once.
      const next = { number: 1100, date: addDays(berlinToday(), 14) };
      await api.expect(200, 'PUT', '/v1/bundesrat/sessions', who.admin, [
        ...SESSIONS_2019,
        { ...next, provisional: true, source: 'record-histories: a session from today on' },
      ]);
      const booked = await api.expect(200, 'GET', `/v1/initiatives/${id}`, who.viewer);
      check('session after the calendar extension', booked.bundesrat?.plenarySession, next);
      // A future session: its reminder timer is still waiting when the plenary decides.
      const adopted = await command(api, id, '/bundesrat/decision', who.liaisonBY, {
        decision: 'adopted',
        decidedOn: next.date,
      });
      check('forwardingDueOn', adopted.bundesrat?.forwardingDueOn, addDays(next.date, 42));
      return id;
    },
  },

  // ---- v3 ----

  'webhook-joint-adopted': {
    phase: 'adopted',
    reason: 'joint_approval',
    audit: ['initiative_created', 'review_decided', 'review_decided', 'phase_changed'],
    async drive(context) {
      const { api, who } = context;
      const webhook = await subscribe(context, '/joint-adopted', () => 200);
      const { id } = await api.create(who.proposerBY);
      const adopted = await approveBoth(api, who, id);
      check('phase after both approvals', adopted.phase, 'adopted');
      const delivered = await waitForDeliveries(context, webhook, id, 4);
      check('delivered events', delivered.map((d) => d.event).sort(), [
        'created',
        'outcome',
        'phase_changed',
        'review_requested',
      ]);
      check('receiver answers', context.receiver.answered('/joint-adopted'), [200, 200, 200, 200]);
      return id;
    },
    checkHistory(history) {
      check('webhook-notifications patch markers', patchMarkers(history), [WEBHOOK_NOTIFICATIONS_PATCH]);
      // One notification run for the creation, one for the adoption (the first approval notifies nobody).
      check(
        'child workflow starts',
        eventsOf(history, 'startChildWorkflowExecutionInitiatedEventAttributes').map(
          (a) => a.workflowType?.name,
        ),
        ['notificationWorkflow', 'notificationWorkflow'],
      );
      check('children started', eventsOf(history, 'childWorkflowExecutionStartedEventAttributes').length, 2);
    },
  },

  'webhook-notification-retried': {
    phase: 'review',
    audit: ['initiative_created'],
    async drive(context) {
      const { api, who } = context;
      // The first request fails; the activity's retry sends what is still pending.
      const webhook = await subscribe(context, '/retried', (request) => (request === 1 ? 500 : 200));
      const { id } = await api.create(who.proposerBY);
      const delivered = await waitForDeliveries(context, webhook, id, 2);
      check('deliveries (event, attempts)', delivered.map((d) => [d.event, d.attempts]).sort(), [
        ['created', 2],
        ['review_requested', 1],
      ]);
      check('receiver answers', context.receiver.answered('/retried'), [500, 200, 200]);
      return id;
    },
    async workflowId(initiativeId, { api, who }) {
      const { items } = await api.expect<{ items: { type: string; seq: number }[] }>(
        200,
        'GET',
        `/v1/initiatives/${initiativeId}/history`,
        who.viewer,
      );
      const created = items.find((item) => item.type === 'initiative_created');
      if (!created) throw new Error(`${initiativeId}: no initiative_created event`);
      return `${initiativeId}/notifications/${created.seq}`;
    },
    checkHistory(history) {
      check(
        'workflow type',
        eventsOf(history, 'workflowExecutionStartedEventAttributes').map((a) => a.workflowType?.name),
        ['notificationWorkflow'],
      );
      // A retried activity shows in history as one start, on the last attempt, with the failure before it.
      check(
        'activity starts (attempt, last failure)',
        eventsOf(history, 'activityTaskStartedEventAttributes').map((a) => [
          a.attempt,
          a.lastFailure?.message?.includes('receiver answered 500') ?? false,
        ]),
        [[2, true]],
      );
      check('activities completed', eventsOf(history, 'activityTaskCompletedEventAttributes').length, 1);
      check('completed', eventsOf(history, 'workflowExecutionCompletedEventAttributes').length, 1);
    },
  },
};

// ---- webhook notifications (v3 paths) ----

const WEBHOOK_SECRET = 'record-histories-webhook-secret';
/** The patch id initiativeWorkflow guards its notification runs with (workflows/initiative.ts). */
const WEBHOOK_NOTIFICATIONS_PATCH = 'webhook-notifications';

interface Delivery {
  deliveryId: string;
  event: WebhookEvent;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  initiativeId: string;
}

/** Subscribes the receiver's `path` to every lifecycle event, for the time of this path's recording. */
async function subscribe(context: Context, path: string, rule: (request: number) => number): Promise<string> {
  const { id } = await context.api.expect<{ id: string }>(201, 'POST', '/v1/webhooks', context.who.admin, {
    url: context.receiver.route(path, rule),
    events: [...WEBHOOK_EVENTS],
    secret: WEBHOOK_SECRET,
  });
  context.subscriptions.push(id);
  return id;
}

/** Waits until `count` deliveries of the initiative to the subscription are all delivered. */
async function waitForDeliveries(
  { api, who }: Context,
  webhookId: string,
  initiativeId: string,
  count: number,
): Promise<Delivery[]> {
  return until(`${count} delivered notifications of ${initiativeId}`, async () => {
    const { items } = await api.expect<{ items: Delivery[] }>(
      200,
      'GET',
      `/v1/webhooks/${webhookId}/deliveries`,
      who.admin,
    );
    const mine = items.filter((d) => d.initiativeId === initiativeId);
    const failed = mine.filter((d) => d.status === 'failed');
    if (failed.length > 0 || mine.length > count)
      throw new Error(`${initiativeId}: unexpected deliveries ${JSON.stringify(mine)}`);
    return mine.length === count && mine.every((d) => d.status === 'delivered') ? mine : undefined;
  });
}

type HistoryEvent = NonNullable<History['events']>[number];

/** The attributes of every event in `history` that has `key`, in history order. */
function eventsOf<K extends keyof HistoryEvent & `${string}EventAttributes`>(
  history: History,
  key: K,
): NonNullable<HistoryEvent[K]>[] {
  return (history.events ?? []).flatMap((event) => {
    const attributes = event[key];
    return attributes ? [attributes] : [];
  });
}

/** The patch ids of the history's patch markers (each marker's payload is JSON naming its patch). */
function patchMarkers(history: History): string[] {
  return eventsOf(history, 'markerRecordedEventAttributes')
    .filter((marker) => marker.markerName === 'core_patch')
    .map((marker) => {
      const data = marker.details?.['patch-data']?.payloads?.[0]?.data;
      const { id } = JSON.parse(Buffer.from(data ?? new Uint8Array()).toString('utf8')) as { id: string };
      return id;
    });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function isSubsequence(expected: string[], actual: string[]): boolean {
  let i = 0;
  for (const type of actual) if (type === expected[i]) i += 1;
  return i === expected.length;
}

async function record(
  name: HistoryPath,
  recording: Recording,
  context: Context,
  file: string,
): Promise<void> {
  const { api, who, client } = context;
  const id = await recording.drive(context);
  const initiative = await until(`${id} to reach ${recording.phase}`, async () => {
    const read = await api.expect(200, 'GET', `/v1/initiatives/${id}`, who.viewer);
    return read.phase === recording.phase ? read : undefined;
  });
  if (recording.reason !== undefined)
    check(`${name}: outcome reason`, initiative.outcome?.reason, recording.reason);
  const handle = client.workflow.getHandle(id);
  if (isTerminal(initiative.phase)) {
    await handle.result();
  } else {
    // An open workflow: wait until no workflow task and no activity is pending and history stands still.
    let previous = -1;
    await until(`${id} to settle`, async () => {
      const { raw } = await handle.describe();
      const length = Number(raw.workflowExecutionInfo?.historyLength ?? -1);
      const idle = !raw.pendingWorkflowTask && (raw.pendingActivities ?? []).length === 0;
      const settled = idle && length === previous;
      previous = length;
      if (!settled) await new Promise((r) => setTimeout(r, 300));
      return settled ? true : undefined;
    });
  }
  const audit = await api.expect<{ items: { type: string }[] }>(
    200,
    'GET',
    `/v1/initiatives/${id}/history`,
    who.viewer,
  );
  const types = audit.items.map((item) => item.type);
  if (!isSubsequence(recording.audit, types))
    throw new Error(`${name}: audit trail ${types.join(', ')} lacks ${recording.audit.join(', ')}`);

  const workflowId = recording.workflowId ? await recording.workflowId(id, context) : id;
  const recorded = client.workflow.getHandle(workflowId);
  if (workflowId !== id) await recorded.result();
  const history = await recorded.fetchHistory();
  recording.checkHistory?.(history);
  writeFileSync(file, `${historyToJSON(history)}\n`);
  const kb = (statSync(file).size / 1024).toFixed(1);
  console.log(
    `${relative(process.cwd(), file)}: ${workflowId}, ${history.events?.length ?? 0} events, ${kb} KiB (${types.join(' → ')})`,
  );
  // The next path's initiatives notify nobody unless it subscribes itself.
  for (const subscription of context.subscriptions.splice(0))
    await api.expect(204, 'DELETE', `/v1/webhooks/${subscription}`, who.admin);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      version: { type: 'string', default: CURRENT_HISTORY_VERSION },
      force: { type: 'boolean', default: false },
      out: { type: 'string', default: HISTORIES_DIR },
    },
  });
  const version = values.version;
  if (!/^v\d+$/.test(version)) throw new Error(`--version must look like v1, got ${version}`);
  if (!isHistoryVersion(version))
    throw new Error(
      `no lifecycle paths for ${version}; known versions: ${Object.keys(HISTORY_PATHS).join(', ')} ` +
        "(add the new version's paths to HISTORY_PATHS in test/helpers/histories.ts)",
    );
  const paths: readonly HistoryPath[] = HISTORY_PATHS[version];
  const unknown = positionals.filter((p) => !(paths as readonly string[]).includes(p));
  if (unknown.length > 0)
    throw new Error(`unknown ${version} paths ${unknown.join(', ')}; known: ${paths.join(', ')}`);
  const selected = paths.filter((p) => positionals.length === 0 || positionals.includes(p));
  const outDir = resolve(values.out);
  mkdirSync(outDir, { recursive: true });
  const planned = selected.map((name) => ({
    name,
    file: join(outDir, historyFileName(version, name)),
  }));
  const existing = planned.filter(({ file }) => existsSync(file));
  if (existing.length > 0 && !values.force)
    throw new Error(
      `refusing to overwrite ${existing.map(({ file }) => relative(process.cwd(), file)).join(', ')}: ` +
        'histories of a released workflow version are frozen (pass --force to re-record them anyway)',
    );

  Runtime.install({ logger: new DefaultLogger('WARN') });
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step().catch((error) => console.error(error));
  };
  try {
    const scratch = mkdtempSync(join(tmpdir(), 'dd-histories-'));
    cleanups.push(async () => rmSync(scratch, { recursive: true, force: true }));
    const [server, bundlePath] = await Promise.all([
      startDevServer({ headless: true }),
      writeWorkflowBundle(join(scratch, 'workflow-bundle.js')),
    ]);
    cleanups.push(() => server.stop());

    const name = `dd_histories_${randomBytes(6).toString('hex')}`;
    const admin = postgres(adminUrl(), { max: 1, onnotice: () => undefined });
    cleanups.push(() => admin.end());
    await admin.unsafe(`create database ${name}`);
    cleanups.push(() => admin.unsafe(`drop database if exists ${name} with (force)`));
    const database = await openDatabase({ url: databaseUrl(name), embeddedDir: '', max: 10 });
    cleanups.push(() => database.close());
    await database.migrate();

    const receiver = await Receiver.start();
    cleanups.push(() => receiver.close());
    // The webhook paths subscribe the loopback receiver; the other paths subscribe nothing.
    const webhookAllowedHosts = ['127.0.0.1'];

    const client = new Client({ connection: await Connection.connect({ address: server.address }) });
    cleanups.push(() => client.connection.close());
    const taskQueue = `histories-${randomBytes(4).toString('hex')}`;
    const worker: Worker = await createWorker({
      connection: await NativeConnection.connect({ address: server.address }),
      namespace: 'default',
      taskQueue,
      db: database.db,
      webhookAllowedHosts,
      workflowBundlePath: bundlePath,
    });
    const running = worker.run();
    cleanups.push(async () => {
      worker.shutdown();
      await running;
    });

    const app = await buildApp({
      database,
      workflows: createWorkflowGateway(client, taskQueue),
      authenticate: createAuthenticator({ mode: 'development', secret: SECRET }),
      periods: CALM_PERIODS,
      bundesratLeadDays: 14,
      webhookAllowedHosts,
    });
    cleanups.push(() => app.close());
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('the API did not bind a port');

    const context: Context = {
      api: new Api(`http://127.0.0.1:${address.port}`),
      who: await principals(),
      client,
      receiver,
      subscriptions: [],
    };
    // The Bundesrat paths book sessions of the 2019 calendar (the database is fresh: nothing is booked yet).
    await context.api.expect(200, 'PUT', '/v1/bundesrat/sessions', context.who.admin, SESSIONS_2019);
    for (const { name: path, file } of planned) await record(path, RECORDINGS[path], context, file);

    // Self-check: every history just written replays against the code that wrote it. The replayer takes
    // the workflow type from the history's first event, so initiative and notification workflow histories
    // alike replay against the bundle, which exports both types.
    for (const { name: path, file } of planned) {
      const history = historyFromJSON(JSON.parse(readFileSync(file, 'utf8')));
      const [type] = eventsOf(history, 'workflowExecutionStartedEventAttributes').map(
        (a) => a.workflowType?.name,
      );
      if (type !== 'initiativeWorkflow' && type !== 'notificationWorkflow')
        throw new Error(`${path}: unexpected workflow type ${type}`);
      await Worker.runReplayHistory({ workflowBundle: { codePath: bundlePath } }, history, `replay-${path}`);
    }
    console.log(`${planned.length} histories recorded and replayed.`);
  } finally {
    await cleanup();
  }
}

await main();

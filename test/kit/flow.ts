/**
 * Steps over the real API that tests and the history recorder share: driving an initiative to a given
 * phase (reviews, invitations, cabinet decisions, the Bundesrat stage), commands that must succeed, the
 * plenary calendar, the audit trail. Free of vitest, so that scripts can drive the same paths.
 */
import type { AuditEventType, Initiative } from '../../workflows/contracts.js';
import type { Land } from '../../workflows/domain.js';
import { SESSIONS_2019, type Session } from '../helpers/plenary-2019.js';
import { expectStatus, historyOf, type ApiClient, type HistoryItem } from './client.js';
import { newInitiative } from './initiatives.js';
import type { People } from './principals.js';
import { token } from './tokens.js';

export { SESSIONS_2019, type Session };

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}

/** Today in Berlin (the API books an extended calendar from this day on). */
export const berlinToday = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());

export function addDays(date: string, days: number): string {
  const instant = new Date(`${date}T00:00:00Z`);
  instant.setUTCDate(instant.getUTCDate() + days);
  return instant.toISOString().slice(0, 10);
}

/** Fails unless `actual` equals `expected` (compared as JSON). */
export function check(what: string, actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected))
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/** The audit trail of an initiative both partners approved (the review round to its next phase). */
export const BOTH_APPROVED: AuditEventType[] = [
  'initiative_created',
  'review_decided',
  'review_decided',
  'phase_changed',
];
/** The audit trail of a joint initiative adopted after one revision round. */
export const REVISION_ROUND: AuditEventType[] = [
  ...BOTH_APPROVED,
  'revision_submitted',
  'phase_changed',
  'review_decided',
  'review_decided',
  'phase_changed',
];
/** The audit trail of a motion that reached the Bundesrat stage (both partners' cabinets approved). */
export const TO_BUNDESRAT: AuditEventType[] = [
  ...BOTH_APPROVED,
  'cabinet_decided',
  'cabinet_decided',
  'phase_changed',
];

/** Audit events that timers write, as opposed to those of commands. */
const TIMER_EVENTS = new Set([
  'review_reminder',
  'review_escalated',
  'expired',
  'invitation_no_response',
  'bundesrat_decision_reminder',
]);

let drucksachen = 100;

export class Flow {
  constructor(
    readonly api: ApiClient,
    readonly who: People,
  ) {}

  /** A fresh Drucksache number N/19, unique within the process. */
  drucksache(): string {
    drucksachen += 1;
    return `${drucksachen}/19`;
  }

  async create(overrides: Record<string, unknown> = {}, as = this.who.proposerBY): Promise<Initiative> {
    return expectStatus(
      await this.api.post('/v1/initiatives', as, newInitiative(overrides)),
      201,
      'create initiative',
    );
  }

  /** A Bundesrat motion (bill unless `instrument` says otherwise). */
  motion(overrides: Record<string, unknown> = {}, as?: string): Promise<Initiative> {
    return this.create({ channel: 'bundesrat', instrument: 'gesetzesantrag', ...overrides }, as);
  }

  post(id: string, path: string, as: string, body: unknown, headers?: Record<string, string>) {
    return this.api.post<Initiative & Problem>(`/v1/initiatives/${id}${path}`, as, body, headers);
  }

  /** A command that must succeed; returns the initiative it answers with. */
  async command(id: string, path: string, as: string, body: unknown): Promise<Initiative> {
    return expectStatus(await this.post(id, path, as, body), 200, `POST ${path} on ${id}`);
  }

  /** A review; `comment` only when given. */
  review(id: string, as: string, decision: 'approve' | 'request_changes' | 'reject', comment?: string) {
    return this.post(id, '/reviews', as, { decision, ...(comment === undefined ? {} : { comment }) });
  }

  async get(id: string, as = this.who.viewer): Promise<Initiative> {
    return expectStatus(await this.api.get<Initiative>(`/v1/initiatives/${id}`, as), 200, `GET ${id}`);
  }

  /** Both partners approve (NW first); returns the answer to the second review. */
  async approveBoth(id: string): Promise<Initiative> {
    await this.command(id, '/reviews', this.who.reviewerNW, { decision: 'approve' });
    return this.command(id, '/reviews', this.who.reviewerBY, { decision: 'approve' });
  }

  /** A motion in phase cabinet; `join` Länder are invited at creation and join before the approvals. */
  async toCabinet(
    overrides: Record<string, unknown> = {},
    join: Land[] = [],
    as = this.who.proposerBY,
  ): Promise<Initiative> {
    const created = await this.motion({ ...overrides, ...(join.length > 0 ? { invite: join } : {}) }, as);
    for (const land of join)
      await this.command(created.id, `/invitations/${land}`, await this.reviewerOf(land), {
        decision: 'join',
      });
    const cabinet = await this.approveBoth(created.id);
    check('phase after both approvals', cabinet.phase, 'cabinet');
    return cabinet;
  }

  /** A motion in phase bundesrat (partners' cabinets approved), status preparing. */
  async toBundesrat(overrides: Record<string, unknown> = {}, as = this.who.proposerBY): Promise<Initiative> {
    return this.cabinetsApprove((await this.toCabinet(overrides, [], as)).id);
  }

  /** Both partners' cabinets approve (BY first); returns the answer to the second decision, in bundesrat. */
  async cabinetsApprove(id: string): Promise<Initiative> {
    await this.command(id, '/cabinet-decisions', this.who.cabinetBY, {
      decision: 'approve',
      decidedOn: '2019-01-15',
    });
    const bundesrat = await this.command(id, '/cabinet-decisions', this.who.cabinetNW, {
      decision: 'approve',
      decidedOn: '2019-01-16',
    });
    check('phase after both cabinet approvals', bundesrat.phase, 'bundesrat');
    return bundesrat;
  }

  submit(
    id: string,
    body: { drucksache?: string; submittedOn: string; procedure: 'committee' | 'immediate' },
    as = this.who.liaisonBY,
  ) {
    return this.post(id, '/bundesrat/submission', as, { drucksache: this.drucksache(), ...body });
  }

  reviewerOf(land: Land): Promise<string> {
    return token({ sub: `r-${land.toLowerCase()}`, land, roles: ['reviewer'] });
  }

  async history(id: string): Promise<HistoryItem[]> {
    return historyOf(this.api, id, this.who.viewer);
  }

  /** The audit trail's types without the timers' events. */
  async commandTypes(id: string): Promise<string[]> {
    return (await this.history(id)).map((e) => e.type).filter((type) => !TIMER_EVENTS.has(type));
  }

  async putCalendar(sessions: Session[], as = this.who.admin) {
    return this.api.request<Session[] & Problem>('PUT', '/v1/bundesrat/sessions', {
      token: as,
      body: sessions,
    });
  }

  async calendar(): Promise<Session[]> {
    return expectStatus(
      await this.api.get<Session[]>('/v1/bundesrat/sessions', this.who.viewer),
      200,
      'GET calendar',
    );
  }
}

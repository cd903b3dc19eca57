/**
 * Shared steps for the third-Länder, cabinet and Bundesrat tests: principals of every role involved,
 * driving an initiative to a given phase over the real API, the 2019 plenary calendar, and small checks
 * every command answer must pass (whole initiative, version + 1, read-your-writes).
 */
import { expect } from 'vitest';
import type { Initiative } from '../../workflows/contracts.js';
import type { Land, Role } from '../../workflows/domain.js';
import { SESSIONS_2019, type Session } from './plenary-2019.js';

export { SESSIONS_2019, type Session };
import {
  type ApiResponse,
  type Harness,
  type HistoryItem,
  historyOf,
  newInitiative,
  principals,
  token,
} from './harness.js';

/** Every principal the tests act as. Reviewers/cabinets/liaisons of third Länder read only what they may. */
export async function people() {
  const base = await principals();
  const t = (sub: string, land: Land, roles: Role[], name?: string) =>
    token({ sub, name: name ?? `Test ${sub}`, land, roles });
  const [
    proposerBY2,
    proposerHE,
    reviewerTH,
    reviewerSN,
    cabinetBY,
    cabinetNW,
    cabinetHE,
    cabinetTH,
    cabinetSN,
    cabinetHB,
    liaisonBY,
    liaisonNW,
    liaisonSN,
    admin,
  ] = await Promise.all([
    t('p-by-2', 'BY', ['proposer'], 'F. Wagner'),
    t('p-he', 'HE', ['proposer']),
    t('r-th', 'TH', ['reviewer'], 'T. Thüringer'),
    t('r-sn', 'SN', ['reviewer'], 'S. Sachse'),
    t('c-by', 'BY', ['cabinet'], 'Bayerische Staatskanzlei'),
    t('c-nw', 'NW', ['cabinet'], 'Staatskanzlei NRW'),
    t('c-he', 'HE', ['cabinet'], 'Hessische Staatskanzlei'),
    t('c-th', 'TH', ['cabinet'], 'Thüringer Staatskanzlei'),
    t('c-sn', 'SN', ['cabinet'], 'Sächsische Staatskanzlei'),
    t('c-hb', 'HB', ['cabinet'], 'Senatskanzlei Bremen'),
    t('l-by', 'BY', ['liaison'], 'Vertretung des Freistaats Bayern beim Bund'),
    t('l-nw', 'NW', ['liaison'], 'Landesvertretung NRW'),
    t('l-sn', 'SN', ['liaison']),
    t('admin', 'BE', ['admin'], 'Betrieb'),
  ]);
  return {
    ...base,
    proposerBY2,
    proposerHE,
    reviewerTH,
    reviewerSN,
    cabinetBY,
    cabinetNW,
    cabinetHE,
    cabinetTH,
    cabinetSN,
    cabinetHB,
    liaisonBY,
    liaisonNW,
    liaisonSN,
    admin,
  };
}
export type People = Awaited<ReturnType<typeof people>>;

/** The body, after checking the status (failing with the whole answer otherwise). */
export function expectStatus<T>(response: ApiResponse<T>, status: number, what = 'request'): T {
  if (response.status !== status)
    throw new Error(`${what}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

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
    readonly harness: Harness,
    readonly who: People,
  ) {}

  /** A fresh Drucksache number N/19, unique within the test file's database. */
  drucksache(): string {
    drucksachen += 1;
    return `${drucksachen}/19`;
  }

  async create(overrides: Record<string, unknown> = {}, as = this.who.proposerBY): Promise<Initiative> {
    return expectStatus(
      await this.harness.post('/v1/initiatives', as, newInitiative(overrides)),
      201,
      'create initiative',
    );
  }

  /** A Bundesrat motion (bill unless `instrument` says otherwise). */
  motion(overrides: Record<string, unknown> = {}, as?: string): Promise<Initiative> {
    return this.create({ channel: 'bundesrat', instrument: 'gesetzesantrag', ...overrides }, as);
  }

  post(id: string, path: string, as: string, body: unknown) {
    return this.harness.post<Initiative & Problem>(`/v1/initiatives/${id}${path}`, as, body);
  }

  /** A command that must succeed; returns the initiative it answers with. */
  async command(id: string, path: string, as: string, body: unknown): Promise<Initiative> {
    return expectStatus(await this.post(id, path, as, body), 200, `POST ${path} on ${id}`);
  }

  async get(id: string, as = this.who.viewer): Promise<Initiative> {
    return expectStatus(await this.harness.get<Initiative>(`/v1/initiatives/${id}`, as), 200, `GET ${id}`);
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
    expect(cabinet.phase).toBe('cabinet');
    return cabinet;
  }

  /** A motion in phase bundesrat (partners' cabinets approved), status preparing. */
  async toBundesrat(overrides: Record<string, unknown> = {}, as = this.who.proposerBY): Promise<Initiative> {
    const cabinet = await this.toCabinet(overrides, [], as);
    await this.command(cabinet.id, '/cabinet-decisions', this.who.cabinetBY, {
      decision: 'approve',
      decidedOn: '2019-01-15',
    });
    const bundesrat = await this.command(cabinet.id, '/cabinet-decisions', this.who.cabinetNW, {
      decision: 'approve',
      decidedOn: '2019-01-16',
    });
    expect(bundesrat.phase).toBe('bundesrat');
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
    return historyOf(this.harness, id, this.who.viewer);
  }

  /** The audit trail's types without the timers' events. */
  async commandTypes(id: string): Promise<string[]> {
    return (await this.history(id)).map((e) => e.type).filter((type) => !TIMER_EVENTS.has(type));
  }

  /**
   * A command's answer is the whole initiative after the command: one version more than before, and an
   * immediate GET shows that version (or a newer one when a timer may have fired in between).
   */
  async expectAnswer(before: Initiative, answer: Initiative, { timersMayFire = false } = {}) {
    expect(answer.id).toBe(before.id);
    expect(answer.version).toBe(before.version + 1);
    expect(Date.parse(answer.updatedAt)).toBeGreaterThanOrEqual(Date.parse(before.updatedAt));
    const read = await this.get(answer.id);
    if (timersMayFire) expect(read.version).toBeGreaterThanOrEqual(answer.version);
    else expect(read).toEqual(answer);
  }

  async putCalendar(sessions: Session[], as = this.who.admin) {
    return this.harness.request<Session[] & Problem>('PUT', '/v1/bundesrat/sessions', {
      token: as,
      body: sessions,
    });
  }

  async calendar(): Promise<Session[]> {
    return expectStatus(
      await this.harness.get<Session[]>('/v1/bundesrat/sessions', this.who.viewer),
      200,
      'GET calendar',
    );
  }
}

/** Matchers typed `unknown`, so that typed lint accepts them inside object literals. */
export const ACTOR = (sub: string, land: Land, role: Role): unknown =>
  expect.objectContaining({ sub, land, role });
export const anyString: unknown = expect.any(String);
export const containing = (text: string): unknown => expect.stringContaining(text);
export const SYSTEM = { sub: 'system', name: 'system', land: null, role: 'system' };

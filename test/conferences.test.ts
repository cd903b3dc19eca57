/**
 * The conferences of the Länder as admin data (docs/laenderkreis.md): the shipped set with its sources,
 * the session calendars 2026/2027, the Königsteiner Schlüssel, who may replace them and what is refused,
 * on real PostgreSQL through real HTTP. The first test must run before any PUT in this file.
 */
import { describe, expect, it } from 'vitest';
import { LANDS } from '../workflows/domain.js';
import type { Conference, KoenigsteinTable } from '../workflows/conferences.js';
import type { ConferenceSession } from '../db/conferences.js';
import { type Problem, useHarness } from './kit/index.js';

const harness = useHarness({ worker: false });
const { who } = harness;

const put = <T>(path: string, body: unknown, as = who.admin) =>
  harness.request<T & Problem>('PUT', path, { token: as, body });
const conferences = async () => (await harness.get<Conference[]>('/v1/conferences', who.viewer)).body;
const sessions = async (key: string) =>
  (await harness.get<ConferenceSession[]>(`/v1/conferences/${key}/sessions`, who.viewer)).body;

const shares2016 = {
  BW: 0.1296662,
  BY: 0.1553327,
  BE: 0.0508324,
  BB: 0.0303655,
  HB: 0.0095331,
  HH: 0.0255752,
  HE: 0.0739885,
  MV: 0.020124,
  NI: 0.0933138,
  NW: 0.2114424,
  RP: 0.0483089,
  SL: 0.0121111,
  SN: 0.0505577,
  ST: 0.0279941,
  SH: 0.0339074,
  TH: 0.026947,
};

describe('the shipped data', () => {
  it('MPK, DMK and IT-Planungsrat with their rules, each with a source; every principal reads them', async () => {
    const shipped = await conferences();
    expect(shipped.map((c) => c.key)).toEqual(['dmk', 'itplr', 'mpk']);
    const byKey = Object.fromEntries(shipped.map((c) => [c.key, c]));
    expect(byKey.mpk).toMatchObject({
      name: 'Ministerpräsidentenkonferenz',
      members: [...LANDS],
      bund: false,
      votingRules: { decision: { type: 'min_laender', laender: 13 } },
      registrationLeadDays: 21,
    });
    expect(byKey.dmk).toMatchObject({
      bund: false,
      votingRules: { decision: { type: 'unanimous' } },
      provisional: true,
    });
    expect(byKey.itplr).toMatchObject({
      bund: true,
      votingRules: {
        decision: { type: 'bund_and_min_laender', laender: 11, koenigsteinShare: 0.6667 },
        recommendation: { type: 'majority_of_members' },
      },
    });
    for (const conference of shipped) expect(conference.source, conference.key).toMatch(/https?:\/\//);
    for (const as of [who.reviewerHE, who.cabinetSN, who.proposerBY])
      expect((await harness.get('/v1/conferences', as)).body).toEqual(shipped);
    expect((await harness.get('/v1/conferences')).status).toBe(401);
  });

  it('calendars for 2026 and 2027, ascending, each date with a source; unconfirmed ones provisional', async () => {
    for (const key of ['mpk', 'dmk', 'itplr']) {
      const calendar = await sessions(key);
      const dates = calendar.map((s) => s.date);
      expect([...dates].sort(), key).toEqual(dates);
      expect(dates.some((d) => d.startsWith('2026')) && dates.some((d) => d.startsWith('2027')), key).toBe(
        true,
      );
      for (const session of calendar)
        expect(session.source.length, `${key} ${session.date}`).toBeGreaterThan(20);
    }
    expect((await sessions('mpk')).length).toBe(8); // four regular sessions a year
    const confirmed = (await sessions('itplr')).filter((s) => !s.provisional);
    expect(confirmed).toEqual([expect.objectContaining({ date: '2026-03-18', number: 49 })]);
    expect((await harness.get('/v1/conferences/bmk/sessions', who.viewer)).status).toBe(404);
  });

  it('a Königsteiner Schlüssel of all 16 Länder summing to 1, with its source', async () => {
    const table = (await harness.get<KoenigsteinTable>('/v1/koenigstein', who.viewer)).body;
    expect(Object.keys(table.shares).sort()).toEqual([...LANDS].sort());
    const sum = Object.values(table.shares).reduce((a, b) => a + b, 0);
    expect(Math.abs(sum - 1)).toBeLessThan(0.001);
    expect(table.source).toMatch(/https?:\/\//);
  });
});

describe('maintenance by the admin', () => {
  it('only the admin writes; everyone else gets 403 and nothing changes', async () => {
    const before = await conferences();
    const body = { ...before[0], key: undefined, name: 'Geändert' };
    delete body.key;
    for (const as of [who.proposerBY, who.liaisonBY, who.cabinetBY, who.viewer]) {
      expect((await put('/v1/conferences/dmk', body, as)).status).toBe(403);
      expect((await put('/v1/koenigstein', { year: 2030, shares: shares2016, source: 'x' }, as)).status).toBe(
        403,
      );
      expect((await put('/v1/conferences/dmk/sessions', [], as)).status).toBe(403);
    }
    expect(await conferences()).toEqual(before);
  });

  it('creates and replaces a conference; rules that cannot fit the members are 400', async () => {
    const nord = {
      name: 'Konferenz Norddeutschland',
      members: ['HB', 'HH', 'MV', 'NI', 'SH'],
      bund: false,
      votingRules: { decision: { type: 'min_laender', laender: 4 } },
      registrationLeadDays: 14,
      source: 'test',
      provisional: true,
    };
    const created = await put<Conference>('/v1/conferences/nord', nord);
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ key: 'nord', ...nord });
    const six = await put('/v1/conferences/nord', {
      ...nord,
      votingRules: { decision: { type: 'min_laender', laender: 6 } },
    });
    expect(six.status).toBe(400);
    expect(six.body.errors).toEqual([
      { path: 'body/votingRules/decision/laender', message: 'needs 6 Länder, but the conference has 5' },
    ]);
    const noBund = await put('/v1/conferences/nord', {
      ...nord,
      votingRules: { decision: { type: 'bund_and_min_laender', laender: 3, koenigsteinShare: 0.5 } },
    });
    expect(noBund.status).toBe(400);
    expect(
      (await put('/v1/conferences/nord', { ...nord, votingRules: { decision: { type: 'most' } } })).status,
    ).toBe(400);
    expect((await put('/v1/conferences/nord', { ...nord, members: ['HB', 'XX'] })).status).toBe(400);
    expect((await conferences()).find((c) => c.key === 'nord')).toEqual({ key: 'nord', ...nord });

    const renamed = await put<Conference>('/v1/conferences/nord', { ...nord, name: 'Nordkonferenz' });
    expect(renamed.body.name).toBe('Nordkonferenz');
    expect(await sessions('nord')).toEqual([]);
  });

  it('replaces a calendar; dates out of order are 400, an unknown conference 404', async () => {
    const calendar = [
      { date: '2026-05-04', place: 'Kiel', source: 'test' },
      { date: '2026-11-02', number: 2, provisional: true, source: 'test' },
    ];
    const replaced = await put<ConferenceSession[]>('/v1/conferences/nord/sessions', calendar);
    expect(replaced.status).toBe(200);
    expect(replaced.body).toEqual([
      { date: '2026-05-04', number: null, place: 'Kiel', provisional: false, source: 'test' },
      { date: '2026-11-02', number: 2, place: null, provisional: true, source: 'test' },
    ]);
    const unordered = await put('/v1/conferences/nord/sessions', [...calendar].reverse());
    expect(unordered.status).toBe(400);
    expect(unordered.body.errors).toEqual([
      { path: 'body/1/date', message: 'must come after 2026-11-02 (dates ascending)' },
    ]);
    expect(await sessions('nord')).toEqual(replaced.body);
    expect((await put('/v1/conferences/sued/sessions', calendar)).status).toBe(404);
  });

  it('a Königsteiner Schlüssel per year; GET takes that year’s, else the newest earlier one', async () => {
    const { BW, ...fifteen } = shares2016;
    const missing = await put('/v1/koenigstein', { year: 2030, shares: fifteen, source: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ path: 'body/shares/BW', message: 'missing' }]);
    const off = await put('/v1/koenigstein', {
      year: 2030,
      shares: { ...fifteen, BW: BW + 0.002 },
      source: 'x',
    });
    expect(off.status).toBe(400);
    expect(off.body.errors?.[0]?.path).toBe('body/shares');

    const stored = await put<KoenigsteinTable>('/v1/koenigstein', {
      year: 2030,
      shares: shares2016,
      source: 'GWK 2030',
    });
    expect(stored.status).toBe(200);
    expect(stored.body).toEqual({ year: 2030, shares: shares2016, source: 'GWK 2030', provisional: false });
    const get = async (query: string) =>
      (await harness.get<KoenigsteinTable>(`/v1/koenigstein${query}`, who.viewer)).body.year;
    expect(await get('')).toBe(2030);
    expect(await get('?year=2031')).toBe(2030);
    expect(await get('?year=2029')).toBe(2016);
    expect((await harness.get('/v1/koenigstein?year=2000', who.viewer)).status).toBe(404);
    expect((await harness.get('/v1/koenigstein?year=abc', who.viewer)).status).toBe(400);
  });
});

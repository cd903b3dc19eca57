/**
 * The voting rules of the conferences (workflows/conferences.ts) at their edges: pure code reading the
 * conference's data and the Königsteiner Schlüssel (docs/laenderkreis.md#voting-rules).
 */
import { describe, expect, it } from 'vitest';
import {
  BUND,
  evaluateRule,
  koenigsteinErrors,
  koenigsteinFor,
  ruleFor,
  voteErrors,
  type Conference,
  type KoenigsteinTable,
  type Member,
  type Votes,
} from '../workflows/conferences.js';
import { LANDS, type Land } from '../workflows/domain.js';

const conference = (overrides: Partial<Conference>): Conference => ({
  key: 'test',
  name: 'Testkonferenz',
  members: [...LANDS],
  bund: false,
  votingRules: { decision: { type: 'unanimous' } },
  registrationLeadDays: 21,
  source: 'https://example.org',
  provisional: false,
  ...overrides,
});

const mpk = conference({
  key: 'mpk',
  name: 'MPK',
  votingRules: { decision: { type: 'min_laender', laender: 13 } },
});
const dmk = conference({ key: 'dmk', name: 'DMK' });
const itplr = conference({
  key: 'itplr',
  name: 'IT-Planungsrat',
  bund: true,
  votingRules: {
    decision: { type: 'bund_and_min_laender', laender: 11, koenigsteinShare: 0.6667 },
    recommendation: { type: 'majority_of_members' },
  },
});

const votes = (yes: Member[], no: Member[] = [], abstain: Member[] = []): Votes => ({ yes, no, abstain });
const first = (n: number): Land[] => LANDS.slice(0, n);
const rest = (n: number): Land[] => LANDS.slice(n);

/** 11 Länder (the first eleven) holding exactly `part` of the shares, the other five the remainder. */
function tableWithEleven(part: number, year = 2025): KoenigsteinTable {
  const shares = {} as Record<Land, number>;
  for (const land of first(11)) shares[land] = part / 11;
  for (const land of rest(11)) shares[land] = (1 - part) / 5;
  return { year, shares, source: 'constructed for the test', provisional: true };
}

describe('MPK: at least 13 Länder', () => {
  const rule = ruleFor(mpk, 'decision')!;
  it('exactly 13 yes adopts; 12 yes does not', () => {
    expect(evaluateRule(mpk, rule, votes(first(13), rest(13))).met).toBe(true);
    const twelve = evaluateRule(mpk, rule, votes(first(12), rest(12)));
    expect(twelve.met).toBe(false);
    expect(twelve.explanation).toBe('the MPK adopts with at least 13 Länder; 12 voted yes');
  });
  it('abstentions count against: 12 yes and 4 abstentions is not 13', () => {
    expect(evaluateRule(mpk, rule, votes(first(12), [], rest(12))).met).toBe(false);
  });
  it('has no recommendation rule', () => {
    expect(ruleFor(mpk, 'recommendation')).toBeUndefined();
  });
});

describe('IT-Planungsrat: the Bund and at least 11 Länder with two thirds of the shares', () => {
  const rule = ruleFor(itplr, 'decision')!;
  it('11 Länder at 0.6667 of the shares with the Bund adopts; at 0.6666 it does not', () => {
    const yes: Member[] = [BUND, ...first(11)];
    expect(evaluateRule(itplr, rule, votes(yes, rest(11)), tableWithEleven(0.6667)).met).toBe(true);
    const short = evaluateRule(itplr, rule, votes(yes, rest(11)), tableWithEleven(0.6666));
    expect(short.met).toBe(false);
    expect(short.explanation).toContain('11 Länder voted yes with 0.6666 of the shares');
  });
  it('10 Länder never suffice, whatever their shares', () => {
    const table = tableWithEleven(0.9);
    expect(evaluateRule(itplr, rule, votes([BUND, ...first(10)]), table).met).toBe(false);
  });
  it('without the Bund nothing is adopted, even with all 16 Länder', () => {
    const table = tableWithEleven(0.7);
    expect(evaluateRule(itplr, rule, votes([...LANDS]), table).met).toBe(false);
    const abstaining = evaluateRule(itplr, rule, votes([...LANDS], [], [BUND]), table);
    expect(abstaining.met).toBe(false);
    expect(abstaining.explanation).toContain('the Bund did not vote yes');
  });
  it('needs the Königsteiner Schlüssel', () => {
    expect(() => evaluateRule(itplr, rule, votes([BUND, ...first(11)]))).toThrow(/Königsteiner/);
  });
  it('recommendations: a simple majority of the 17 members, the Bund counting as one', () => {
    const recommendation = ruleFor(itplr, 'recommendation')!;
    const nine = evaluateRule(itplr, recommendation, votes(first(9), rest(9)));
    expect(nine.met).toBe(true);
    expect(evaluateRule(itplr, recommendation, votes([BUND, ...first(8)], rest(8))).met).toBe(true);
    // 8 of 17 is no majority, even when the rest abstain.
    const eight = evaluateRule(itplr, recommendation, votes(first(8), [], [BUND, ...rest(8)]));
    expect(eight.met).toBe(false);
    expect(eight.explanation).toBe(
      'the IT-Planungsrat adopts with a majority of its 17 members (at least 9); 8 voted yes',
    );
  });
});

describe('DMK: unanimous', () => {
  const rule = ruleFor(dmk, 'decision')!;
  it('an abstention does not block; a single no does', () => {
    expect(evaluateRule(dmk, rule, votes(first(15), [], rest(15))).met).toBe(true);
    expect(evaluateRule(dmk, rule, votes(first(15), rest(15))).met).toBe(false);
  });
  it('nobody voting yes adopts nothing', () => {
    expect(evaluateRule(dmk, rule, votes([], [], [...LANDS])).met).toBe(false);
  });
});

describe('who may vote', () => {
  it('the Bund is no member of the DMK (a guest without a vote)', () => {
    expect(voteErrors(dmk, votes([BUND, 'BY']))).toEqual([
      { path: 'yes/0', message: 'the Bund has no vote at the DMK' },
    ]);
    expect(voteErrors(itplr, votes([BUND, 'BY']))).toEqual([]);
  });
  it('a member twice, across lists, and a non-member are refused', () => {
    const small = conference({ name: 'Nordkonferenz', members: ['HB', 'HH', 'MV', 'NI', 'SH'] });
    expect(voteErrors(small, votes(['HB', 'HH'], ['HB'], ['BY']))).toEqual([
      { path: 'no/0', message: 'HB already voted (at yes/0)' },
      { path: 'abstain/0', message: 'BY is not a member of the Nordkonferenz' },
    ]);
  });
});

describe('the Königsteiner Schlüssel', () => {
  it('needs all 16 shares summing to 1 (±0.001)', () => {
    expect(koenigsteinErrors(tableWithEleven(0.6667).shares)).toEqual([]);
    const { BW, ...fifteen } = tableWithEleven(0.6667).shares;
    expect(koenigsteinErrors(fifteen)).toEqual([{ path: 'BW', message: 'missing' }]);
    expect(koenigsteinErrors({ ...fifteen, BW: BW + 0.0011 })[0]?.message).toMatch(/add up to 1\.0011/);
    expect(koenigsteinErrors({ ...fifteen, BW: BW + 0.0009 })).toEqual([]);
    expect(koenigsteinErrors({ ...fifteen, BW, XX: 0 })).toEqual([
      { path: 'XX', message: 'XX is not a Land' },
    ]);
  });
  it('a decision uses the table of its year, else the newest earlier one', () => {
    const tables = [tableWithEleven(0.7, 2023), tableWithEleven(0.7, 2025), tableWithEleven(0.7, 2024)];
    expect(koenigsteinFor(tables, 2025)?.year).toBe(2025);
    expect(koenigsteinFor(tables, 2027)?.year).toBe(2025);
    expect(koenigsteinFor(tables, 2024)?.year).toBe(2024);
    expect(koenigsteinFor(tables, 2022)).toBeUndefined();
  });
});

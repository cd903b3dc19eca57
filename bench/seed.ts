/**
 * Seeds initiatives directly in SQL through the project's own schema (db/schema.ts): the read model row
 * exactly as persistChange writes it, and the inbox rows of open initiatives. Deterministic per index, so
 * that a run can grow the data set from the small to the large size and the status case can compute ETags.
 *
 * The data model: index 0 is the newest initiative, one every 45 minutes back in time. The newest `open`
 * initiatives are open (review, revision, consultation, cabinet, bundesrat); all older ones are closed. Growing
 * the data set therefore adds history (closed initiatives), as a real archive grows, and the inbox keeps the
 * same open actions at both sizes.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { initiativeRow, pendingActionRows } from '../db/read-model.js';
import { initiatives, pendingActions } from '../db/schema.js';
import type { Initiative, Invitation, PendingAction, Review, ReviewStatus } from '../workflows/contracts.js';
import { LANDS, TOPICS, type Land, type Partner, type Phase } from '../workflows/domain.js';
import { DEFAULT_PERIODS } from '../test/kit/initiatives.js';

const STEP_MS = 45 * 60_000;
const DAY_MS = 86_400_000;
const THIRD_LANDS = LANDS.filter((land) => land !== 'BY' && land !== 'NW');

/** The periods of seeded initiatives and of the benchmarked API: the tests' defaults. */
export const SEED_PERIODS = DEFAULT_PERIODS;

/** Words of generated titles; `QUANTUM` appears in about one title in twenty (the `q` list case). */
export const QUANTUM = 'quantencomputing';
const SUBJECTS = [
  'KI-Testumgebung',
  'Breitbandausbau',
  'Once-Only-Register',
  'Digitale Berufsschule',
  'Telemedizin im ländlichen Raum',
  'Cyberabwehrzentrum',
  'Mobilitätsdatenraum',
  'Digitale Identität',
  'Open-Data-Portal',
  'Verwaltungscloud',
  'Rechenzentrum für Forschung',
  'Glasfaser für Schulen',
  'E-Rechnung für Kommunen',
  'Cybersicherheit im Mittelstand',
  'Gesundheitsdatennutzung',
  'Smart-City-Plattform',
  'Digitale Bauakte',
  'Registermodernisierung',
  'Homeoffice-Infrastruktur',
];
const FRAMES = ['Gemeinsame', 'Bundesweite', 'Länderübergreifende', 'Pilotprojekt:'];

/** mulberry32: a small deterministic PRNG, seeded per initiative index. */
function random(seed: number): () => number {
  let a = seed + 0x6d2b79f5;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const pick = <T>(r: () => number, items: readonly T[]): T => items[Math.floor(r() * items.length)] as T;
const iso = (ms: number) => new Date(ms).toISOString();

export interface SeedModel {
  /** Time of the newest initiative (index 0). */
  anchorMs: number;
  /** Indices below this are open. */
  open: number;
}

/** The reference of the initiative at `index`: a past or current year, six digits (never the API's four). */
export function seededId(model: SeedModel, index: number): string {
  const year = new Date(model.anchorMs - index * STEP_MS).getUTCFullYear();
  return `DD-${year}-${String(index + 1).padStart(6, '0')}`;
}

function openPhase(r: () => number): Phase {
  const x = r();
  return x < 0.5
    ? 'review'
    : x < 0.6
      ? 'revision'
      : x < 0.7
        ? 'consultation'
        : x < 0.85
          ? 'cabinet'
          : 'bundesrat';
}
function closedPhase(r: () => number): Phase {
  const x = r();
  return x < 0.55 ? 'adopted' : x < 0.7 ? 'rejected' : x < 0.85 ? 'withdrawn' : 'expired';
}

/** The initiative at `index`, as the workflow would have persisted it. */
export function seededInitiative(model: SeedModel, index: number): Initiative {
  const r = random(index);
  const createdMs = model.anchorMs - index * STEP_MS;
  const createdAt = iso(createdMs);
  const open = index < model.open;
  const phase = open ? openPhase(r) : closedPhase(r);
  const bundesratChannel = phase === 'cabinet' || phase === 'bundesrat' || (phase === 'adopted' && r() < 0.4);
  const lead: Partner = r() < 0.5 ? 'BY' : 'NW';
  const other: Partner = lead === 'BY' ? 'NW' : 'BY';
  const proposer = {
    sub: `p-${lead.toLowerCase()}-${Math.floor(r() * 50)}`,
    name: 'Bench Proposer',
    land: lead,
  };
  const quantum = r() < 0.05;
  const subject = quantum ? 'Quantencomputing-Initiative' : pick(r, SUBJECTS);
  const title = `${pick(r, FRAMES)} ${subject} ${index % 97}`;
  const summary =
    `${subject}: ein gemeinsames Vorhaben von Bayern und Nordrhein-Westfalen` +
    (quantum ? ` zum ${QUANTUM} in der Verwaltung.` : ' für eine moderne Verwaltung.');
  const invitedLands =
    phase === 'consultation' || r() < 0.2
      ? [...new Set([pick(r, THIRD_LANDS), ...(r() < 0.3 ? [pick(r, THIRD_LANDS)] : [])])]
      : [];
  const reviewDue = iso(createdMs + 14 * DAY_MS);
  const reviewer = (land: Partner) => ({
    sub: `r-${land.toLowerCase()}-${Math.floor(r() * 20)}`,
    name: 'Bench Reviewer',
  });
  const decided = (land: Partner, status: ReviewStatus, days: number): Review => ({
    land,
    status,
    by: reviewer(land),
    at: iso(createdMs + days * DAY_MS),
    ...(status === 'approved' ? {} : { comment: 'Bitte die Finanzierung konkretisieren.' }),
  });
  let reviews: Review[];
  if (phase === 'review') {
    const oneDone = r() < 0.4;
    reviews = [
      oneDone ? decided(other, 'approved', 3) : { land: other, status: 'pending', dueAt: reviewDue },
      { land: lead, status: 'pending', dueAt: reviewDue },
    ];
  } else if (phase === 'revision' || phase === 'rejected')
    reviews = [
      decided(other, phase === 'rejected' ? 'rejected' : 'changes_requested', 5),
      decided(lead, 'approved', 4),
    ];
  else if (phase === 'withdrawn' || phase === 'expired')
    reviews = [
      { land: other, status: 'pending', dueAt: reviewDue },
      { land: lead, status: 'pending', dueAt: reviewDue },
    ];
  else reviews = [decided(other, 'approved', 6), decided(lead, 'approved', 7)];

  const invitations: Invitation[] = invitedLands.map((land) => ({
    land,
    status: phase === 'consultation' || phase === 'review' ? 'pending' : r() < 0.6 ? 'joined' : 'declined',
    invitedAt: createdAt,
    dueAt: iso(createdMs + 14 * DAY_MS),
    ...(phase === 'consultation' || phase === 'review' ? {} : { answeredAt: iso(createdMs + 9 * DAY_MS) }),
  }));
  const joined = invitations.filter((i) => i.status === 'joined').map((i) => i.land);
  const applicants: Land[] = [lead, other, ...joined];
  const bundesrat =
    phase === 'cabinet'
      ? { applicants, status: 'preparing' as const, plenarySession: null, postponements: 0 }
      : bundesratChannel
        ? {
            applicants,
            status: phase === 'adopted' ? ('decided' as const) : ('submitted' as const),
            drucksache: `${100 + (index % 800)}/${String(new Date(createdMs).getUTCFullYear()).slice(2)}`,
            procedure: 'committee' as const,
            submittedOn: iso(createdMs + 30 * DAY_MS).slice(0, 10),
            plenarySession: { number: 1000 + (index % 80), date: iso(createdMs + 50 * DAY_MS).slice(0, 10) },
            postponements: 0,
            enteredAt: iso(createdMs + 25 * DAY_MS),
            ...(phase === 'adopted'
              ? { decision: 'adopted' as const, decidedOn: iso(createdMs + 50 * DAY_MS).slice(0, 10) }
              : {}),
          }
        : null;

  const pending: PendingAction[] = [];
  if (phase === 'review')
    for (const review of reviews)
      if (review.status === 'pending')
        pending.push({ action: 'review', land: review.land, role: 'reviewer', dueAt: reviewDue });
  if (phase === 'revision')
    pending.push({ action: 'revise', land: lead, role: 'proposer', dueAt: iso(createdMs + 35 * DAY_MS) });
  if (phase === 'review' || phase === 'consultation')
    for (const invitation of invitations)
      if (invitation.status === 'pending')
        pending.push({ action: 'respond', land: invitation.land, role: 'reviewer', dueAt: invitation.dueAt });
  if (phase === 'cabinet')
    for (const land of applicants) pending.push({ action: 'cabinet', land, role: 'cabinet' });
  if (phase === 'bundesrat') pending.push({ action: 'refer', land: lead, role: 'liaison' });

  const closedAt = iso(createdMs + 40 * DAY_MS);
  const outcomes: Partial<Record<Phase, Initiative['outcome']>> = {
    adopted: { result: 'adopted', reason: bundesratChannel ? 'bundesrat' : 'joint_approval', at: closedAt },
    rejected: { result: 'rejected', reason: 'partner_rejected', at: closedAt },
    withdrawn: { result: 'withdrawn', reason: 'Prioritäten haben sich geändert.', at: closedAt },
    expired: { result: 'expired', reason: 'review_overdue', at: closedAt },
  };
  const version = 1 + (index % 7) + pending.length;
  return {
    id: seededId(model, index),
    title,
    summary,
    topic: pick(r, TOPICS),
    channel: bundesratChannel ? 'bundesrat' : 'joint',
    instrument: bundesratChannel ? (r() < 0.5 ? 'gesetzesantrag' : 'entschliessungsantrag') : null,
    ressort: r() < 0.5 ? (lead === 'BY' ? 'StMD' : 'MWIKE') : null,
    leadLand: lead,
    proposer,
    phase,
    revision: phase === 'revision' ? 1 : 1 + (r() < 0.1 ? 1 : 0),
    // One open initiative in twenty has an escalated (overdue) review round.
    overdue: open && phase === 'review' && r() < 0.05,
    reviews,
    invitations,
    participants: [
      { land: 'BY', role: 'partner' },
      { land: 'NW', role: 'partner' },
      ...invitations.map((i) => ({
        land: i.land,
        role: i.status === 'pending' ? ('invited' as const) : i.status,
      })),
    ],
    cabinetDecisions:
      phase === 'cabinet' ? applicants.map((land) => ({ land, status: 'pending' as const })) : [],
    bundesrat,
    pendingActions: pending,
    outcome: outcomes[phase] ?? null,
    periods: SEED_PERIODS,
    createdAt,
    updatedAt: open ? iso(Math.min(createdMs + 3 * DAY_MS, model.anchorMs)) : closedAt,
    version,
  };
}

/** The ETag the API sends for the initiative at `index`. */
export const seededEtag = (model: SeedModel, index: number) => `"${seededInitiative(model, index).version}"`;

/** Inserts the initiatives with indices [from, to) and their inbox rows, in batches. */
export async function seed(db: Database, model: SeedModel, from: number, to: number): Promise<void> {
  const BATCH = 1_000;
  for (let start = from; start < to; start += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, to - start) }, (_, k) =>
      seededInitiative(model, start + k),
    );
    // The rows persistChange writes for these resources.
    await db.insert(initiatives).values(batch.map(initiativeRow));
    const actions = batch.flatMap(pendingActionRows);
    if (actions.length > 0) await db.insert(pendingActions).values(actions);
  }
  // Fresh statistics, as autovacuum would have them on a database that grew over years.
  await db.execute(sql`vacuum analyze initiatives`);
  await db.execute(sql`vacuum analyze pending_actions`);
}

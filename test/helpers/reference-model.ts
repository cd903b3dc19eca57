/**
 * A small reference model of docs/domain.md, written for the tests and independent of the implementation:
 * who may read, who may act, which command fits which state, and what an accepted command changes. It
 * answers, for a principal and a command, the status docs/api.md prescribes (in its order of precedence) and,
 * when accepted, the new state. The model-based test and the authorisation matrix both ask it.
 */
import type { Initiative } from '../../workflows/contracts.js';
import type { Channel, Land, Phase, Role } from '../../workflows/domain.js';

export const PARTNERS: readonly Land[] = ['BY', 'NW'];
const isPartner = (land: Land) => PARTNERS.includes(land);
const TERMINAL: readonly Phase[] = ['adopted', 'rejected', 'withdrawn', 'expired'];
const isTerminal = (phase: Phase) => TERMINAL.includes(phase);

export interface Principal {
  sub: string;
  land: Land;
  roles: Role[];
}

type ReviewStatus = 'pending' | 'approved' | 'changes_requested' | 'rejected';
type InvitationStatus = 'pending' | 'joined' | 'declined' | 'no_response';
type ParticipantRole = 'partner' | 'invited' | 'joined' | 'declined' | 'no_response';
type CabinetStatus = 'pending' | 'approved' | 'declined';
export interface Session {
  number: number;
  date: string;
}

export interface ModelInitiative {
  id: string;
  channel: Channel;
  leadLand: Land;
  proposerSub: string;
  phase: Phase;
  revision: number;
  reviews: Map<Land, ReviewStatus>;
  invitations: Map<Land, InvitationStatus>;
  participants: Map<Land, ParticipantRole>;
  cabinet: Map<Land, CabinetStatus>;
  bundesrat: {
    applicants: Land[];
    status: 'preparing' | 'submitted' | 'referred' | 'decided';
    procedure?: 'committee' | 'immediate';
    drucksache?: string;
    session: Session | null;
    postponements: number;
  } | null;
  /** Channel laenderkreis (conference `mpk`, every Land a member), from phase `conference` on. */
  conference?: {
    applicants: Land[];
    status: 'preparing' | 'registered' | 'decided';
    session: string | null;
    postponements: number;
  } | null;
  /** Entered the bundesrat phase once (or a conference of all Länder): readable by everyone from then on. */
  public: boolean;
  /** Deadline extensions in force, `<action>:<land>` → days after the day of creation (today). */
  extended: Map<string, number>;
  /** Cabinet decision dates by Land, as recorded or corrected. */
  cabinetDates: Map<Land, string>;
}

export type Command =
  | { kind: 'create'; channel: Channel; invite: Land[] }
  | { kind: 'review'; decision: 'approve' | 'request_changes' | 'reject'; comment: boolean }
  | { kind: 'revise' }
  | { kind: 'withdraw' }
  | { kind: 'invite'; lands: Land[] }
  | { kind: 'answer'; land: Land; decision: 'join' | 'decline' }
  | { kind: 'cabinet'; decision: 'approve' | 'decline' }
  | { kind: 'submit'; drucksache: string; submittedOn: string; procedure: 'committee' | 'immediate' }
  | { kind: 'refer'; committees: string[]; leadCommittee: string }
  | { kind: 'decide'; decision: 'adopted' | 'rejected' | 'postponed'; decidedOn: string }
  | { kind: 'accede' }
  /** A deadline extension to `days` after today (docs/domain.md#deadline-extensions). */
  | { kind: 'extend'; action: 'review' | 'respond' | 'revise'; land?: Land; days: number }
  /** The conference stage (docs/laenderkreis.md), at the MPK: registration, co-applicant, decision. */
  | { kind: 'register'; registeredOn: string }
  | { kind: 'coapply' }
  | { kind: 'conferenceDecide'; decision: 'adopted' | 'rejected' | 'postponed'; decidedOn: string }
  /**
   * A correction (docs/domain.md#corrections): the liaison's Drucksache, or the caller's own cabinet date
   * (`value` a date), also on closed initiatives.
   */
  | { kind: 'correct'; field: 'drucksache' | 'cabinetDecidedOn'; value: string };

export type CommandKind = Command['kind'];

// ---- reading ----

/** viewer and admin read everything; others what their Land takes part in, and every public motion. */
export function canRead(principal: Principal, initiative: ModelInitiative): boolean {
  return (
    principal.roles.includes('viewer') ||
    principal.roles.includes('admin') ||
    initiative.public ||
    initiative.participants.has(principal.land)
  );
}

// ---- who may act (docs/domain.md's actors; 403) ----

const has = (principal: Principal, role: Role) => principal.roles.includes(role);

/** Whether the principal's role, Land and person allow the command at all (before any state check). */
export function mayAct(
  principal: Principal,
  command: Command,
  initiative: ModelInitiative | undefined,
): boolean {
  switch (command.kind) {
    case 'create':
      return has(principal, 'proposer') && isPartner(principal.land);
    case 'review':
      return (
        has(principal, 'reviewer') && isPartner(principal.land) && principal.sub !== initiative?.proposerSub
      );
    case 'revise':
    case 'withdraw':
      return has(principal, 'proposer') && principal.sub === initiative?.proposerSub;
    case 'invite':
      return (has(principal, 'proposer') || has(principal, 'reviewer')) && isPartner(principal.land);
    case 'answer':
      return has(principal, 'reviewer') && principal.land === command.land;
    case 'cabinet':
      // The cabinets of the partners and of Länder that were ever invited or joined; whether the Land
      // still applies is a question of state (409).
      return (
        has(principal, 'cabinet') &&
        (isPartner(principal.land) || initiative?.participants.has(principal.land) === true)
      );
    case 'submit':
    case 'refer':
    case 'decide':
    case 'register':
    case 'conferenceDecide':
      return has(principal, 'liaison') && principal.land === initiative?.leadLand;
    case 'coapply':
      // Every Land is a member of the MPK.
      return has(principal, 'cabinet');
    case 'accede':
      return has(principal, 'cabinet');
    case 'extend':
      return (
        (has(principal, 'proposer') || has(principal, 'cabinet')) && principal.land === initiative?.leadLand
      );
    case 'correct':
      if (has(principal, 'liaison')) return principal.land === initiative?.leadLand;
      return has(principal, 'cabinet') && initiative?.cabinet.has(principal.land) === true;
  }
}

/**
 * A correction's answer, in the API's order: who (403), the Drucksache register (409), something recorded
 * (409), the field recorded by the caller's role (403), a value other than the recorded one (400).
 */
export function correctionStatus(
  principal: Principal,
  command: Extract<Command, { kind: 'correct' }>,
  initiative: ModelInitiative,
  drucksachen: ReadonlyMap<string, string>,
): number {
  const { bundesrat } = initiative;
  if (command.field === 'drucksache' && bundesrat?.drucksache !== command.value) {
    const holder = drucksachen.get(command.value);
    if (holder !== undefined && holder !== initiative.id) return 409;
  }
  const liaison = has(principal, 'liaison');
  if (
    liaison
      ? !bundesrat || bundesrat.status === 'preparing'
      : initiative.cabinet.get(principal.land) === 'pending'
  )
    return 409;
  if (liaison !== (command.field === 'drucksache')) return 403;
  const current =
    command.field === 'drucksache' ? bundesrat?.drucksache : initiative.cabinetDates.get(principal.land);
  return current === command.value ? 400 : 200;
}

/** Input the API refuses before looking anything up (400), beyond what the schemas say. */
export function invalidInput(command: Command): boolean {
  switch (command.kind) {
    case 'create':
      return command.invite.some(isPartner);
    case 'review':
      return command.decision !== 'approve' && !command.comment;
    case 'invite':
      return command.lands.some(isPartner);
    case 'refer':
      return !command.committees.includes(command.leadCommittee);
    case 'extend':
      return command.action !== 'revise' && command.land === undefined;
    default:
      return false;
  }
}

// ---- whether the state fits (409) ----

/** Whether the command fits the initiative's state (409 if not); `leadDays`/calendar for the booking. */
export function fits(
  principal: Principal,
  command: Command,
  initiative: ModelInitiative,
  booking: {
    leadDays: number;
    calendar: readonly Session[];
    drucksachen: ReadonlyMap<string, string>;
    /** The MPK's session dates, ascending (for the conference commands). */
    conferenceCalendar?: readonly string[];
  },
): boolean {
  if (isTerminal(initiative.phase)) return false;
  const { phase, bundesrat } = initiative;
  switch (command.kind) {
    case 'create':
    case 'correct': // answered by correctionStatus
      return true;
    case 'review':
      return phase === 'review' && initiative.reviews.get(principal.land) === 'pending';
    case 'revise':
      return phase === 'revision';
    case 'withdraw':
      return true;
    case 'invite':
      return (
        ['review', 'revision', 'consultation'].includes(phase) &&
        !command.lands.some((land) => initiative.invitations.has(land))
      );
    case 'answer':
      return initiative.invitations.get(command.land) === 'pending';
    case 'cabinet':
      return (
        phase === 'cabinet' &&
        bundesrat?.applicants.includes(principal.land) === true &&
        initiative.cabinet.get(principal.land) === 'pending'
      );
    case 'submit': {
      // The booking and the Drucksache are checked first, in any phase.
      const holder = booking.drucksachen.get(command.drucksache);
      if (!sessionFrom(booking.calendar, addDays(command.submittedOn, booking.leadDays))) return false;
      if (holder !== undefined && holder !== initiative.id) return false;
      return phase === 'bundesrat' && bundesrat?.status === 'preparing';
    }
    case 'refer':
      // An immediate motion may still be referred (docs/domain.md#bundesrat: "Immediate, then referred").
      return phase === 'bundesrat' && bundesrat?.status === 'submitted';
    case 'decide':
      return (
        phase === 'bundesrat' &&
        bundesrat !== null &&
        bundesrat.status !== 'preparing' &&
        (bundesrat.procedure === 'immediate' || bundesrat.status === 'referred')
      );
    case 'accede':
      return (
        phase === 'bundesrat' && !isPartner(principal.land) && !bundesrat?.applicants.includes(principal.land)
      );
    case 'register':
      if (phase !== 'conference' || initiative.conference?.status !== 'preparing') return false;
      return (booking.conferenceCalendar ?? []).some(
        (date) => date >= addDays(command.registeredOn, MPK_LEAD_DAYS),
      );
    case 'coapply':
      return (
        phase === 'conference' &&
        !isPartner(principal.land) &&
        initiative.conference?.applicants.includes(principal.land) === false
      );
    case 'conferenceDecide':
      return phase === 'conference' && initiative.conference?.status === 'registered';
    case 'extend': {
      const land = command.land ?? initiative.leadLand;
      if (command.action === 'review')
        return phase === 'review' && initiative.reviews.get(land) === 'pending';
      if (command.action === 'revise') return phase === 'revision' && land === initiative.leadLand;
      return (
        ['review', 'revision', 'consultation'].includes(phase) &&
        initiative.invitations.get(land) === 'pending'
      );
    }
  }
}

/** The key of the deadline an extension moves. */
const extensionKey = (initiative: ModelInitiative, command: Extract<Command, { kind: 'extend' }>) =>
  `${command.action}:${command.land ?? initiative.leadLand}`;

/** An extension must reach beyond the deadline in force (400): here, beyond an earlier extension. */
function extendsTooLittle(initiative: ModelInitiative, command: Command): boolean {
  if (command.kind !== 'extend') return false;
  const before = initiative.extended.get(extensionKey(initiative, command));
  return before !== undefined && command.days <= before;
}

/** A new round or revision has new deadlines: earlier extensions of them no longer count. */
function forgetExtensions(initiative: ModelInitiative, action: 'review' | 'revise'): void {
  for (const key of initiative.extended.keys())
    if (key.startsWith(`${action}:`)) initiative.extended.delete(key);
}

/** The date every cabinet decision of the model test carries (test/model.test.ts). */
export const CABINET_DATE = '2026-11-20';

export function addDays(date: string, days: number): string {
  const instant = new Date(`${date}T00:00:00Z`);
  instant.setUTCDate(instant.getUTCDate() + days);
  return instant.toISOString().slice(0, 10);
}

/** The MPK's registration lead days as shipped (db/migrations, docs/laenderkreis.md). */
const MPK_LEAD_DAYS = 21;

const sessionFrom = (calendar: readonly Session[], date: string) => calendar.find((s) => s.date >= date);
const sessionAfter = (calendar: readonly Session[], date: string) => calendar.find((s) => s.date > date);

// ---- the model ----

export interface Expectation {
  status: number;
  /** The change an accepted command makes; undefined when refused. */
  apply?: () => void;
}

export class ReferenceModel {
  readonly initiatives: ModelInitiative[] = [];

  constructor(
    readonly calendar: readonly Session[],
    readonly leadDays: number,
    /** Drucksache → initiative holding it; shared by every model of a database. */
    readonly drucksachen: Map<string, string>,
    /** The MPK's session dates, ascending. */
    readonly conferenceCalendar: readonly string[] = [],
  ) {}

  /**
   * docs/api.md's status for `command` by `principal` on `initiative` (none for create): 400 · 404 · 403 ·
   * 409, else success with the change to apply once the real answer has been checked.
   */
  expect(principal: Principal, command: Command, initiative?: ModelInitiative): Expectation {
    if (invalidInput(command)) return { status: 400 };
    if (command.kind === 'create') {
      if (!mayAct(principal, command, undefined)) return { status: 403 };
      return { status: 201 };
    }
    if (!initiative) throw new Error(`${command.kind} needs an initiative`);
    if (!canRead(principal, initiative)) return { status: 404 };
    if (!mayAct(principal, command, initiative)) return { status: 403 };
    if (command.kind === 'correct') {
      const status = correctionStatus(principal, command, initiative, this.drucksachen);
      return status === 200
        ? { status, apply: () => this.apply(principal, command, initiative) }
        : { status };
    }
    if (!fits(principal, command, initiative, this)) return { status: 409 };
    if (extendsTooLittle(initiative, command)) return { status: 400 };
    return {
      status: 200,
      apply: () => {
        this.apply(principal, command, initiative);
        if (isTerminal(initiative.phase)) closeInvitations(initiative);
      },
    };
  }

  /** A new initiative as the API created it (its id is the API's). */
  created(id: string, principal: Principal, command: Extract<Command, { kind: 'create' }>): ModelInitiative {
    const initiative: ModelInitiative = {
      id,
      channel: command.channel,
      leadLand: principal.land,
      proposerSub: principal.sub,
      phase: 'review',
      revision: 1,
      reviews: new Map(PARTNERS.map((land) => [land, 'pending'])),
      invitations: new Map(command.invite.map((land) => [land, 'pending'])),
      participants: new Map([
        ...PARTNERS.map((land): [Land, ParticipantRole] => [land, 'partner']),
        ...command.invite.map((land): [Land, ParticipantRole] => [land, 'invited']),
      ]),
      cabinet: new Map(),
      bundesrat: null,
      ...(command.channel === 'laenderkreis' ? { conference: null } : {}),
      public: false,
      extended: new Map(),
      cabinetDates: new Map(),
    };
    this.initiatives.push(initiative);
    return initiative;
  }

  private apply(principal: Principal, command: Command, initiative: ModelInitiative): void {
    const bundesrat = initiative.bundesrat;
    switch (command.kind) {
      case 'review': {
        const status = (
          { approve: 'approved', request_changes: 'changes_requested', reject: 'rejected' } as const
        )[command.decision];
        initiative.reviews.set(principal.land, status);
        const all = [...initiative.reviews.values()];
        if (status === 'rejected') initiative.phase = 'rejected';
        else if (all.every((s) => s === 'approved')) this.advance(initiative);
        else if (all.every((s) => s !== 'pending')) {
          initiative.phase = 'revision';
          forgetExtensions(initiative, 'revise');
        }
        return;
      }
      case 'revise':
        forgetExtensions(initiative, 'review');
        initiative.revision += 1;
        for (const land of PARTNERS) initiative.reviews.set(land, 'pending');
        initiative.phase = 'review';
        return;
      case 'withdraw':
        initiative.phase = 'withdrawn';
        return;
      case 'invite':
        for (const land of command.lands) {
          initiative.invitations.set(land, 'pending');
          initiative.participants.set(land, 'invited');
        }
        return;
      case 'answer': {
        const status = command.decision === 'join' ? 'joined' : 'declined';
        initiative.invitations.set(command.land, status);
        initiative.participants.set(command.land, status);
        if (initiative.phase === 'consultation') this.advance(initiative);
        return;
      }
      case 'cabinet': {
        if (!bundesrat) return;
        const status = command.decision === 'approve' ? 'approved' : 'declined';
        initiative.cabinet.set(principal.land, status);
        initiative.cabinetDates.set(principal.land, CABINET_DATE);
        if (status === 'declined' && isPartner(principal.land)) {
          initiative.phase = 'rejected';
          return;
        }
        if (status === 'declined') {
          bundesrat.applicants = bundesrat.applicants.filter((land) => land !== principal.land);
          initiative.participants.set(principal.land, 'declined');
        }
        if (bundesrat.applicants.every((land) => initiative.cabinet.get(land) === 'approved')) {
          initiative.phase = 'bundesrat';
          initiative.public = true;
        }
        return;
      }
      case 'submit':
        if (!bundesrat) return;
        this.drucksachen.set(command.drucksache, initiative.id);
        bundesrat.status = 'submitted';
        bundesrat.procedure = command.procedure;
        bundesrat.drucksache = command.drucksache;
        bundesrat.session = sessionFrom(this.calendar, addDays(command.submittedOn, this.leadDays)) ?? null;
        return;
      case 'refer':
        if (bundesrat) {
          bundesrat.status = 'referred';
          bundesrat.procedure = 'committee';
        }
        return;
      case 'correct':
        if (command.field === 'cabinetDecidedOn') initiative.cabinetDates.set(principal.land, command.value);
        else if (bundesrat?.drucksache) {
          this.drucksachen.delete(bundesrat.drucksache);
          this.drucksachen.set(command.value, initiative.id);
          bundesrat.drucksache = command.value;
        }
        return;
      case 'decide':
        if (!bundesrat) return;
        if (command.decision === 'postponed') {
          bundesrat.postponements += 1;
          bundesrat.session =
            sessionAfter(this.calendar, bundesrat.session?.date ?? command.decidedOn) ?? null;
          return;
        }
        bundesrat.status = 'decided';
        initiative.phase = command.decision;
        return;
      case 'accede':
        bundesrat?.applicants.push(principal.land);
        initiative.participants.set(principal.land, 'joined');
        return;
      case 'extend':
        initiative.extended.set(extensionKey(initiative, command), command.days);
        return;
      case 'register': {
        const conference = initiative.conference;
        if (!conference) return;
        const earliest = addDays(command.registeredOn, MPK_LEAD_DAYS);
        conference.status = 'registered';
        conference.session = this.conferenceCalendar.find((date) => date >= earliest) ?? null;
        return;
      }
      case 'coapply':
        initiative.conference?.applicants.push(principal.land);
        return;
      case 'conferenceDecide': {
        const conference = initiative.conference;
        if (!conference) return;
        if (command.decision === 'postponed') {
          conference.postponements += 1;
          const from = conference.session ?? command.decidedOn;
          conference.session = this.conferenceCalendar.find((date) => date > from) ?? null;
          return;
        }
        conference.status = 'decided';
        initiative.phase = command.decision;
        return;
      }
      case 'create':
        return;
    }
  }

  /** Both partners approved: wait for open invitations, else the channel's next stage. */
  private advance(initiative: ModelInitiative): void {
    if ([...initiative.invitations.values()].includes('pending')) {
      initiative.phase = 'consultation';
      return;
    }
    if (initiative.channel === 'joint') {
      initiative.phase = 'adopted';
      return;
    }
    if (initiative.channel === 'laenderkreis') {
      const applicants = [...initiative.participants]
        .filter(([, role]) => role === 'partner' || role === 'joined')
        .map(([land]) => land);
      initiative.conference = { applicants, status: 'preparing', session: null, postponements: 0 };
      initiative.phase = 'conference';
      // Every Land is a member of the MPK: from now on every Land reads it.
      initiative.public = true;
      return;
    }
    const applicants = [...initiative.participants]
      .filter(([, role]) => role === 'partner' || role === 'joined')
      .map(([land]) => land);
    initiative.cabinet = new Map(applicants.map((land) => [land, 'pending']));
    initiative.bundesrat = { applicants, status: 'preparing', session: null, postponements: 0 };
    initiative.phase = 'cabinet';
  }
}

/** A terminal phase leaves no invitation open: a pending one becomes `no_response` (docs/domain.md#lifecycle). */
function closeInvitations(initiative: ModelInitiative): void {
  for (const [land, status] of initiative.invitations) {
    if (status !== 'pending') continue;
    initiative.invitations.set(land, 'no_response');
    if (initiative.participants.get(land) === 'invited') initiative.participants.set(land, 'no_response');
  }
}

// ---- comparing with the API ----

/** What the model predicts, in a form both the model and an API resource can be put into. */
export interface Observation {
  phase: Phase;
  revision: number;
  reviews: Record<string, string>;
  invitations: Record<string, string>;
  participants: Record<string, string>;
  cabinet: Record<string, string>;
  applicants: string[] | null;
  bundesrat: { status: string; session: number | null; postponements: number; drucksache?: string } | null;
  conference: { status: string; session: string | null; postponements: number; applicants: string[] } | null;
}

const sorted = (entries: Iterable<[string, string]>) =>
  Object.fromEntries([...entries].sort(([a], [b]) => a.localeCompare(b)));

export function observeModel(initiative: ModelInitiative): Observation {
  const { bundesrat } = initiative;
  return {
    phase: initiative.phase,
    revision: initiative.revision,
    reviews: sorted(initiative.reviews),
    invitations: sorted(initiative.invitations),
    participants: sorted(initiative.participants),
    cabinet: sorted(initiative.cabinet),
    applicants: bundesrat ? [...bundesrat.applicants].sort() : null,
    bundesrat: bundesrat
      ? {
          status: bundesrat.status,
          session: bundesrat.session?.number ?? null,
          postponements: bundesrat.postponements,
          ...(bundesrat.drucksache ? { drucksache: bundesrat.drucksache } : {}),
        }
      : null,
    conference: initiative.conference
      ? {
          status: initiative.conference.status,
          session: initiative.conference.session,
          postponements: initiative.conference.postponements,
          applicants: [...initiative.conference.applicants].sort(),
        }
      : null,
  };
}

export function observeResource(resource: Initiative): Observation {
  const { bundesrat } = resource;
  return {
    phase: resource.phase,
    revision: resource.revision,
    reviews: sorted(resource.reviews.map((r) => [r.land, r.status])),
    invitations: sorted(resource.invitations.map((i) => [i.land, i.status])),
    participants: sorted(resource.participants.map((p) => [p.land, p.role])),
    cabinet: sorted(resource.cabinetDecisions.map((d) => [d.land, d.status])),
    applicants: bundesrat ? [...bundesrat.applicants].sort() : null,
    bundesrat: bundesrat
      ? {
          status: bundesrat.status,
          session: bundesrat.plenarySession?.number ?? null,
          postponements: bundesrat.postponements,
          ...(bundesrat.drucksache ? { drucksache: bundesrat.drucksache } : {}),
        }
      : null,
    conference: resource.conference
      ? {
          status: resource.conference.status,
          session: resource.conference.session?.date ?? null,
          postponements: resource.conference.postponements,
          applicants: [...resource.conference.applicants].sort(),
        }
      : null,
  };
}

/** The model's view of an initiative the API serves (for tests that set up state through the API). */
export function modelOf(resource: Initiative): ModelInitiative {
  const { bundesrat } = resource;
  return {
    id: resource.id,
    channel: resource.channel,
    leadLand: resource.leadLand,
    proposerSub: resource.proposer.sub,
    phase: resource.phase,
    revision: resource.revision,
    reviews: new Map(resource.reviews.map((r) => [r.land, r.status])),
    invitations: new Map(resource.invitations.map((i) => [i.land, i.status])),
    participants: new Map(resource.participants.map((p) => [p.land, p.role])),
    cabinet: new Map(resource.cabinetDecisions.map((d) => [d.land, d.status])),
    bundesrat: bundesrat
      ? {
          applicants: [...bundesrat.applicants],
          status: bundesrat.status,
          ...(bundesrat.procedure ? { procedure: bundesrat.procedure } : {}),
          ...(bundesrat.drucksache ? { drucksache: bundesrat.drucksache } : {}),
          session: bundesrat.plenarySession ?? null,
          postponements: bundesrat.postponements,
        }
      : null,
    public: bundesrat?.enteredAt !== undefined,
    extended: new Map(),
    cabinetDates: new Map(
      resource.cabinetDecisions.flatMap((d): [Land, string][] =>
        d.decidedOn ? [[d.land, d.decidedOn]] : [],
      ),
    ),
  };
}

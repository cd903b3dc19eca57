/**
 * The contract shared by the workflow, the activities and the API: inputs, the initiative resource,
 * the creation update, the state query and the failure types that cross the Temporal boundary. Imports
 * nothing non-deterministic, so the workflow bundle can include it.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Channel, Instrument, Land, Partner, Phase, Role, Topic } from './domain.js';
import type { RessortRef } from './ressorts.js';
import type { ConferenceSetup, ConferenceState } from './conference-stage.js';

export interface Person {
  sub: string;
  name: string;
}

/** The authenticated caller as the workflow needs it for the audit trail (never a token). */
export interface ActingPrincipal extends Person {
  land: Land;
  role: Role;
  /** The token's Ressort (a key of `land`), when it names one; the lead Ressort's ownership rests on it. */
  ressort?: string;
}

/** Who caused an audit event: a principal acting in one role, or the workflow's own timers. */
export type Actor = ActingPrincipal | { sub: 'system'; name: 'system'; land: null; role: 'system' };
export const SYSTEM_ACTOR: Actor = { sub: 'system', name: 'system', land: null, role: 'system' };

/** ISO 8601 durations; resolved from configuration and per-initiative overrides before the start. */
export interface Periods {
  review: string;
  reminderBefore: string;
  escalationGrace: string;
  revision: string;
  invitation: string;
  /** Runs started before this period existed carry none; the workflow falls back to P3D for them. */
  bundesratDecisionReminder?: string;
  /** Channel `laenderkreis`: reminder after the booked conference session (CONFERENCE_DECISION_REMINDER). */
  conferenceDecisionReminder?: string;
}

export interface InitiativeInput {
  id: string;
  title: string;
  summary: string;
  topic: Topic;
  channel: Channel;
  instrument: Instrument | null;
  ressort: string | null;
  /** The lead Ressort (the proposer's token Ressort, else the body's); runs started before it carry none. */
  leadRessort?: RessortRef | null;
  proposer: Person & { land: Partner };
  invite: Land[];
  periods: Periods;
  /** The motion text as stored by the API (docs/texts.md): its hash, never the text. */
  text?: TextRef;
  /** Channel `laenderkreis` only: the conference as the API found it at creation (docs/laenderkreis.md). */
  conference?: ConferenceSetup;
  /** The format it was started from (docs/formats.md); runs started before formats carry none. */
  originFormat?: string;
  /** The practices of the catalogue it is based on (docs/practices.md); absent when none. */
  basedOn?: string[];
}

/** A Markdown text the API stored content-addressed: only this crosses into workflow payloads. */
export interface TextRef {
  /** Lowercase sha256 hex of the text's UTF-8 bytes. */
  hash: string;
  /** Unicode code points. */
  length: number;
  /** Top-level blocks, the numbering of remarks. */
  paragraphs: number;
}

/** The initiative's current text version (docs/texts.md). */
export interface InitiativeText extends TextRef {
  version: number;
  updatedAt: string;
}

/** A reviewer's remark anchored to a paragraph of the text version decided on. */
export interface Remark {
  paragraph: number;
  text: string;
}

/**
 * A supporting document (docs/texts.md, Attachments): its bytes are in PostgreSQL, content-addressed by
 * `sha256`; the workflow knows only this description. Never deleted: the uploader may withdraw it.
 */
export interface Attachment {
  /** 1, 2, … in the order they were added. */
  id: number;
  title: string;
  filename: string;
  /** Decided from the content (magic bytes), never from the name or the declared type. */
  mediaType: string;
  size: number;
  sha256: string;
  by: Person & { land: Land };
  at: string;
  withdrawn: boolean;
  withdrawal?: { at: string; reason?: string };
}

export type ReviewStatus = 'pending' | 'approved' | 'changes_requested' | 'rejected';
export interface Review {
  land: Partner;
  status: ReviewStatus;
  by?: Person;
  at?: string;
  comment?: string;
  dueAt?: string;
  /** Once decided on an initiative with a text: the version and hash decided on, and the remarks. */
  textVersion?: number;
  textHash?: string;
  remarks?: Remark[];
}

export type InvitationStatus = 'pending' | 'joined' | 'declined' | 'no_response';
export interface Invitation {
  land: Land;
  status: InvitationStatus;
  dueAt?: string;
  invitedAt: string;
  answeredAt?: string;
}

export type ParticipantRole = 'partner' | 'invited' | 'joined' | 'declined' | 'no_response';
export interface Participant {
  land: Land;
  role: ParticipantRole;
}

export interface CabinetDecision {
  land: Land;
  status: 'pending' | 'approved' | 'declined';
  decidedOn?: string;
  by?: Person;
}

export interface PlenarySessionRef {
  number: number;
  date: string;
}

export type Procedure = 'committee' | 'immediate';
export type PlenaryDecision = 'adopted' | 'rejected' | 'postponed';

export interface BundesratState {
  applicants: Land[];
  status: 'preparing' | 'submitted' | 'referred' | 'decided';
  drucksache?: string;
  procedure?: Procedure;
  submittedOn?: string;
  plenarySession: PlenarySessionRef | null;
  postponements: number;
  committees?: string[];
  leadCommittee?: string;
  decision?: Exclude<PlenaryDecision, 'postponed'>;
  decidedOn?: string;
  /** For an adopted bill: decision date + 42 days, an estimate of the Art. 76(3) GG deadline. */
  forwardingDueOn?: string;
  /** The decision number `N/YY(B)` (issue 19; decisions recorded before it carry none). */
  decisionNumber?: string;
  /** Adopted with changes (nach Maßgabe). */
  withChanges?: boolean;
  /** The submission named its session: a corrected submission date does not rebook it. */
  sessionChosen?: boolean;
  /** Committee recommendations (`N/1/YY`) recorded after the referral; adjourned ones count apart. */
  recommendations?: CommitteeRecommendation[];
  /** Adjournments (Vertagung) by the committees: each moved the booking to the next session. */
  adjournments?: number;
  /** Art. 76(3) GG flags of a bill, set on submission (issue 19). */
  urgent?: boolean;
  constitutional?: boolean;
  /** After adoption: the Federal Government's receipt, extension, forwarding, the Bundestag's Drucksache. */
  followUp?: BundesratFollowUp;
  /** The rule that produced `forwardingDueOn` and the date it counts from (workflows/lifecycle/art76.ts). */
  forwarding?: ForwardingDeadline;
  /** When the initiative entered the bundesrat phase; from then on every principal may read it. */
  enteredAt?: string;
}

export interface CommitteeRecommendation {
  recommendation: 'adopt' | 'adopt_with_changes' | 'reject' | 'adjourned';
  drucksache: string;
  on: string;
}

export interface BundesratFollowUp {
  receivedOn?: string;
  extended?: boolean;
  forwardedOn?: string;
  bundestagDrucksache?: string;
}

/** How `forwardingDueOn` came about: the Art. 76(3) GG sentence, its weeks, and what they count from. */
export interface ForwardingDeadline {
  rule: string;
  weeks: number;
  /** `decision`: an estimate until the receipt by the Federal Government is recorded. */
  basis: 'decision' | 'receipt';
  from: string;
}

export const PENDING_ACTION_KINDS = [
  'review',
  'revise',
  'respond',
  'cabinet',
  'submit',
  'refer',
  'decide',
  'calendar',
  'register',
] as const;
export type PendingActionKind = (typeof PENDING_ACTION_KINDS)[number];
export interface PendingAction {
  action: PendingActionKind;
  land: Land;
  role: Role;
  dueAt?: string;
}

export interface Outcome {
  result: 'adopted' | 'rejected' | 'withdrawn' | 'expired';
  reason: string;
  at: string;
}

/** The initiative resource of docs/api.md, exactly as the API serves it and the read model stores it. */
export interface Initiative {
  id: string;
  title: string;
  summary: string;
  topic: Topic;
  channel: Channel;
  instrument: Instrument | null;
  ressort: string | null;
  /**
   * The Ressort that owns the initiative: its proposers may revise and withdraw it. Null when none was
   * named (ownership stays with the proposer in person); absent on initiatives created before Ressorts.
   */
  leadRessort?: RessortRef | null;
  /** Everyone who authored a version (the proposer, then each reviser): four-eyes keeps them from reviewing. */
  authors?: Person[];
  leadLand: Partner;
  proposer: Person & { land: Partner };
  phase: Phase;
  revision: number;
  overdue: boolean;
  reviews: Review[];
  invitations: Invitation[];
  participants: Participant[];
  cabinetDecisions: CabinetDecision[];
  bundesrat: BundesratState | null;
  /** Channel `laenderkreis` only: null before phase `conference`, then its stage (docs/laenderkreis.md). */
  conference?: ConferenceState | null;
  pendingActions: PendingAction[];
  outcome: Outcome | null;
  periods: Periods;
  /** The current motion text; absent or null for initiatives without one (docs/texts.md). */
  text?: InitiativeText | null;
  /** Supporting documents, oldest first; absent until the first is added (docs/texts.md). */
  attachments?: Attachment[];
  /** The format it was started from (docs/formats.md); absent when none. */
  originFormat?: string;
  /** The practices it is based on (docs/practices.md); absent when none. */
  basedOn?: string[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** One entry of the audit trail as the workflow produces it; the persisting activity chains the hash. */
export interface AuditEventDraft {
  seq: number;
  at: string;
  type: AuditEventType;
  actor: Actor;
  data: Record<string, unknown>;
}

/** What webhook subscribers can listen to (a lifecycle event may carry several). */
export const WEBHOOK_EVENTS = [
  'created',
  'review_requested',
  'reminder',
  'escalation',
  'phase_changed',
  'invitation',
  'expiry',
  'outcome',
  'extension',
  'correction',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export type AuditEventType =
  | 'initiative_created'
  | 'review_decided'
  | 'revision_submitted'
  | 'withdrawn'
  | 'phase_changed'
  | 'review_reminder'
  | 'review_escalated'
  | 'expired'
  | 'invitation_no_response'
  | 'invited'
  | 'invitation_answered'
  | 'cabinet_decided'
  | 'bundesrat_submitted'
  | 'bundesrat_referred'
  | 'plenary_decided'
  | 'accession_declared'
  | 'session_booked'
  | 'bundesrat_decision_reminder'
  | 'deadline_extended'
  | 'attachment_added'
  | 'attachment_withdrawn'
  | 'conference_registered'
  | 'coapplicant_joined'
  | 'conference_decided'
  | 'conference_decision_reminder'
  | 'conference_session_booked'
  | 'corrected'
  | 'committee_recommended'
  | 'bundesrat_follow_up';

// ---- Commands: each is a Workflow Update defined in the catalogue (workflows/commands/) and returns the
// initiative as persisted after it. ----

/** What every command carries besides its payload. */
export interface CommandBase {
  actor: ActingPrincipal;
  /** From `If-Match`: the command applies only to this version (else PreconditionFailed). */
  expectedVersion?: number;
}

/** Waits until the initiative's first state is in the read model; the API calls it right after start. */
export const creationUpdate = defineUpdate<Initiative, []>('awaitCreation');

/** Input of the notification workflow: the audit events of one persisted change. */
export interface NotificationBatch {
  initiativeId: string;
  fromSeq: number;
  toSeq: number;
}

export const stateQuery = defineQuery<LifecycleState>('state');

/** Failure types raised by update validators; the API maps them to HTTP statuses. */
export const FailureType = {
  Conflict: 'Conflict',
  Forbidden: 'Forbidden',
  PreconditionFailed: 'PreconditionFailed',
  InvalidInput: 'InvalidInput',
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];

/** A deadline the workflow keeps a timer for; internal bookkeeping, not part of the resource. */
export interface Deadline {
  kind: 'review' | 'revision' | 'invitation' | 'plenary' | 'conference';
  land: Land;
  dueAt: string;
  remindAt?: string;
  expireAt?: string;
  reminded: boolean;
  escalated: boolean;
}

/** The workflow's whole state: the resource plus timer bookkeeping and the audit sequence. */
export interface LifecycleState {
  initiative: Initiative;
  deadlines: Deadline[];
  auditSeq: number;
  /**
   * Set for runs started before the `fidelity-rules` patch (docs/domain.md, issue 19): they keep the old
   * behaviour on terminal phases (invitations stay `pending`) and remind the liaison before the referral.
   */
  legacy?: boolean;
  /** Channel `laenderkreis`: the conference the initiative goes to, until its stage begins. */
  conferenceSetup?: ConferenceSetup;
}

/** What the deadline activity is asked: when a period for a Land, started now, ends. */
export interface DeadlineRequest {
  kind: Deadline['kind'];
  land: Land;
  period: string;
  reminderBefore?: string;
  escalationGrace?: string;
  /** When the period starts, if not now (the liaison reminder runs from the session date). */
  from?: string;
  /** An extended deadline: the last day (`YYYY-MM-DD`) of the period instead of `period` counted from `from`. */
  until?: string;
}

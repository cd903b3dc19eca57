/**
 * What a catalogue entry is. Every command is defined once, here in workflows/commands/: its HTTP route,
 * its body schema, who may send it, its Workflow Update, the pure "may act now" check, the payload check
 * and the apply. The workflow registers its Update handlers from the entries (initiative.ts), the API its
 * routes and allowed actions (api/routes/commands.ts, api/allowed.ts), and the OpenAPI document and the
 * web forms follow from the routes' schemas.
 */
import type { UpdateDefinition } from '@temporalio/common';
import type { Static, TSchema } from 'typebox';
import type {
  ActingPrincipal,
  CommandBase,
  Initiative,
  LifecycleState,
  PlenarySessionRef,
  TextRef,
} from '../contracts.js';
import type { Land, Role } from '../domain.js';
import type { ConferenceSessionRef } from '../conference-stage.js';
import type { KoenigsteinTable } from '../conferences.js';
import type { Rejection, Transition } from '../lifecycle/frame.js';

/** Whoever sends a command, as the rules see them: a token's principal, or the actor of an Update. */
export interface Caller {
  sub: string;
  name: string;
  land: Land;
  roles: readonly Role[];
  /** The token's Ressort, a key of `land` (workflows/ressorts.ts). */
  ressort?: string;
}

/**
 * A who-may rule: why `caller` may not send the command on `initiative`, or undefined. `land` is the Land
 * the command is about: the `{land}` of its path where it has one (an invitation's answer), else the
 * caller's own.
 */
export type Rule = (caller: Caller, initiative: Initiative, land: Land) => string | undefined;

/** Who may send a command: one of `roles` ("Only a <role> <what>."), and every rule. */
export interface WhoMay<R = Rule> {
  roles: readonly [Role, ...Role[]];
  what: string;
  rules: readonly R[];
}

/** The plenary calendar as commands need it (db/bundesrat.ts implements it). */
export interface PlenaryCalendar {
  firstSessionFrom(date: string): Promise<PlenarySessionRef | undefined>;
  sessionAfter(date: string): Promise<PlenarySessionRef | undefined>;
  sessionNumbered(number: number): Promise<PlenarySessionRef | undefined>;
  reserveDrucksache(drucksache: string, initiativeId: string): Promise<boolean>;
  releaseDrucksache(drucksache: string, initiativeId: string): Promise<void>;
}

/** The conferences' calendars and the Königsteiner Schlüssel as commands need them (db/conferences.ts). */
export interface ConferenceCalendar {
  /** The first session of conference `key` on or after `date`. */
  firstSessionFrom(key: string, date: string): Promise<ConferenceSessionRef | undefined>;
  /** The session of conference `key` on `date`, if its calendar has one. */
  sessionOn(key: string, date: string): Promise<ConferenceSessionRef | undefined>;
  /** The first session of conference `key` after `date`. */
  sessionAfter(key: string, date: string): Promise<ConferenceSessionRef | undefined>;
  /** The table of `year`, else the newest earlier one. */
  koenigstein(year: number): Promise<KoenigsteinTable | undefined>;
}

/** Motion texts as commands need them: stored content-addressed before the Update (api/texts.ts). */
export interface TextStore {
  store(text: string): Promise<TextRef>;
}

/** What the API hands a command's `payload` besides the request. */
export interface CommandContext {
  calendar: PlenaryCalendar;
  /** Days between a Bundesrat submission and the earliest bookable session (BUNDESRAT_LEAD_DAYS). */
  leadDays: number;
  texts: TextStore;
  conferences: ConferenceCalendar;
}

export interface PayloadInput<Body> {
  body: Body;
  /** The path's `{land}`, for commands about one Land. */
  land: Land | undefined;
  initiative: Initiative;
  context: CommandContext;
}

export interface FieldError {
  path: string;
  message: string;
}

/** A command's payload as the Update receives it, without the actor and `expectedVersion` (the API adds them). */
export type Payload<C extends CommandBase> = Omit<C, keyof CommandBase>;

export interface CommandDefinition<Body extends TSchema, C extends CommandBase> {
  /** The name front ends know it by (allowed actions, forms). */
  action: string;
  /** The Workflow Update. Its name is recorded in histories of running initiatives: never rename it. */
  update: UpdateDefinition<Initiative, [C]>;
  /** The HTTP route below `/v1/initiatives/{id}`; none for commands the API issues itself. */
  http?: {
    path: string;
    summary: string;
    body: Body;
    /** A larger body limit than the app's, in bytes (a revision's motion text). */
    bodyLimit?: number;
    /** The command carries nothing but its caller: an absent body counts as `{}`. */
    emptyBody?: boolean;
    /** Input errors no schema can state: answered 400 before the initiative is read. */
    invalid?: (body: Static<Body>) => { detail: string; errors: FieldError[] } | undefined;
    /** The Update's payload; by default the body (with the path's `land`). May refuse with a Rejection. */
    payload?: (input: PayloadInput<Static<Body>>) => Payload<C> | Promise<Payload<C>>;
    /** After a definite refusal, gives back what `payload` reserved. */
    onRefused?: (input: PayloadInput<Static<Body>>) => Promise<void>;
    /** After the Update succeeded, gives back what the command made free (a corrected Drucksache). */
    onAccepted?: (input: PayloadInput<Static<Body>>) => Promise<void>;
  };
  who: WhoMay;
  /**
   * The command changes recorded facts, never the phase: it is accepted on terminal initiatives too
   * (corrections, the Bundesrat follow-up), whose workflows stay open for it (initiative.ts).
   */
  afterClose?: boolean;
  /**
   * A `patched()` id the handler asks before it applies the command (issue 19): `apply` receives whether
   * the run has it, so that histories recorded before the change replay the behaviour of before.
   */
  patch?: string;
  /** May the actor act on the state as it is (no payload needed): the allowed actions ask this. */
  mayAct: (state: LifecycleState, actor: ActingPrincipal) => Rejection | undefined;
  /** Does this payload fit the state (e.g. a Land invited twice)? */
  checkPayload?: (state: LifecycleState, command: C) => Rejection | undefined;
  apply: (state: LifecycleState, command: C, now: string, patchedRun: boolean) => Transition;
}

/** A catalogue entry with its types erased, as the consumers iterate the catalogue. */
export type Command = CommandDefinition<TSchema, CommandBase>;

/** An entry, checked against its own body and payload types. */
export const defineCommand = <Body extends TSchema, C extends CommandBase>(
  definition: CommandDefinition<Body, C>,
) => definition;

/**
 * Erases an entry's types for the catalogue. Sound because each consumer hands an entry only what came
 * through that same entry: its body schema validated the body, its `payload` built the Update's argument.
 */
export const erased = <Body extends TSchema, C extends CommandBase>(
  definition: CommandDefinition<Body, C>,
): Command => definition as unknown as Command;

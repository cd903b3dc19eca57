/** The Bundesrat stage's commands: submission, referral, the plenary's decision, and booking a session. */
import { defineUpdate } from '@temporalio/workflow';
import { Type } from 'typebox';
import { FailureType, type Initiative } from '../contracts.js';
import { addDays } from '../../lib/dates.js';
import { Rejection } from '../lifecycle/frame.js';
import {
  applyBooking,
  applyPlenaryDecision,
  applyReferral,
  applySubmission,
  checkPlenaryDecision,
  checkSubmission,
  mayBook,
  mayDecidePlenary,
  mayRefer,
  maySubmit,
  type BookingCommand,
  type PlenaryDecisionCommand,
  type ReferralCommand,
  type SubmissionCommand,
} from '../lifecycle/bundesrat.js';
import { CalendarDate, oneOf } from '../schemas.js';
import { defineCommand, type WhoMay } from './define.js';
import { leadLand } from './rules.js';

const liaison: WhoMay = { roles: ['liaison'], what: 'records Bundesrat events', rules: [leadLand] };

/** A Bundesrat printed paper number N/YY. */
export const DRUCKSACHE_PATTERN = '^[1-9]\\d{0,4}/\\d{2}$';

const session = (s: { number: number; date: string }) => ({ number: s.number, date: s.date });

export const submit = defineCommand({
  action: 'submit',
  update: defineUpdate<Initiative, [SubmissionCommand]>('submitToBundesrat'),
  http: {
    path: '/bundesrat/submission',
    summary: 'Record the submission to the Bundesrat (liaison of the lead Land); books the plenary session',
    body: Type.Object(
      {
        drucksache: Type.String({
          pattern: DRUCKSACHE_PATTERN,
          description: 'Bundesrat printed paper number N/YY',
          examples: ['123/26'],
        }),
        submittedOn: CalendarDate,
        procedure: oneOf(['committee', 'immediate'] as const, 'committee referral or immediate decision'),
        plenarySession: Type.Optional(
          Type.Integer({
            minimum: 1,
            maximum: 99_999,
            description:
              'the session to book: a number of the plenary calendar on or after submittedOn (default: the first at least BUNDESRAT_LEAD_DAYS after it)',
            examples: [1071],
          }),
        ),
        urgent: Type.Optional(
          Type.Boolean({ description: 'a bill the Bundesrat marks exceptionally urgent (Art. 76(3) GG)' }),
        ),
        constitutional: Type.Optional(
          Type.Boolean({
            description: 'a bill amending the Grundgesetz or transferring sovereign rights (Art. 23/24 GG)',
          }),
        ),
      },
      {
        additionalProperties: false,
        examples: [
          { drucksache: '512/26', submittedOn: '2026-11-30', procedure: 'committee' },
          { drucksache: '513/26', submittedOn: '2026-11-30', procedure: 'immediate', urgent: true },
        ],
      },
    ),
    // The workflow cannot read the calendar: the API books the chosen session, else the first one far
    // enough after submission.
    payload: async ({ body, initiative, context: { calendar, leadDays } }) => {
      const { plenarySession: chosen, ...rest } = body;
      const earliest = addDays(body.submittedOn, leadDays);
      const first =
        chosen === undefined
          ? await calendar.firstSessionFrom(earliest)
          : await calendar.sessionNumbered(chosen);
      if (chosen !== undefined && (!first || first.date < body.submittedOn))
        throw new Rejection(
          FailureType.Conflict,
          first
            ? `Session ${chosen} (${first.date}) lies before the submission on ${body.submittedOn}.`
            : `The plenary calendar has no session ${chosen}.`,
        );
      if (!first)
        throw new Rejection(
          FailureType.Conflict,
          `The plenary calendar has no session on or after ${earliest} (${leadDays} days after submission); an admin must extend it.`,
        );
      if (!(await calendar.reserveDrucksache(body.drucksache, initiative.id)))
        throw new Rejection(
          FailureType.Conflict,
          `Drucksache ${body.drucksache} belongs to another initiative.`,
        );
      return { ...rest, session: session(first), ...(chosen === undefined ? {} : { chosen: true }) };
    },
    onRefused: async ({ body, initiative, context }) => {
      if (initiative.bundesrat?.drucksache !== body.drucksache)
        await context.calendar.releaseDrucksache(body.drucksache, initiative.id);
    },
  },
  who: liaison,
  patch: 'fidelity-bundesrat',
  mayAct: maySubmit,
  checkPayload: checkSubmission,
  apply: applySubmission,
});

export const refer = defineCommand({
  action: 'refer',
  update: defineUpdate<Initiative, [ReferralCommand]>('referToCommittees'),
  http: {
    path: '/bundesrat/referral',
    summary: 'Record the referral to committees (committee procedure)',
    body: Type.Object(
      {
        committees: Type.Array(Committee(), { minItems: 1, maxItems: 20, uniqueItems: true }),
        leadCommittee: Committee(),
      },
      { additionalProperties: false, examples: [{ committees: ['In', 'R', 'Wi'], leadCommittee: 'In' }] },
    ),
    invalid: ({ committees, leadCommittee }) =>
      committees.includes(leadCommittee)
        ? undefined
        : {
            detail: 'The lead committee must be one of the committees.',
            errors: [{ path: 'body/leadCommittee', message: `is not among ${committees.join(', ')}` }],
          },
  },
  who: liaison,
  patch: 'fidelity-bundesrat',
  mayAct: mayRefer,
  apply: applyReferral,
});

export const decide = defineCommand({
  action: 'decide',
  update: defineUpdate<Initiative, [PlenaryDecisionCommand]>('decidePlenary'),
  http: {
    path: '/bundesrat/decision',
    summary: "Record the plenary's decision: adopted, rejected or postponed (to the next session)",
    body: Type.Object(
      {
        decision: oneOf(['adopted', 'rejected', 'postponed'] as const),
        decidedOn: CalendarDate,
        withChanges: Type.Optional(
          Type.Boolean({ description: 'adopted with changes (nach Maßgabe); only with adopted' }),
        ),
        decisionNumber: Type.Optional(
          Type.String({
            pattern: '^[1-9]\\d{0,4}/\\d{2}\\(B\\)$',
            description: "the decision's number: the motion's Drucksache with (B)",
            examples: ['512/26(B)'],
          }),
        ),
      },
      {
        additionalProperties: false,
        examples: [
          { decision: 'adopted', decidedOn: '2026-12-18' },
          { decision: 'adopted', decidedOn: '2026-12-18', withChanges: true, decisionNumber: '512/26(B)' },
        ],
      },
    ),
    invalid: ({ decision, withChanges }) =>
      withChanges && decision !== 'adopted'
        ? {
            detail: 'Only an adoption is made with changes (nach Maßgabe).',
            errors: [{ path: 'body/withChanges', message: `is not allowed with ${decision}` }],
          }
        : undefined,
    // A postponement books the calendar's next session (none past the calendar's end).
    payload: async ({ body, initiative, context: { calendar } }) => {
      if (body.decision !== 'postponed') return body;
      const next = await calendar.sessionAfter(initiative.bundesrat?.plenarySession?.date ?? body.decidedOn);
      return { ...body, nextSession: next ? session(next) : null };
    },
  },
  who: liaison,
  patch: 'fidelity-bundesrat',
  mayAct: mayDecidePlenary,
  checkPayload: checkPlenaryDecision,
  apply: applyPlenaryDecision,
});

/** Issued by the API itself when an admin extends the calendar (PUT /v1/bundesrat/sessions). */
export const book = defineCommand({
  action: 'book',
  update: defineUpdate<Initiative, [BookingCommand]>('bookSession'),
  who: { roles: ['admin'], what: 'maintains the plenary calendar', rules: [] },
  mayAct: mayBook,
  apply: applyBooking,
});

export function Committee() {
  return Type.String({
    minLength: 1,
    maxLength: 20,
    pattern: '^[A-Za-zÄÖÜäöüß][A-Za-zÄÖÜäöüß -]*$',
    examples: ['In', 'R', 'Wi'],
  });
}

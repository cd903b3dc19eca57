/** Corrections of recorded Bundesrat facts and cabinet dates (docs/domain.md#corrections). */
import { defineUpdate } from '@temporalio/workflow';
import { Type, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { FailureType, type Initiative } from '../contracts.js';
import { addDays } from '../../lib/dates.js';
import {
  CORRECTABLE_FIELDS,
  applyCorrection,
  checkCorrection,
  committeesOf,
  mayCorrect,
  type CorrectableField,
  type CorrectionCommand,
} from '../lifecycle/corrections.js';
import { Rejection } from '../lifecycle/frame.js';
import { CalendarDate, Text, oneOf } from '../schemas.js';
import { Committee, DRUCKSACHE_PATTERN } from './bundesrat.js';
import { defineCommand, type Rule } from './define.js';
import { leadLand } from './rules.js';

/** What each field's value must look like (400 before the initiative is read). */
const VALUES: Record<CorrectableField, { schema: TSchema; what: string }> = {
  drucksache: { schema: Type.String({ pattern: DRUCKSACHE_PATTERN }), what: 'a Drucksache N/YY' },
  submittedOn: { schema: CalendarDate, what: 'a date YYYY-MM-DD' },
  procedure: { schema: oneOf(['committee', 'immediate'] as const), what: 'committee or immediate' },
  committees: {
    schema: Type.Array(Committee(), { minItems: 1, maxItems: 20, uniqueItems: true }),
    what: 'committee abbreviations separated by commas',
  },
  leadCommittee: { schema: Committee(), what: 'a committee abbreviation' },
  decidedOn: { schema: CalendarDate, what: 'a date YYYY-MM-DD' },
  decisionNumber: {
    schema: Type.String({ pattern: '^[1-9]\\d{0,4}/\\d{2}\\(B\\)$' }),
    what: 'a decision number N/YY(B)',
  },
  cabinetDecidedOn: { schema: CalendarDate, what: 'a date YYYY-MM-DD' },
};

/** A liaison corrects as the lead Land's liaison; a cabinet principal only where its Land decided. */
const recordedIt: Rule = (caller, initiative) => {
  if (caller.roles.includes('liaison')) return leadLand(caller, initiative);
  return initiative.cabinetDecisions.some((d) => d.land === caller.land)
    ? undefined
    : `${caller.land} records no cabinet decision on this initiative.`;
};

export const correct = defineCommand({
  action: 'correct',
  update: defineUpdate<Initiative, [CorrectionCommand]>('correctRecord'),
  http: {
    path: '/corrections',
    summary:
      'Correct a recorded Bundesrat fact (liaison of the lead Land) or a cabinet decision date (its cabinet); also on closed initiatives',
    body: Type.Object(
      {
        field: oneOf(CORRECTABLE_FIELDS, 'the recorded fact to correct'),
        value: Type.String({
          minLength: 1,
          maxLength: 400,
          description:
            'the right value: a date YYYY-MM-DD, a Drucksache N/YY, committee or immediate, a decision number N/YY(B); committees separated by commas',
          examples: ['2026-11-27'],
        }),
        reason: Text(2_000),
      },
      {
        additionalProperties: false,
        examples: [
          { field: 'submittedOn', value: '2026-11-27', reason: 'Eingangsdatum falsch übernommen.' },
          { field: 'committees', value: 'In, R', reason: 'Wi wurde nicht beteiligt.' },
        ],
      },
    ),
    invalid: ({ field, value }) => {
      const { schema, what } = VALUES[field];
      const candidate = field === 'committees' ? committeesOf(value) : value;
      return Value.Check(schema, candidate)
        ? undefined
        : {
            detail: `${field} must be ${what}.`,
            errors: [{ path: 'body/value', message: `is not ${what}` }],
          };
    },
    // The register and the calendar are the API's: a new Drucksache is reserved, a new submission date books.
    payload: async ({ body, initiative, context: { calendar, leadDays } }) => {
      const bundesrat = initiative.bundesrat;
      if (body.field === 'drucksache' && bundesrat?.drucksache !== body.value) {
        if (!(await calendar.reserveDrucksache(body.value, initiative.id)))
          throw new Rejection(
            FailureType.Conflict,
            `Drucksache ${body.value} belongs to another initiative.`,
          );
      }
      if (
        body.field === 'submittedOn' &&
        bundesrat &&
        (bundesrat.status === 'submitted' || bundesrat.status === 'referred') &&
        bundesrat.postponements === 0 &&
        !bundesrat.adjournments &&
        !bundesrat.sessionChosen
      ) {
        const earliest = addDays(body.value, leadDays);
        const first = await calendar.firstSessionFrom(earliest);
        if (!first)
          throw new Rejection(
            FailureType.Conflict,
            `The plenary calendar has no session on or after ${earliest}; an admin must extend it.`,
          );
        return { ...body, session: { number: first.number, date: first.date } };
      }
      return body;
    },
    onRefused: async ({ body, initiative, context }) => {
      if (body.field === 'drucksache' && initiative.bundesrat?.drucksache !== body.value)
        await context.calendar.releaseDrucksache(body.value, initiative.id);
    },
    onAccepted: async ({ body, initiative, context }) => {
      const old = initiative.bundesrat?.drucksache;
      if (body.field === 'drucksache' && old !== undefined && old !== body.value)
        await context.calendar.releaseDrucksache(old, initiative.id);
    },
  },
  who: { roles: ['liaison', 'cabinet'], what: 'corrects recorded facts', rules: [recordedIt] },
  afterClose: true,
  patch: 'fidelity-corrections',
  mayAct: mayCorrect,
  checkPayload: checkCorrection,
  apply: applyCorrection,
});

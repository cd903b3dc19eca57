/** The committees' recommendation and the follow-up of an adopted bill (docs/domain.md#bundesrat, issue 19). */
import { defineUpdate } from '@temporalio/workflow';
import { Type } from 'typebox';
import type { Initiative } from '../contracts.js';
import {
  RECOMMENDATIONS,
  applyFollowUp,
  applyRecommendation,
  checkFollowUp,
  checkRecommendation,
  mayFollowUp,
  mayRecommend,
  type FollowUpCommand,
  type RecommendationCommand,
} from '../lifecycle/bundesrat-refinements.js';
import { CalendarDate, oneOf } from '../schemas.js';
import { defineCommand, type WhoMay } from './define.js';
import { leadLand } from './rules.js';

const liaison: WhoMay = { roles: ['liaison'], what: 'records Bundesrat events', rules: [leadLand] };

export const recommend = defineCommand({
  action: 'recommend',
  update: defineUpdate<Initiative, [RecommendationCommand]>('recordRecommendation'),
  http: {
    path: '/bundesrat/recommendation',
    summary:
      "Record the committees' recommendation (after the referral); adjourned moves the booking to the next session",
    body: Type.Object(
      {
        recommendation: oneOf(RECOMMENDATIONS, 'adjourned: the committees adjourned (Vertagung)'),
        drucksache: Type.String({
          pattern: '^[1-9]\\d{0,4}/1/\\d{2}$',
          description: "the recommendation's number: the motion's Drucksache with /1/ (N/1/YY)",
          examples: ['512/1/26'],
        }),
        on: CalendarDate,
      },
      {
        additionalProperties: false,
        examples: [{ recommendation: 'adopt_with_changes', drucksache: '512/1/26', on: '2026-12-07' }],
      },
    ),
    // An adjournment books the calendar's next session (none past the calendar's end).
    payload: async ({ body, initiative, context: { calendar } }) => {
      if (body.recommendation !== 'adjourned') return body;
      const next = await calendar.sessionAfter(initiative.bundesrat?.plenarySession?.date ?? body.on);
      return { ...body, nextSession: next ? { number: next.number, date: next.date } : null };
    },
  },
  who: liaison,
  patch: 'fidelity-bundesrat',
  mayAct: mayRecommend,
  checkPayload: checkRecommendation,
  apply: applyRecommendation,
});

export const followUp = defineCommand({
  action: 'follow-up',
  update: defineUpdate<Initiative, [FollowUpCommand]>('recordFollowUp'),
  http: {
    path: '/bundesrat/follow-up',
    summary:
      "Record the adopted bill's follow-up (Art. 76(3) GG): receipt by the Federal Government, extension, forwarding, Bundestag Drucksache",
    body: Type.Object(
      {
        receivedOn: Type.Optional(
          Type.Unsafe<string>({
            ...CalendarDate,
            description:
              'the day the Federal Government received the bill; the forwarding deadline counts from it',
          }),
        ),
        extended: Type.Optional(
          Type.Boolean({
            description: 'the Federal Government asked for an extension for important reasons',
          }),
        ),
        forwardedOn: Type.Optional(
          Type.Unsafe<string>({
            ...CalendarDate,
            description: 'the day it forwarded the bill to the Bundestag',
          }),
        ),
        bundestagDrucksache: Type.Optional(
          Type.String({
            pattern: '^\\d{2}/\\d{1,5}$',
            description: "the Bundestag's printed paper number (Wahlperiode/number)",
            examples: ['21/1234'],
          }),
        ),
      },
      {
        additionalProperties: false,
        minProperties: 1,
        examples: [
          { receivedOn: '2027-01-08' },
          { extended: true },
          { forwardedOn: '2027-02-12', bundestagDrucksache: '21/4711' },
        ],
      },
    ),
  },
  who: liaison,
  afterClose: true,
  patch: 'fidelity-bundesrat',
  mayAct: mayFollowUp,
  checkPayload: checkFollowUp,
  apply: applyFollowUp,
});

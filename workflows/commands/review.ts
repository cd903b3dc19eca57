/** The review round's commands: decide a review, submit a revision, withdraw. */
import { defineUpdate } from '@temporalio/workflow';
import { Type } from 'typebox';
import {
  applyReview,
  applyRevision,
  applyWithdrawal,
  checkReviewText,
  mayReview,
  mayRevise,
  mayWithdraw,
  type ReviewCommand,
  type RevisionCommand,
  type WithdrawalCommand,
} from '../lifecycle/review.js';
import type { Initiative } from '../contracts.js';
import { MotionText, Remarks, TEXT_BODY_LIMIT, Text, oneOf } from '../schemas.js';
import { defineCommand } from './define.js';
import { fourEyes, leadRessortOwns, partnerLand } from './rules.js';

export const review = defineCommand({
  action: 'review',
  update: defineUpdate<Initiative, [ReviewCommand]>('review'),
  http: {
    path: '/reviews',
    summary: "Decide the caller's Land's review in the current round",
    body: Type.Object(
      {
        decision: oneOf(['approve', 'request_changes', 'reject'] as const),
        comment: Type.Optional(Text(10_000)),
        textVersion: Type.Optional(
          Type.Integer({ minimum: 1, description: 'the text version read; 409 unless current' }),
        ),
        remarks: Type.Optional(Remarks),
      },
      {
        additionalProperties: false,
        examples: [
          { decision: 'approve' },
          {
            decision: 'request_changes',
            comment: 'Bitte Absatz 2 präzisieren.',
            textVersion: 1,
            remarks: [{ paragraph: 2, text: 'Welche Behörde ist zuständig?' }],
          },
          { decision: 'request_changes', comment: 'Bitte Kosten ergänzen.' },
        ],
        description: 'A comment is required unless the decision is approve (docs/domain.md).',
        if: { properties: { decision: { enum: ['request_changes', 'reject'] } }, required: ['decision'] },
        then: { required: ['comment'] },
      },
    ),
  },
  who: {
    roles: ['reviewer'],
    what: 'decides a review',
    rules: [partnerLand('review initiatives'), fourEyes],
  },
  mayAct: mayReview,
  checkPayload: checkReviewText,
  apply: applyReview,
});

export const revise = defineCommand({
  action: 'revise',
  update: defineUpdate<Initiative, [RevisionCommand]>('revise'),
  http: {
    path: '/revisions',
    summary: 'Submit a revision (proposer, phase revision); starts a new review round',
    body: Type.Object(
      {
        title: Type.Optional(Text(300)),
        summary: Type.Optional(Text(20_000)),
        text: Type.Optional(MotionText),
        comment: Text(10_000),
      },
      {
        additionalProperties: false,
        examples: [{ summary: 'Mit Kostenschätzung.', comment: 'Kosten ergänzt.' }],
      },
    ),
    bodyLimit: TEXT_BODY_LIMIT,
    // The text goes into PostgreSQL; the Update carries its hash (docs/texts.md).
    payload: async ({ body, context }) => {
      const { text, ...rest } = body;
      return text === undefined ? rest : { ...rest, text: await context.texts.store(text) };
    },
  },
  who: { roles: ['proposer'], what: 'submits revisions', rules: [leadRessortOwns('submits revisions')] },
  mayAct: mayRevise,
  apply: applyRevision,
});

export const withdraw = defineCommand({
  action: 'withdraw',
  update: defineUpdate<Initiative, [WithdrawalCommand]>('withdraw'),
  http: {
    path: '/withdrawal',
    summary: 'Withdraw the initiative (proposer, any open phase)',
    body: Type.Object(
      { reason: Text(2_000) },
      { additionalProperties: false, examples: [{ reason: 'Vom Bund aufgegriffen.' }] },
    ),
  },
  who: { roles: ['proposer'], what: 'withdraws it', rules: [leadRessortOwns('withdraws it')] },
  mayAct: mayWithdraw,
  apply: applyWithdrawal,
});

/** Deadline extensions (Fristverlängerung): the lead Land's proposer or cabinet moves a pending deadline. */
import { defineUpdate } from '@temporalio/workflow';
import { Type } from 'typebox';
import type { Initiative } from '../contracts.js';
import {
  EXTENDABLE_ACTIONS,
  applyExtension,
  checkExtension,
  mayExtend,
  type ExtensionCommand,
} from '../lifecycle/extensions.js';
import { CalendarDate, LandSchema, Text, oneOf } from '../schemas.js';
import { defineCommand } from './define.js';
import { ofLeadLand } from './rules.js';

export const extend = defineCommand({
  action: 'extend',
  update: defineUpdate<Initiative, [ExtensionCommand]>('extendDeadline'),
  http: {
    path: '/extensions',
    summary: "Extend a pending review's, answer's or revision's deadline (lead Land: proposer or cabinet)",
    body: Type.Object(
      {
        action: oneOf(EXTENDABLE_ACTIONS, 'the pending action whose deadline moves'),
        land: Type.Optional(
          Type.Unsafe<ExtensionCommand['land']>({
            ...LandSchema,
            description: 'the Land whose review or answer is extended (a revision is the lead Land’s)',
          }),
        ),
        until: Type.Unsafe<string>({
          ...CalendarDate,
          description:
            'the new last day; the period ends at 24:00 Europe/Berlin, rolled over by § 193 BGB; after the current last day, at most 60 days beyond it',
        }),
        reason: Text(2_000),
      },
      {
        additionalProperties: false,
        examples: [
          { action: 'review', land: 'NW', until: '2026-04-10', reason: 'Ressortabstimmung dauert an.' },
        ],
        description: 'A review or an answer names its Land (docs/domain.md#deadline-extensions).',
        if: { properties: { action: { enum: ['review', 'respond'] } }, required: ['action'] },
        then: { required: ['land'] },
      },
    ),
  },
  who: {
    roles: ['proposer', 'cabinet'],
    what: 'extends deadlines',
    rules: [ofLeadLand('extends deadlines')],
  },
  mayAct: mayExtend,
  checkPayload: checkExtension,
  apply: applyExtension,
});

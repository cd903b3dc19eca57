/** Further Länder and the cabinets: invite, answer an invitation, record a cabinet decision, accede. */
import { defineUpdate } from '@temporalio/workflow';
import { Type } from 'typebox';
import type { Initiative } from '../contracts.js';
import { isPartner } from '../domain.js';
import {
  applyAccession,
  applyCabinet,
  applyInvitation,
  applyInvitationAnswer,
  checkInvitationPayload,
  mayAccede,
  mayAnswerInvitation,
  mayDecideCabinet,
  mayInvite,
  type AccessionCommand,
  type CabinetCommand,
  type InvitationAnswerCommand,
  type InvitationCommand,
} from '../lifecycle/participation.js';
import { CalendarDate, Comment, LandSchema, oneOf } from '../schemas.js';
import { defineCommand } from './define.js';
import { ownLand, partnerLand, takesPart } from './rules.js';

export const invite = defineCommand({
  action: 'invite',
  update: defineUpdate<Initiative, [InvitationCommand]>('invite'),
  http: {
    path: '/invitations',
    summary: 'Invite non-partner Länder (partners, in review, revision or consultation)',
    body: Type.Object(
      { lands: Type.Array(LandSchema, { minItems: 1, maxItems: 14, uniqueItems: true }), comment: Comment },
      { additionalProperties: false, examples: [{ lands: ['HE'], comment: 'Hessen plant Ähnliches.' }] },
    ),
    invalid: ({ lands }) => {
      const partners = lands.filter(isPartner);
      return partners.length === 0
        ? undefined
        : {
            detail: 'Partners review anyway; only further Länder are invited.',
            errors: [{ path: 'body/lands', message: `${partners.join(', ')} is a partner` }],
          };
    },
  },
  // A reviewer invites as reviewer, a proposer as proposer; the rules are the same.
  who: {
    roles: ['reviewer', 'proposer'],
    what: 'invites further Länder',
    rules: [partnerLand('invite further Länder')],
  },
  mayAct: mayInvite,
  checkPayload: checkInvitationPayload,
  apply: applyInvitation,
});

export const respond = defineCommand({
  action: 'respond',
  update: defineUpdate<Initiative, [InvitationAnswerCommand]>('answerInvitation'),
  http: {
    path: '/invitations/:land',
    summary: 'Answer an invitation (a reviewer of the invited Land): join or decline',
    body: Type.Object(
      { decision: oneOf(['join', 'decline'] as const), comment: Comment },
      { additionalProperties: false, examples: [{ decision: 'join' }] },
    ),
  },
  who: {
    roles: ['reviewer'],
    what: 'answers an invitation',
    rules: [ownLand((land) => `Only a reviewer of ${land} answers ${land}'s invitation.`)],
  },
  // The rule above makes the path's Land the actor's own: the actor's invitation is the one answered.
  mayAct: (state, actor) => mayAnswerInvitation(state, actor.land),
  apply: applyInvitationAnswer,
});

export const cabinet = defineCommand({
  action: 'cabinet',
  update: defineUpdate<Initiative, [CabinetCommand]>('decideCabinet'),
  http: {
    path: '/cabinet-decisions',
    summary: "Record the caller's Land's cabinet decision (Kabinettsbeschluss)",
    body: Type.Object(
      { decision: oneOf(['approve', 'decline'] as const), decidedOn: CalendarDate },
      { additionalProperties: false, examples: [{ decision: 'approve', decidedOn: '2026-12-01' }] },
    ),
  },
  who: { roles: ['cabinet'], what: 'records a cabinet decision', rules: [takesPart] },
  mayAct: mayDecideCabinet,
  apply: applyCabinet,
});

export const accede = defineCommand({
  action: 'accede',
  update: defineUpdate<Initiative, [AccessionCommand]>('accede'),
  http: {
    path: '/bundesrat/accessions',
    summary: "Declare the caller's Land's accession (Beitritt) to a Bundesrat motion",
    body: Type.Object({}, { additionalProperties: false }),
    emptyBody: true,
  },
  who: { roles: ['cabinet'], what: 'declares accession', rules: [] },
  mayAct: mayAccede,
  apply: applyAccession,
});

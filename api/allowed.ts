/**
 * What a principal may do right now, for front ends that show only the controls that would be accepted.
 * Computed with the very rules a command meets: the API's authorisation (access.ts) and the workflow's
 * pure validators (lifecycle.ts) on the initiative as stored, so that the two can never disagree except
 * when someone else acted in between (which the command then answers with 409 or 412).
 */
import type { ActingPrincipal, Initiative, LifecycleState } from '../workflows/contracts.js';
import { LANDS, isPartner, type Land, type Role } from '../workflows/domain.js';
import {
  checkAccession,
  checkCabinet,
  checkInvitation,
  checkInvitationAnswer,
  checkPlenaryDecision,
  checkReferral,
  checkReview,
  checkRevision,
  checkSubmission,
  checkWithdrawal,
  type Rejection,
} from '../workflows/lifecycle.js';
import {
  authoriseAccession,
  authoriseCabinet,
  authoriseCreate,
  authoriseInvitation,
  authoriseInvitationAnswer,
  authoriseLiaison,
  authoriseProposerCommand,
  authoriseReview,
} from './access.js';
import type { Principal } from './auth.js';
import { HttpProblem } from './problems.js';

export const ACTIONS = [
  'create',
  'review',
  'revise',
  'withdraw',
  'invite',
  'respond',
  'cabinet',
  'submit',
  'refer',
  'decide',
  'accede',
] as const;
export type ActionName = (typeof ACTIONS)[number];

export interface AllowedAction {
  action: ActionName;
  method: 'POST';
  /** The path template as in the OpenAPI document, where the request body's schema is found. */
  operation: string;
  /** The path to send the command to. */
  path: string;
  /** `create` and `invite`: the Länder that can be invited. */
  lands?: Land[];
}

/** Non-partner Länder not invited yet. */
const invitableLands = (initiative?: Initiative): Land[] =>
  LANDS.filter(
    (land) => !isPartner(land) && !initiative?.invitations.some((invitation) => invitation.land === land),
  );

/** True when the API's authorisation lets the principal through (it throws 403 problems otherwise). */
function authorised(authorise: () => void): boolean {
  try {
    authorise();
    return true;
  } catch (error) {
    if (error instanceof HttpProblem) return false;
    throw error;
  }
}

export function allowedWithoutInitiative(principal: Principal): AllowedAction[] {
  if (!authorised(() => authoriseCreate(principal))) return [];
  return [
    {
      action: 'create',
      method: 'POST',
      operation: '/v1/initiatives',
      path: '/v1/initiatives',
      lands: invitableLands(),
    },
  ];
}

interface Rule {
  action: Exclude<ActionName, 'create'>;
  /** The path below /v1/initiatives/{id}. */
  suffix: string;
  /** The role the command acts in; the validators see the principal in it. */
  role: Role;
  authorise: (principal: Principal, initiative: Initiative) => void;
  check: (state: LifecycleState, actor: ActingPrincipal) => Rejection | undefined;
}

const RULES: Rule[] = [
  {
    action: 'review',
    suffix: '/reviews',
    role: 'reviewer',
    authorise: authoriseReview,
    check: (state, actor) => checkReview(state, { actor, decision: 'approve' }),
  },
  {
    action: 'revise',
    suffix: '/revisions',
    role: 'proposer',
    authorise: (principal, initiative) =>
      authoriseProposerCommand(principal, initiative, 'submits revisions'),
    check: (state, actor) => checkRevision(state, { actor, comment: '-' }),
  },
  {
    action: 'withdraw',
    suffix: '/withdrawal',
    role: 'proposer',
    authorise: (principal, initiative) => authoriseProposerCommand(principal, initiative, 'withdraws it'),
    check: (state, actor) => checkWithdrawal(state, { actor, reason: '-' }),
  },
  {
    action: 'invite',
    suffix: '/invitations',
    // The route acts as reviewer when the principal is one, else as proposer; the rules are the same.
    role: 'reviewer',
    authorise: (principal) => authoriseInvitation(principal),
    check: (state, actor) => checkInvitation(state, { actor, lands: [] }),
  },
  {
    action: 'respond',
    suffix: '/invitations/{land}',
    role: 'reviewer',
    authorise: (principal) => authoriseInvitationAnswer(principal, principal.land),
    check: (state, actor) => checkInvitationAnswer(state, { actor, land: actor.land, decision: 'join' }),
  },
  {
    action: 'cabinet',
    suffix: '/cabinet-decisions',
    role: 'cabinet',
    authorise: authoriseCabinet,
    check: (state, actor) => checkCabinet(state, { actor, decision: 'approve', decidedOn: '2000-01-01' }),
  },
  {
    action: 'submit',
    suffix: '/bundesrat/submission',
    role: 'liaison',
    authorise: authoriseLiaison,
    check: (state, actor) =>
      checkSubmission(state, {
        actor,
        drucksache: '1/00',
        submittedOn: '2000-01-01',
        procedure: 'committee',
        session: { number: 1, date: '2000-01-01' },
      }),
  },
  {
    action: 'refer',
    suffix: '/bundesrat/referral',
    role: 'liaison',
    authorise: authoriseLiaison,
    check: (state, actor) => checkReferral(state, { actor, committees: ['In'], leadCommittee: 'In' }),
  },
  {
    action: 'decide',
    suffix: '/bundesrat/decision',
    role: 'liaison',
    authorise: authoriseLiaison,
    check: (state, actor) =>
      checkPlenaryDecision(state, { actor, decision: 'adopted', decidedOn: '2000-01-01' }),
  },
  {
    action: 'accede',
    suffix: '/bundesrat/accessions',
    role: 'cabinet',
    authorise: (principal) => authoriseAccession(principal),
    check: (state, actor) => checkAccession(state, { actor }),
  },
];

/** The commands `principal` may send on `initiative` as it stands (one the principal can read). */
export function allowedOn(principal: Principal, initiative: Initiative): AllowedAction[] {
  // The validators read only the initiative; timers and the audit counter play no part in them.
  const state: LifecycleState = { initiative, deadlines: [], auditSeq: 0 };
  const base = `/v1/initiatives/${encodeURIComponent(initiative.id)}`;
  const allowed: AllowedAction[] = [];
  for (const rule of RULES) {
    const actor: ActingPrincipal = {
      sub: principal.sub,
      name: principal.name,
      land: principal.land,
      role: rule.role,
    };
    if (!authorised(() => rule.authorise(principal, initiative)) || rule.check(state, actor)) continue;
    const action: AllowedAction = {
      action: rule.action,
      method: 'POST',
      operation: `/v1/initiatives/{id}${rule.suffix}`,
      path: `${base}${rule.suffix.replace('{land}', principal.land)}`,
    };
    if (rule.action === 'invite') {
      action.lands = invitableLands(initiative);
      if (action.lands.length === 0) continue;
    }
    allowed.push(action);
  }
  return allowed;
}

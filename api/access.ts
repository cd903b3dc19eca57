/** Who may read and who may act (domain.md): the API's checks before a command reaches the workflow. */
import type { Visibility } from '../db/initiatives.js';
import type { Initiative } from '../workflows/contracts.js';
import { isPartner, type Land, type Role } from '../workflows/domain.js';
import type { Principal } from './auth.js';
import { forbidden } from './problems.js';

export function visibilityOf(principal: Principal): Visibility {
  return principal.roles.includes('viewer') || principal.roles.includes('admin')
    ? { all: true }
    : { all: false, land: principal.land };
}

function requireRole(principal: Principal, role: Role, what: string): void {
  if (!principal.roles.includes(role)) throw forbidden(`Only a ${role} ${what}.`);
}

export function authoriseCreate(principal: Principal): void {
  requireRole(principal, 'proposer', 'creates initiatives');
  if (!isPartner(principal.land)) throw forbidden('Only proposers of BY or NW create initiatives.');
}

export function authoriseReview(principal: Principal, initiative: Initiative): void {
  requireRole(principal, 'reviewer', 'decides a review');
  if (!isPartner(principal.land)) throw forbidden('Only the partners BY and NW review initiatives.');
  if (principal.sub === initiative.proposer.sub)
    throw forbidden('Four-eyes principle: nobody decides a review of an initiative they proposed.');
}

export function authoriseProposerCommand(principal: Principal, initiative: Initiative, what: string): void {
  requireRole(principal, 'proposer', what);
  if (principal.sub !== initiative.proposer.sub) throw forbidden(`Only the initiative's proposer ${what}.`);
}

export function authoriseInvitation(principal: Principal): void {
  if (!principal.roles.includes('proposer') && !principal.roles.includes('reviewer'))
    throw forbidden('Only a proposer or reviewer invites further Länder.');
  if (!isPartner(principal.land)) throw forbidden('Only the partners BY and NW invite further Länder.');
}

export function authoriseInvitationAnswer(principal: Principal, land: Land): void {
  requireRole(principal, 'reviewer', 'answers an invitation');
  if (principal.land !== land) throw forbidden(`Only a reviewer of ${land} answers ${land}'s invitation.`);
}

/** Cabinets of the partners and of invited Länder; whether the Land still applies is the workflow's call. */
export function authoriseCabinet(principal: Principal, initiative: Initiative): void {
  requireRole(principal, 'cabinet', 'records a cabinet decision');
  const takesPart =
    isPartner(principal.land) ||
    initiative.participants.some((p) => p.land === principal.land && p.role !== 'partner');
  if (!takesPart) throw forbidden(`${principal.land} is not an applicant of this initiative.`);
}

export function authoriseAccession(principal: Principal): void {
  requireRole(principal, 'cabinet', 'declares accession');
}

export function authoriseLiaison(principal: Principal, initiative: Initiative): void {
  requireRole(principal, 'liaison', 'records Bundesrat events');
  if (principal.land !== initiative.leadLand)
    throw forbidden(`Only the liaison of the lead Land ${initiative.leadLand} records Bundesrat events.`);
}

export function authoriseAdmin(principal: Principal, what: string): void {
  requireRole(principal, 'admin', what);
}

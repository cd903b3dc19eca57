/**
 * What a principal may do right now, for front ends that show only the controls that would be accepted.
 * Computed from the command catalogue with the very rules a command meets: who may (the API's 403) and
 * may-act-now (the workflow's validator) on the initiative as stored, so that the two can never disagree
 * except when someone else acted in between (which the command then answers with 409 or 412). No payload
 * is invented: a command's payload is checked when it is sent.
 */
import type { ActingPrincipal, Initiative, LifecycleState } from '../workflows/contracts.js';
import { COMMANDS, create } from '../workflows/commands/index.js';
import { actingRole, whoRefuses } from '../workflows/commands/rules.js';
import { LANDS, isPartner, type Land } from '../workflows/domain.js';
import type { Principal } from './auth.js';

export interface AllowedAction {
  action: string;
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

/** An HTTP path of the catalogue (`/invitations/:land`) as the OpenAPI template (`/invitations/{land}`). */
export const templateOf = (path: string) => path.replace(/:(\w+)/g, '{$1}');

export function allowedWithoutInitiative(principal: Principal): AllowedAction[] {
  if (whoRefuses(create.who, principal)) return [];
  return [
    {
      action: create.action,
      method: 'POST',
      operation: '/v1/initiatives',
      path: '/v1/initiatives',
      lands: invitableLands(),
    },
  ];
}

/** The commands `principal` may send on `initiative` as it stands (one the principal can read). */
export function allowedOn(principal: Principal, initiative: Initiative): AllowedAction[] {
  // The checks read only the initiative; timers and the audit counter play no part in them.
  const state: LifecycleState = { initiative, deadlines: [], auditSeq: 0 };
  const base = `/v1/initiatives/${encodeURIComponent(initiative.id)}`;
  const allowed: AllowedAction[] = [];
  for (const command of COMMANDS) {
    if (!command.http || whoRefuses(command.who, principal, initiative, principal.land)) continue;
    const actor: ActingPrincipal = { ...principal, role: actingRole(command.who, principal) };
    if (command.mayAct(state, actor)) continue;
    const action: AllowedAction = {
      action: command.action,
      method: 'POST',
      operation: `/v1/initiatives/{id}${templateOf(command.http.path)}`,
      path: `${base}${command.http.path.replace(':land', principal.land)}`,
    };
    if (command.action === 'invite') {
      action.lands = invitableLands(initiative);
      if (action.lands.length === 0) continue;
    }
    allowed.push(action);
  }
  return allowed;
}

/**
 * Who may read (docs/domain.md, read rules) and the API's side of who may act: the rules themselves are
 * the command catalogue's (workflows/commands/rules.ts); a broken one is a 403 here, before Temporal.
 */
import type { Visibility } from '../db/initiatives.js';
import type { Caller, WhoMay } from '../workflows/commands/define.js';
import { whoRefuses } from '../workflows/commands/rules.js';
import type { Principal } from './auth.js';
import { forbidden } from './problems.js';

export function visibilityOf(principal: Principal): Visibility {
  return principal.roles.includes('viewer') || principal.roles.includes('admin')
    ? { all: true }
    : { all: false, land: principal.land };
}

/** Throws 403 with the first rule `principal` breaks. */
export function authorise<About extends unknown[]>(
  who: WhoMay<(caller: Caller, ...about: About) => string | undefined>,
  principal: Principal,
  ...about: About
): void {
  const reason = whoRefuses(who, principal, ...about);
  if (reason) throw forbidden(reason);
}

/** Administration (calendar, webhooks, audit exports): the admin role alone. */
export const authoriseAdmin = (principal: Principal, what: string): void =>
  authorise({ roles: ['admin'], what, rules: [] }, principal);

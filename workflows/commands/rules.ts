/**
 * Who may act, each rule written once. The API answers a broken rule with 403 before a command reaches
 * Temporal; the workflow's Update validators apply the same rules to the actor, so that no other client
 * of the workflow gets past them either.
 */
import type { Initiative } from '../contracts.js';
import { isPartner, type Land } from '../domain.js';
import type { Caller, WhoMay } from './define.js';

/** The caller's Land is BY or NW. */
export const partnerLand =
  (what: string) =>
  (caller: Caller): string | undefined =>
    isPartner(caller.land) ? undefined : `Only the partners BY and NW ${what}.`;

/** Four-eyes: nobody decides a review of an initiative whose created or revised versions they authored. */
export const fourEyes = (caller: Caller, initiative: Initiative): string | undefined =>
  caller.sub === initiative.proposer.sub
    ? 'Four-eyes principle: nobody decides a review of an initiative they proposed.'
    : (initiative.authors ?? []).some((author) => author.sub === caller.sub)
      ? 'Four-eyes principle: nobody decides a review of an initiative whose versions they authored.'
      : undefined;

/**
 * The lead Ressort owns the initiative: the person who proposed it, or any caller of the lead Land whose
 * token names the lead Ressort. Without a lead Ressort only the proposer in person.
 */
export const leadRessortOwns =
  (what: string) =>
  (caller: Caller, initiative: Initiative): string | undefined => {
    if (caller.sub === initiative.proposer.sub) return undefined;
    const lead = initiative.leadRessort;
    if (!lead) return `Only the initiative's proposer ${what}.`;
    return caller.land === lead.land && caller.ressort === lead.key
      ? undefined
      : `Only the initiative's proposer or a proposer of its lead Ressort ${lead.land} ${lead.key} ${what}.`;
  };

/** The Land the command is about is the caller's own. */
export const ownLand =
  (refusal: (land: Land) => string) =>
  (caller: Caller, _initiative: Initiative, land: Land): string | undefined =>
    caller.land === land ? undefined : refusal(land);

/** A partner, or a further Land that took part; whether it still applies is the state's question. */
export const takesPart = (caller: Caller, initiative: Initiative): string | undefined =>
  isPartner(caller.land) ||
  initiative.participants.some((p) => p.land === caller.land && p.role !== 'partner')
    ? undefined
    : `${caller.land} is not an applicant of this initiative.`;

/** The liaison office of the lead Land. */
export const leadLand = (caller: Caller, initiative: Initiative): string | undefined =>
  caller.land === initiative.leadLand
    ? undefined
    : `Only the liaison of the lead Land ${initiative.leadLand} records Bundesrat events.`;

/** The caller belongs to the lead Land (its proposer or State Chancellery). */
export const ofLeadLand =
  (what: string) =>
  (caller: Caller, initiative: Initiative): string | undefined =>
    caller.land === initiative.leadLand ? undefined : `Only the lead Land ${initiative.leadLand} ${what}.`;

/** Why `caller` may not send the command, or undefined: first the role, then each rule in order. */
export function whoRefuses<About extends unknown[]>(
  who: WhoMay<(caller: Caller, ...about: About) => string | undefined>,
  caller: Caller,
  ...about: About
): string | undefined {
  if (!who.roles.some((role) => caller.roles.includes(role)))
    return `Only a ${who.roles.join(' or ')} ${who.what}.`;
  for (const rule of who.rules) {
    const reason = rule(caller, ...about);
    if (reason) return reason;
  }
  return undefined;
}

/** The role a caller acts in: the first of the command's roles they hold. */
export const actingRole = (who: WhoMay<unknown>, caller: Caller) =>
  who.roles.find((role) => caller.roles.includes(role)) ?? who.roles[0];

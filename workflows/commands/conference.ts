/**
 * The conference stage's commands (channel `laenderkreis`, docs/laenderkreis.md): registration of the agenda
 * item, co-applicants, the conference's decision with votes, and booking a session after the calendar grew.
 */
import { defineUpdate } from '@temporalio/workflow';
import { Type } from 'typebox';
import { addDays } from '../../lib/dates.js';
import { BUND } from '../conferences.js';
import {
  applyCoApplication,
  applyConferenceBooking,
  applyConferenceDecision,
  applyRegistration,
  checkConferenceDecision,
  conferenceMember,
  decisionRefusal,
  mayBookConference,
  mayCoApply,
  mayDecideConference,
  mayRegister,
  type CoApplicationCommand,
  type ConferenceBookingCommand,
  type ConferenceDecisionCommand,
  type ConferenceSessionRef,
  type RegistrationCommand,
} from '../conference-stage.js';
import { FailureType, type Initiative } from '../contracts.js';
import { LANDS } from '../domain.js';
import { Rejection } from '../lifecycle/frame.js';
import { CalendarDate, Text, oneOf } from '../schemas.js';
import { defineCommand, type Rule, type WhoMay } from './define.js';

/** The liaison of the lead Land: in this channel the Land's coordination office for conferences. */
const leadLiaison: Rule = (caller, initiative) =>
  caller.land === initiative.leadLand
    ? undefined
    : `Only the liaison of the lead Land ${initiative.leadLand} records conference events.`;
const liaison: WhoMay = { roles: ['liaison'], what: 'records conference events', rules: [leadLiaison] };

const MemberSchema = oneOf([...LANDS, BUND] as const, 'a Land code, or BUND where the Bund votes');
const MemberList = Type.Array(MemberSchema, { maxItems: 17, uniqueItems: true });

const conferenceOf = (initiative: Initiative) => {
  const conference = initiative.conference;
  if (!conference)
    throw new Rejection(
      FailureType.Conflict,
      `Conference events are recorded in phase conference; the initiative is in ${initiative.phase}.`,
    );
  return conference;
};

export const registerConference = defineCommand({
  action: 'registerConference',
  update: defineUpdate<Initiative, [RegistrationCommand]>('registerConference'),
  http: {
    path: '/conference/registration',
    summary:
      "Register the agenda item (Anmeldung des TOP) with the conference (liaison of the lead Land); books a session of the conference's calendar",
    body: Type.Object(
      {
        registeredOn: CalendarDate,
        session: Type.Optional({
          ...CalendarDate,
          description: "a session date of the conference's calendar, on or after registeredOn",
        }),
        top: Type.Optional(Text(40, 'the agenda item (Tagesordnungspunkt), e.g. 7.2')),
      },
      {
        additionalProperties: false,
        examples: [
          { registeredOn: '2026-05-04', top: '7.2' },
          { registeredOn: '2026-05-04', session: '2026-06-18' },
        ],
      },
    ),
    // The workflow cannot read the calendar: the API books the session named, else the first far enough on.
    payload: async ({ body, initiative, context: { conferences } }) => {
      const conference = conferenceOf(initiative);
      if (conference.status !== 'preparing')
        throw new Rejection(
          FailureType.Conflict,
          `The agenda item is registered already (on ${conference.registeredOn ?? '?'}).`,
        );
      let session: ConferenceSessionRef | undefined;
      if (body.session !== undefined) {
        if (body.session < body.registeredOn)
          throw new Rejection(
            FailureType.Conflict,
            `The session ${body.session} lies before the registration on ${body.registeredOn}.`,
          );
        session = await conferences.sessionOn(conference.key, body.session);
        if (!session)
          throw new Rejection(
            FailureType.Conflict,
            `The calendar of the ${conference.name} has no session on ${body.session}.`,
          );
      } else {
        const earliest = addDays(body.registeredOn, conference.registrationLeadDays);
        session = await conferences.firstSessionFrom(conference.key, earliest);
        if (!session)
          throw new Rejection(
            FailureType.Conflict,
            `The calendar of the ${conference.name} has no session on or after ${earliest} (${conference.registrationLeadDays} days after registration); an admin must extend it.`,
          );
      }
      return {
        registeredOn: body.registeredOn,
        ...(body.top === undefined ? {} : { top: body.top }),
        session,
      };
    },
  },
  who: liaison,
  mayAct: mayRegister,
  apply: applyRegistration,
});

export const coApplyConference = defineCommand({
  action: 'coApplyConference',
  update: defineUpdate<Initiative, [CoApplicationCommand]>('coApplyConference'),
  http: {
    path: '/conference/co-applicants',
    summary: "Join the conference motion as co-applicant (Mitantragsteller): the caller's Land (its cabinet)",
    body: Type.Object({}, { additionalProperties: false }),
    emptyBody: true,
  },
  who: { roles: ['cabinet'], what: 'joins a conference motion', rules: [conferenceMember] },
  mayAct: mayCoApply,
  apply: applyCoApplication,
});

export const decideConference = defineCommand({
  action: 'decideConference',
  update: defineUpdate<Initiative, [ConferenceDecisionCommand]>('decideConference'),
  http: {
    path: '/conference/decision',
    summary:
      "Record the conference's decision: adopted, rejected or postponed (to its next session); votes are checked against its rule",
    body: Type.Object(
      {
        decision: oneOf(['adopted', 'rejected', 'postponed'] as const),
        decidedOn: CalendarDate,
        votes: Type.Optional(
          Type.Object(
            { yes: MemberList, no: MemberList, abstain: MemberList },
            {
              additionalProperties: false,
              description: 'who voted how: Land codes, BUND where the Bund votes',
            },
          ),
        ),
        resolutionNumber: Type.Optional(Text(40, 'the resolution number, e.g. 2026/12')),
        protocolDeclarations: Type.Optional(
          Type.Array(
            Type.Object({ land: MemberSchema, text: Text(5_000) }, { additionalProperties: false }),
            { maxItems: 17, description: 'Protokollerklärungen' },
          ),
        ),
      },
      {
        additionalProperties: false,
        examples: [
          {
            decision: 'adopted',
            decidedOn: '2026-06-18',
            votes: {
              yes: ['BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN'],
              no: ['ST'],
              abstain: ['SH', 'TH'],
            },
            resolutionNumber: '2026/07',
            protocolDeclarations: [{ land: 'ST', text: 'Sachsen-Anhalt hält eine Finanzierung für offen.' }],
          },
          { decision: 'postponed', decidedOn: '2026-06-18' },
        ],
      },
    ),
    // Votes are checked here first, so that the 400 can name its `errors`; the workflow checks again.
    payload: async ({ body, initiative, context: { conferences } }) => {
      const conference = conferenceOf(initiative);
      const koenigstein =
        body.votes && body.decision !== 'postponed' && conference.rule.type === 'bund_and_min_laender'
          ? await conferences.koenigstein(Number(body.decidedOn.slice(0, 4)))
          : undefined;
      const refused = decisionRefusal(conference, { ...body, ...(koenigstein ? { koenigstein } : {}) });
      if (refused) throw refused;
      if (body.decision !== 'postponed') return { ...body, ...(koenigstein ? { koenigstein } : {}) };
      const from = conference.session?.date ?? body.decidedOn;
      const next = await conferences.sessionAfter(conference.key, from);
      return { ...body, nextSession: next ?? null };
    },
  },
  who: liaison,
  mayAct: mayDecideConference,
  checkPayload: checkConferenceDecision,
  apply: applyConferenceDecision,
});

/** Issued by the API itself when an admin extends a conference's calendar (PUT …/sessions). */
export const bookConference = defineCommand({
  action: 'bookConference',
  update: defineUpdate<Initiative, [ConferenceBookingCommand]>('bookConferenceSession'),
  who: { roles: ['admin'], what: "maintains the conferences' calendars", rules: [] },
  mayAct: mayBookConference,
  apply: applyConferenceBooking,
});

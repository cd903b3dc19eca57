/** The Bundesrat stage: the plenary calendar and the liaison's submission, referral and decision. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { BundesratRepository, PlenarySession, UnbookedInitiative } from '../../db/bundesrat.js';
import { addDays } from '../../lib/dates.js';
import {
  bookingUpdate,
  plenaryDecisionUpdate,
  referralUpdate,
  submissionUpdate,
} from '../../workflows/contracts.js';
import { authoriseAdmin, authoriseLiaison } from '../access.js';
import { acting, type CommandRunner } from '../commands.js';
import { badRequest, conflict, type FieldError } from '../problems.js';
import {
  CalendarBody,
  InitiativeParams,
  PlenaryDecisionBody,
  PlenarySessionSchema,
  ReferralBody,
  SubmissionBody,
} from '../schemas.js';
import type { WorkflowGateway } from '../temporal.js';
import { commandHeaders, commandResponses, problemResponses } from './shared.js';

export interface BundesratRouteOptions {
  commands: CommandRunner;
  bundesrat: BundesratRepository;
  workflows: WorkflowGateway;
  /** Days between submission and the earliest bookable session (BUNDESRAT_LEAD_DAYS). */
  leadDays: number;
  /** Open initiatives that fell past the calendar's end, to book once it is extended. */
  unbooked: () => Promise<UnbookedInitiative[]>;
}

const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());

function calendarErrors(sessions: CalendarBody): FieldError[] {
  const errors: FieldError[] = [];
  const numbers = new Set<number>();
  sessions.forEach((session, index) => {
    if (numbers.has(session.number))
      errors.push({ path: `body/${index}/number`, message: `session ${session.number} appears twice` });
    numbers.add(session.number);
    const previous = sessions[index - 1];
    if (previous && session.date <= previous.date)
      errors.push({
        path: `body/${index}/date`,
        message: `must come after ${previous.date} (dates ascending)`,
      });
    if (previous && session.number <= previous.number)
      errors.push({
        path: `body/${index}/number`,
        message: `must be greater than ${previous.number} (numbered continuously)`,
      });
  });
  return errors;
}

export const bundesratRoutes: FastifyPluginAsyncTypebox<BundesratRouteOptions> = async (app, options) => {
  const { commands, bundesrat, workflows, leadDays } = options;

  app.get(
    '/bundesrat/sessions',
    {
      schema: {
        summary: 'The plenary calendar',
        tags: ['bundesrat'],
        response: { 200: Type.Array(PlenarySessionSchema), ...problemResponses(401, 503) },
      },
    },
    () => bundesrat.sessions(),
  );

  app.put(
    '/bundesrat/sessions',
    {
      schema: {
        summary: 'Replace the plenary calendar (admin); booked sessions of open initiatives must stay',
        description: 'Sessions are expected on Fridays; other weekdays are accepted (special sessions).',
        tags: ['bundesrat'],
        body: CalendarBody,
        response: {
          200: Type.Array(PlenarySessionSchema),
          ...problemResponses(400, 401, 403, 409, 413, 415, 503),
        },
      },
    },
    async (request) => {
      const errors = calendarErrors(request.body);
      if (errors.length > 0) throw badRequest('The calendar is not consistent.', errors);
      // After the input checks: api.md ranks 400 before 403.
      authoriseAdmin(request.principal, 'maintains the plenary calendar');
      const sessions: PlenarySession[] = request.body.map((s) => ({
        ...s,
        provisional: s.provisional ?? false,
      }));
      const { replaced, broken } = await bundesrat.replace(sessions);
      if (!replaced)
        throw conflict(
          `Open initiatives are booked on sessions this calendar moves or drops: ${broken
            .map((b) => `${b.initiativeId} on session ${b.number} (${b.date})`)
            .join(', ')}.`,
        );
      // Initiatives that had fallen past the calendar's end get the first session from today on that
      // follows the session which postponed them (a postponement books the *next* session, never that one).
      const from = today();
      for (const { id, postponedAfter } of await options.unbooked()) {
        const earliest =
          postponedAfter !== null && postponedAfter >= from ? addDays(postponedAfter, 1) : from;
        const next = await bundesrat.firstSessionFrom(earliest);
        if (!next) continue;
        await workflows
          .update(id, bookingUpdate, {
            actor: acting(request, 'admin'),
            session: { number: next.number, date: next.date },
          })
          .catch((error: unknown) =>
            request.log.warn({ err: error, initiativeId: id }, 'could not book the extended calendar'),
          );
      }
      return bundesrat.sessions();
    },
  );

  app.post(
    '/initiatives/:id/bundesrat/submission',
    {
      schema: {
        summary:
          'Record the submission to the Bundesrat (liaison of the lead Land); books the plenary session',
        tags: ['commands'],
        params: InitiativeParams,
        headers: commandHeaders,
        body: SubmissionBody,
        response: commandResponses,
      },
    },
    (request, reply) => {
      const { id } = request.params;
      const { drucksache, submittedOn, procedure } = request.body;
      return commands.run(request, reply, id, {
        authorise: (initiative) => authoriseLiaison(request.principal, initiative),
        update: submissionUpdate,
        arg: async () => {
          const earliest = addDays(submittedOn, leadDays);
          const session = await bundesrat.firstSessionFrom(earliest);
          if (!session)
            throw conflict(
              `The plenary calendar has no session on or after ${earliest} (${leadDays} days after submission); an admin must extend it.`,
            );
          if (!(await bundesrat.reserveDrucksache(drucksache, id)))
            throw conflict(`Drucksache ${drucksache} belongs to another initiative.`);
          return {
            actor: acting(request, 'liaison'),
            drucksache,
            submittedOn,
            procedure,
            session: { number: session.number, date: session.date },
          };
        },
        onRefused: async (initiative) => {
          if (initiative.bundesrat?.drucksache !== drucksache)
            await bundesrat.releaseDrucksache(drucksache, id);
        },
      });
    },
  );

  app.post(
    '/initiatives/:id/bundesrat/referral',
    {
      schema: {
        summary: 'Record the referral to committees (committee procedure)',
        tags: ['commands'],
        params: InitiativeParams,
        headers: commandHeaders,
        body: ReferralBody,
        response: commandResponses,
      },
    },
    (request, reply) => {
      const { committees, leadCommittee } = request.body;
      if (!committees.includes(leadCommittee))
        throw badRequest('The lead committee must be one of the committees.', [
          { path: 'body/leadCommittee', message: `is not among ${committees.join(', ')}` },
        ]);
      return commands.run(request, reply, request.params.id, {
        authorise: (initiative) => authoriseLiaison(request.principal, initiative),
        update: referralUpdate,
        arg: () => ({ actor: acting(request, 'liaison'), committees, leadCommittee }),
      });
    },
  );

  app.post(
    '/initiatives/:id/bundesrat/decision',
    {
      schema: {
        summary: "Record the plenary's decision: adopted, rejected or postponed (to the next session)",
        tags: ['commands'],
        params: InitiativeParams,
        headers: commandHeaders,
        body: PlenaryDecisionBody,
        response: commandResponses,
      },
    },
    (request, reply) => {
      const { decision, decidedOn } = request.body;
      return commands.run(request, reply, request.params.id, {
        authorise: (initiative) => authoriseLiaison(request.principal, initiative),
        update: plenaryDecisionUpdate,
        arg: async (initiative) => {
          if (decision !== 'postponed') return { actor: acting(request, 'liaison'), decision, decidedOn };
          const after = initiative.bundesrat?.plenarySession?.date ?? decidedOn;
          const next = await bundesrat.sessionAfter(after);
          return {
            actor: acting(request, 'liaison'),
            decision,
            decidedOn,
            nextSession: next ? { number: next.number, date: next.date } : null,
          };
        },
      });
    },
  );
};

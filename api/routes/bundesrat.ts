/** The plenary calendar of the Bundesrat (the liaison's commands are catalogue entries: routes/commands.ts). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { BundesratRepository, PlenarySession, UnbookedInitiative } from '../../db/bundesrat.js';
import { book } from '../../workflows/commands/index.js';
import { addDays } from '../../lib/dates.js';
import { authoriseAdmin } from '../access.js';
import { acting } from '../commands.js';
import { badRequest, conflict, type FieldError } from '../problems.js';
import { CalendarBody, PlenarySessionSchema } from '../schemas/bundesrat.js';
import type { WorkflowGateway } from '../temporal.js';
import { problemResponses } from './shared.js';

export interface BundesratRouteOptions {
  bundesrat: BundesratRepository;
  workflows: WorkflowGateway;
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
  const { bundesrat, workflows } = options;

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
      // After the input checks: docs/api.md ranks 400 before 403.
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
          .update(id, book.update, {
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
};

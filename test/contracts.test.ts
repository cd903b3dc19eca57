/**
 * The Initiative type is written once, in workflows/contracts.ts; the API's schema (api/schemas/) serialises
 * and documents it. `npm run typecheck` fails here when the two drift apart; the run below checks that the
 * schema accepts a resource the workflow produced and refuses values outside it.
 */
import { AjvCompiler } from '@fastify/ajv-compiler';
import type { Static } from 'typebox';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { InitiativeSchema } from '../api/schemas/initiative.js';
import type { Initiative, PendingActionKind } from '../workflows/contracts.js';
import type { PENDING_ACTION_KINDS } from '../workflows/contracts.js';
import { createState } from '../workflows/lifecycle/state.js';

/** Each assignable to the other: a field missing, added as required, or typed otherwise breaks it. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

describe('one Initiative type', () => {
  it('the schema describes the type of workflows/contracts.ts', () => {
    expectTypeOf<Same<Static<typeof InitiativeSchema>, Initiative>>().toEqualTypeOf<true>();
    expectTypeOf<Same<Static<typeof InitiativeSchema>, Omit<Initiative, 'overdue'>>>().toEqualTypeOf<false>();
    expectTypeOf<(typeof PENDING_ACTION_KINDS)[number]>().toEqualTypeOf<PendingActionKind>();
  });

  it('accepts the state a new workflow starts with, and refuses one that is not an initiative', () => {
    const { state } = createState(
      {
        id: 'DD-2026-0001',
        title: 'Test',
        summary: 'Zusammenfassung',
        topic: 'egovernment',
        channel: 'joint',
        instrument: null,
        ressort: null,
        proposer: { sub: 'p', name: 'P', land: 'BY' },
        invite: ['HE'],
        periods: {
          review: 'P14D',
          reminderBefore: 'P3D',
          escalationGrace: 'P7D',
          revision: 'P30D',
          invitation: 'P14D',
        },
      },
      '2026-12-03T08:00:00.000Z',
    );
    const validate = AjvCompiler()({}, { customOptions: { allErrors: true } })({
      schema: InitiativeSchema,
      method: 'GET',
      url: '/',
      httpPart: 'body',
    });
    expect(validate(state.initiative)).toBe(true);
    expect(validate({ ...state.initiative, phase: 'draft' })).toBe(false);
    expect(validate({ ...state.initiative, reviews: [{ land: 'HE', status: 'pending' }] })).toBe(false);
  });
});

/** What tests, recordings and benchmarks create initiatives with. */
import type { Periods } from '../../workflows/contracts.js';

/** Long enough that no timer fires unless an initiative asks for short periods of its own. */
export const DEFAULT_PERIODS: Required<Periods> = {
  review: 'P14D',
  reminderBefore: 'P3D',
  escalationGrace: 'P7D',
  revision: 'P30D',
  invitation: 'P14D',
  bundesratDecisionReminder: 'P3D',
};

/** The body of POST /v1/initiatives: a joint initiative unless `overrides` say otherwise. */
export const newInitiative = (overrides: Record<string, unknown> = {}) => ({
  title: 'Gemeinsame KI-Testumgebung für die Verwaltung',
  summary: 'Eine gemeinsame Testumgebung für KI-Anwendungen der Verwaltung.',
  topic: 'ai_supercomputing',
  channel: 'joint',
  ...overrides,
});

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
  conferenceDecisionReminder: 'P3D',
};

/** A motion text of three paragraphs (a heading, a paragraph, a list item). */
export const MOTION_TEXT = [
  '# Entwurf eines Gesetzes',
  'Der Bundesrat möge beschließen, den Entwurf beim Deutschen Bundestag einzubringen.',
  '- Artikel 1: Änderung des Onlinezugangsgesetzes',
].join('\n\n');

/**
 * The body of POST /v1/initiatives: a joint initiative unless `overrides` say otherwise. A motion (any
 * channel but `joint`) gets MOTION_TEXT unless `overrides` bring a text: it must have one.
 */
export const newInitiative = (overrides: Record<string, unknown> = {}) => ({
  title: 'Gemeinsame KI-Testumgebung für die Verwaltung',
  summary: 'Eine gemeinsame Testumgebung für KI-Anwendungen der Verwaltung.',
  topic: 'ai_supercomputing',
  channel: 'joint',
  ...(overrides.channel !== undefined && overrides.channel !== 'joint' ? { text: MOTION_TEXT } : {}),
  ...overrides,
});

/**
 * Vocabulary of docs/domain.md: Länder, topics, channels, roles and phases. Pure data, safe in the workflow
 * sandbox and imported by the API and activities alike.
 */
export const LANDS = [
  'BW',
  'BY',
  'BE',
  'BB',
  'HB',
  'HH',
  'HE',
  'MV',
  'NI',
  'NW',
  'RP',
  'SL',
  'SN',
  'ST',
  'SH',
  'TH',
] as const;
export type Land = (typeof LANDS)[number];

/** The two partners of the Digital Dialog; every other Land takes part only when invited. */
export const PARTNERS = ['BY', 'NW'] as const satisfies readonly Land[];
export type Partner = (typeof PARTNERS)[number];
export const isPartner = (land: Land): land is Partner => land === 'BY' || land === 'NW';

export const TOPICS = [
  'ai_supercomputing',
  'infrastructure_economy',
  'egovernment',
  'digital_work',
  'education',
  'ehealth',
  'cybersecurity',
  'mobility',
] as const;
export type Topic = (typeof TOPICS)[number];

export const CHANNELS = ['joint', 'bundesrat', 'laenderkreis'] as const;
export type Channel = (typeof CHANNELS)[number];

export const INSTRUMENTS = ['gesetzesantrag', 'entschliessungsantrag'] as const;
export type Instrument = (typeof INSTRUMENTS)[number];

export const ROLES = ['proposer', 'reviewer', 'cabinet', 'liaison', 'viewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const OPEN_PHASES = [
  'review',
  'revision',
  'consultation',
  'cabinet',
  'bundesrat',
  'conference',
] as const;
export const TERMINAL_PHASES = ['adopted', 'rejected', 'withdrawn', 'expired'] as const;
export const PHASES = [...OPEN_PHASES, ...TERMINAL_PHASES] as const;
export type Phase = (typeof PHASES)[number];
export type TerminalPhase = (typeof TERMINAL_PHASES)[number];
export const isTerminal = (phase: Phase): phase is TerminalPhase =>
  (TERMINAL_PHASES as readonly Phase[]).includes(phase);

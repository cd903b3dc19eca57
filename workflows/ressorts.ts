/**
 * The Ressorts (state chancellery and ministries) of each Land, as shipped data with their sources, and the
 * one lookup every part of the service uses: the token's `ressort` claim (api/auth.ts), `GET /v1/ressorts`
 * and, later, the Ressorts named by formats and practices. Pure data, safe in the workflow sandbox.
 *
 * Shipped: the current Ressorts of the partners BY (Kabinett Söder III, since November 2023) and NW
 * (Kabinett Wüst II, since June 2022); every other Land starts with an empty list. A Ressort whose exact
 * name could not be confirmed from an official or press source is marked `provisional`.
 * docs/ressorts.md lists the sources.
 */
import type { Land } from './domain.js';

export const RESSORT_KINDS = ['state_chancellery', 'ministry'] as const;
export type RessortKind = (typeof RESSORT_KINDS)[number];

export interface Ressort {
  land: Land;
  /** Stable key, the ministry's customary abbreviation (e.g. StMD, MWIKE); what tokens and initiatives name. */
  key: string;
  name: string;
  kind: RessortKind;
  /** An inactive Ressort still signs in; no new initiative may name it as lead. */
  active: boolean;
  /** Where the Ressort's existence and name were confirmed. */
  source: string;
  /** The name or cut could not be confirmed from the source. */
  provisional: boolean;
}

/** A reference to one Ressort of one Land, as initiatives, formats and practices carry it. */
export interface RessortRef {
  land: Land;
  key: string;
}

const BY_OVERVIEW = 'https://www.bayern.de/staatsregierung/bayerische-staatskanzlei-und-staatsministerien/';
/** The cabinet of November 2023 and its new cut of the ministries. */
const BY_2023 =
  'https://www.bayerische-staatszeitung.de/staatszeitung/landtag/detailansicht-landtag/artikel/das-kabinett-im-ueberblick.html';
const BY_AGRICULTURE_2023 =
  'https://topagrar.com/management-und-politik/news/michaela-kaniber-bleibt-landwirtschaftsministerin-in-bayern-13522835.html';
const NW_CABINET = 'https://land.nrw/en/node/17367';
/** The cabinet of 29 June 2022 with the names of its twelve ministries. */
const NW_2022 =
  'https://www.24rhein.de/rheinland-nrw/landesregierung-nrw-nordrhein-westfalen-minister-ministerinnen-aufgaben-koalition-kabinett-parteien-staatsekretaere-90191990.html';

type Entry = [key: string, name: string, kind: RessortKind, source: string, provisional?: true];

const BY: Entry[] = [
  ['StK', 'Bayerische Staatskanzlei', 'state_chancellery', BY_OVERVIEW],
  ['StMI', 'Staatsministerium des Innern, für Sport und Integration', 'ministry', BY_OVERVIEW],
  ['StMWi', 'Staatsministerium für Wirtschaft, Landesentwicklung und Energie', 'ministry', BY_OVERVIEW],
  ['StMFH', 'Staatsministerium der Finanzen und für Heimat', 'ministry', BY_OVERVIEW],
  ['StMJ', 'Staatsministerium der Justiz', 'ministry', BY_OVERVIEW],
  ['StMUK', 'Staatsministerium für Unterricht und Kultus', 'ministry', BY_OVERVIEW],
  ['StMWK', 'Staatsministerium für Wissenschaft und Kunst', 'ministry', BY_OVERVIEW],
  ['StMUV', 'Staatsministerium für Umwelt und Verbraucherschutz', 'ministry', BY_OVERVIEW],
  [
    'StMELF',
    'Staatsministerium für Ernährung, Landwirtschaft, Forsten und Tourismus',
    'ministry',
    BY_AGRICULTURE_2023,
  ],
  ['StMAS', 'Staatsministerium für Familie, Arbeit und Soziales', 'ministry', BY_OVERVIEW],
  // The 2023 cut added prevention; the exact name is not on a page we could read.
  ['StMGP', 'Staatsministerium für Gesundheit, Pflege und Prävention', 'ministry', BY_2023, true],
  ['StMB', 'Staatsministerium für Wohnen, Bau und Verkehr', 'ministry', BY_OVERVIEW],
  ['StMD', 'Staatsministerium für Digitales', 'ministry', BY_OVERVIEW],
];

const NW: Entry[] = [
  ['STK', 'Staatskanzlei des Landes Nordrhein-Westfalen', 'state_chancellery', NW_CABINET],
  [
    'MBEIM',
    'Ministerium für Bundes- und Europaangelegenheiten, Internationales sowie Medien',
    'ministry',
    NW_2022,
    // Its abbreviation is not confirmed.
    true,
  ],
  ['IM', 'Ministerium des Innern', 'ministry', NW_2022],
  ['FM', 'Ministerium der Finanzen', 'ministry', NW_2022],
  ['JM', 'Ministerium der Justiz', 'ministry', NW_2022],
  ['MSB', 'Ministerium für Schule und Bildung', 'ministry', NW_2022],
  ['MKW', 'Ministerium für Kultur und Wissenschaft', 'ministry', NW_2022],
  ['MWIKE', 'Ministerium für Wirtschaft, Industrie, Klimaschutz und Energie', 'ministry', NW_2022],
  ['MAGS', 'Ministerium für Arbeit, Gesundheit und Soziales', 'ministry', NW_2022],
  [
    'MKJFGFI',
    'Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration',
    'ministry',
    NW_2022,
  ],
  ['MUNV', 'Ministerium für Umwelt, Naturschutz und Verkehr', 'ministry', NW_2022],
  ['MLV', 'Ministerium für Landwirtschaft und Verbraucherschutz', 'ministry', NW_2022],
  ['MHKBD', 'Ministerium für Heimat, Kommunales, Bau und Digitalisierung', 'ministry', NW_2022],
];

const entries = (land: Land, list: Entry[]): Ressort[] =>
  list.map(([key, name, kind, source, provisional]) => ({
    land,
    key,
    name,
    kind,
    active: true,
    source,
    provisional: provisional ?? false,
  }));

/** Every shipped Ressort, BY then NW, each Land's state chancellery first. */
export const RESSORTS: readonly Ressort[] = Object.freeze([...entries('BY', BY), ...entries('NW', NW)]);

/** A Land's Ressorts (empty for a Land with none shipped). */
export const ressortsOf = (land: Land): Ressort[] => RESSORTS.filter((r) => r.land === land);

/** The Ressort `key` of `land`, or undefined when the Land has no such Ressort. Keys are case-sensitive. */
export const findRessort = (land: Land, key: string): Ressort | undefined =>
  RESSORTS.find((r) => r.land === land && r.key === key);

/** Why `key` is not a Ressort of `land`, or undefined. */
export const unknownRessort = (land: Land, key: string): string | undefined =>
  findRessort(land, key)
    ? undefined
    : ressortsOf(land).length === 0
      ? `${land} has no Ressorts on record, so "${key}" cannot be one of them.`
      : `"${key}" is not a Ressort of ${land} (known: ${ressortsOf(land)
          .map((r) => r.key)
          .join(', ')}).`;

/**
 * The standard cast every test, recording and benchmark acts as: the partners Bavaria (BY) and North
 * Rhine-Westphalia (NW) with proposers, reviewers, cabinets and liaisons; reviewers, cabinets and liaisons
 * of third Länder (HE, TH, SN, HB), who read only what they may; a viewer and an admin of the operator.
 */
import type { Land, Role } from '../../workflows/domain.js';
import { token, type PrincipalClaims, type SignOptions } from './tokens.js';

const claims = (
  sub: string,
  land: Land,
  roles: Role[],
  name?: string,
  ressort?: string,
): PrincipalClaims => ({
  sub,
  land,
  roles,
  ...(name === undefined ? {} : { name }),
  ...(ressort === undefined ? {} : { ressort }),
});

export const CAST = {
  proposerBY: claims('p-by', 'BY', ['proposer'], 'A. Huber'),
  proposerNW: claims('p-nw', 'NW', ['proposer'], 'K. Becker'),
  reviewerBY: claims('r-by', 'BY', ['reviewer'], 'C. Maier'),
  reviewerNW: claims('r-nw', 'NW', ['reviewer'], 'B. Schmidt'),
  viewer: claims('v-1', 'BE', ['viewer'], 'Dashboard'),
  reviewerHE: claims('r-he', 'HE', ['reviewer'], 'H. Hesse'),
  proposerBY2: claims('p-by-2', 'BY', ['proposer'], 'F. Wagner'),
  proposerHE: claims('p-he', 'HE', ['proposer']),
  reviewerTH: claims('r-th', 'TH', ['reviewer'], 'T. Thüringer'),
  reviewerSN: claims('r-sn', 'SN', ['reviewer'], 'S. Sachse'),
  cabinetBY: claims('c-by', 'BY', ['cabinet'], 'Bayerische Staatskanzlei'),
  cabinetNW: claims('c-nw', 'NW', ['cabinet'], 'Staatskanzlei NRW'),
  cabinetHE: claims('c-he', 'HE', ['cabinet'], 'Hessische Staatskanzlei'),
  cabinetTH: claims('c-th', 'TH', ['cabinet'], 'Thüringer Staatskanzlei'),
  cabinetSN: claims('c-sn', 'SN', ['cabinet'], 'Sächsische Staatskanzlei'),
  cabinetHB: claims('c-hb', 'HB', ['cabinet'], 'Senatskanzlei Bremen'),
  liaisonBY: claims('l-by', 'BY', ['liaison'], 'Vertretung des Freistaats Bayern beim Bund'),
  liaisonNW: claims('l-nw', 'NW', ['liaison'], 'Landesvertretung NRW'),
  liaisonSN: claims('l-sn', 'SN', ['liaison']),
  admin: claims('admin', 'BE', ['admin'], 'Betrieb'),
  // Members of Ressorts (docs/ressorts.md): two of BY's digital ministry, one of its interior ministry.
  proposerStMD: claims('p-by-stmd', 'BY', ['proposer'], 'M. Digital', 'StMD'),
  colleagueStMD: claims('pr-by-stmd', 'BY', ['proposer', 'reviewer'], 'N. Kollegin', 'StMD'),
  reviewerStMD: claims('r-by-stmd', 'BY', ['reviewer'], 'O. Prüfer', 'StMD'),
  proposerStMI: claims('p-by-stmi', 'BY', ['proposer'], 'I. Inneres', 'StMI'),
} satisfies Record<string, PrincipalClaims>;

export type Principal = keyof typeof CAST;
export type People = Record<Principal, string>;

/** A token for every member of the cast (development tokens; `options` pick the secret and lifetime). */
export async function principals(options: SignOptions = {}): Promise<People> {
  const entries = await Promise.all(
    Object.entries(CAST).map(async ([key, claims]) => [key, await token(claims, options)] as const),
  );
  return Object.fromEntries(entries) as People;
}

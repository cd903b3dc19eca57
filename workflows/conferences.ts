/**
 * The conferences of the Länder (channel `laenderkreis`, docs/laenderkreis.md): their voting rules as pure
 * code that reads the conference's data (members, rule objects) and the Königsteiner Schlüssel. Pure data
 * and functions, safe in the workflow sandbox and shared by the API and db/.
 */
import { LANDS, type Land } from './domain.js';

/** The Bund as a voting member (only where the conference's `bund` is true). */
export const BUND = 'BUND' as const;
export type Member = Land | typeof BUND;

export const MOTION_KINDS = ['decision', 'recommendation'] as const;
export type MotionKind = (typeof MOTION_KINDS)[number];

/** The forms a voting rule takes (docs/laenderkreis.md#voting-rules). */
export type VotingRule =
  | { type: 'unanimous' }
  | { type: 'min_laender'; laender: number }
  | { type: 'bund_and_min_laender'; laender: number; koenigsteinShare: number }
  | { type: 'majority_of_members' };

export interface Conference {
  key: string;
  name: string;
  /** The Länder with a vote. */
  members: Land[];
  /** Whether the Bund votes (a guest without a vote is not a member). */
  bund: boolean;
  votingRules: { decision: VotingRule; recommendation?: VotingRule };
  registrationLeadDays: number;
  source: string;
  provisional: boolean;
}

export interface Votes {
  yes: Member[];
  no: Member[];
  abstain: Member[];
}

/** The Königsteiner Schlüssel of one year: the 16 Länder's shares, summing to 1. */
export interface KoenigsteinTable {
  year: number;
  shares: Record<Land, number>;
  source: string;
  provisional: boolean;
}

/** How far the 16 shares may stray from 1 in total (rounding of the published table). */
export const KOENIGSTEIN_SUM_TOLERANCE = 0.001;

export const votingMembers = (conference: Pick<Conference, 'members' | 'bund'>): Member[] =>
  conference.bund ? [...conference.members, BUND] : [...conference.members];

export const isLand = (value: string): value is Land => (LANDS as readonly string[]).includes(value);

/** The rule a motion of that kind is decided by; undefined when the conference has none for it. */
export function ruleFor(
  conference: Pick<Conference, 'votingRules'>,
  kind: MotionKind,
): VotingRule | undefined {
  return kind === 'recommendation' ? conference.votingRules.recommendation : conference.votingRules.decision;
}

export interface VoteError {
  /** JSON-pointer-like path under the votes object, e.g. `yes/3`. */
  path: string;
  message: string;
}

/** Votes that name non-members or a member twice (across all three lists). */
export function voteErrors(
  conference: Pick<Conference, 'members' | 'bund' | 'name'>,
  votes: Votes,
): VoteError[] {
  const members = new Set<string>(votingMembers(conference));
  const seen = new Map<string, string>();
  const errors: VoteError[] = [];
  for (const list of ['yes', 'no', 'abstain'] as const) {
    votes[list].forEach((member, index) => {
      const path = `${list}/${index}`;
      if (!members.has(member)) {
        errors.push({
          path,
          message:
            member === BUND
              ? `the Bund has no vote at the ${conference.name}`
              : `${member} is not a member of the ${conference.name}`,
        });
        return;
      }
      const earlier = seen.get(member);
      if (earlier !== undefined) errors.push({ path, message: `${member} already voted (at ${earlier})` });
      else seen.set(member, path);
    });
  }
  return errors;
}

export interface RuleOutcome {
  /** Whether the votes meet the rule (the motion is adopted). */
  met: boolean;
  /** What the rule needs, and what the votes gave, in words (for the `errors` entry at `body/votes`). */
  explanation: string;
}

const sumShares = (lands: readonly Land[], table: KoenigsteinTable): number =>
  lands.reduce((sum, land) => sum + table.shares[land], 0);

/**
 * Whether the (valid: see `voteErrors`) votes meet the rule. `koenigstein` is needed only for
 * `bund_and_min_laender`; without it that rule throws (the caller must look the table up first).
 */
export function evaluateRule(
  conference: Pick<Conference, 'members' | 'bund' | 'name'>,
  rule: VotingRule,
  votes: Votes,
  koenigstein?: KoenigsteinTable,
): RuleOutcome {
  const yesLaender = votes.yes.filter(isLand);
  switch (rule.type) {
    case 'unanimous': {
      const met = votes.no.length === 0 && votes.yes.length > 0;
      return {
        met,
        explanation:
          `the ${conference.name} adopts unanimously (every member that votes says yes, abstentions allowed); ` +
          `${votes.yes.length} voted yes, ${votes.no.length} no, ${votes.abstain.length} abstained`,
      };
    }
    case 'min_laender': {
      const met = yesLaender.length >= rule.laender;
      return {
        met,
        explanation: `the ${conference.name} adopts with at least ${rule.laender} Länder; ${yesLaender.length} voted yes`,
      };
    }
    case 'bund_and_min_laender': {
      if (!koenigstein) throw new Error('bund_and_min_laender needs the Königsteiner Schlüssel');
      const bundYes = votes.yes.includes(BUND);
      const total = sumShares(LANDS, koenigstein);
      // Rounded to 1e-9 so that binary floating point cannot tip a sum that is exactly at the threshold.
      const part = total > 0 ? Math.round((sumShares(yesLaender, koenigstein) / total) * 1e9) / 1e9 : 0;
      const met = bundYes && yesLaender.length >= rule.laender && part >= rule.koenigsteinShare;
      return {
        met,
        explanation:
          `the ${conference.name} adopts with the Bund and at least ${rule.laender} Länder whose shares of the ` +
          `Königsteiner Schlüssel ${koenigstein.year} add up to at least ${rule.koenigsteinShare} of all shares; ` +
          `the Bund ${bundYes ? 'voted yes' : 'did not vote yes'}, ${yesLaender.length} Länder voted yes ` +
          `with ${part.toFixed(4)} of the shares`,
      };
    }
    case 'majority_of_members': {
      const all = votingMembers(conference).length;
      const needed = Math.floor(all / 2) + 1;
      const met = votes.yes.length >= needed;
      return {
        met,
        explanation: `the ${conference.name} adopts with a majority of its ${all} members (at least ${needed}); ${votes.yes.length} voted yes`,
      };
    }
  }
}

/** Shares of all 16 Länder, each in [0, 1], summing to 1 within the tolerance; errors per path. */
export function koenigsteinErrors(shares: Partial<Record<string, number>>): VoteError[] {
  const errors: VoteError[] = [];
  for (const land of LANDS) if (shares[land] === undefined) errors.push({ path: land, message: 'missing' });
  for (const key of Object.keys(shares))
    if (!isLand(key)) errors.push({ path: key, message: `${key} is not a Land` });
  if (errors.length > 0) return errors;
  const sum = LANDS.reduce((total, land) => total + (shares[land] ?? 0), 0);
  if (Math.abs(sum - 1) > KOENIGSTEIN_SUM_TOLERANCE)
    errors.push({
      path: '',
      message: `the shares add up to ${sum.toFixed(5)}, not 1 (±${KOENIGSTEIN_SUM_TOLERANCE})`,
    });
  return errors;
}

/** The table of that year, else the newest earlier one (tables need not be sorted). */
export function koenigsteinFor(
  tables: readonly KoenigsteinTable[],
  year: number,
): KoenigsteinTable | undefined {
  return tables
    .filter((table) => table.year <= year)
    .reduce<KoenigsteinTable | undefined>(
      (best, table) => (!best || table.year > best.year ? table : best),
      undefined,
    );
}

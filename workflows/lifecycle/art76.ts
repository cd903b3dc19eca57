/**
 * Art. 76(3) GG: within how many weeks the Federal Government forwards a Bundesrat bill to the Bundestag,
 * and from which date (docs/domain.md#art-763-gg). Pure: the workflow and the tests share it.
 */
import { addDays } from '../../lib/dates.js';
import type { BundesratState, ForwardingDeadline } from '../contracts.js';
import type { Instrument } from '../domain.js';

interface Flags {
  urgent?: boolean | undefined;
  constitutional?: boolean | undefined;
  extended?: boolean | undefined;
}

/** The sentence of Art. 76(3) GG that applies, and its weeks. */
export function forwardingRule({ urgent, constitutional, extended }: Flags): { rule: string; weeks: number } {
  // Sentence 5: a constitutional amendment (or a transfer under Art. 23/24) has nine weeks; sentence 4 does not apply.
  if (constitutional) return { rule: 'Art. 76(3) sentence 5 GG', weeks: 9 };
  if (urgent) return { rule: 'Art. 76(3) sentence 4 GG', weeks: extended ? 6 : 3 };
  if (extended) return { rule: 'Art. 76(3) sentence 3 GG', weeks: 9 };
  return { rule: 'Art. 76(3) sentence 1 GG', weeks: 6 };
}

/**
 * The forwarding deadline of an adopted bill: from the receipt once recorded, else estimated from the
 * decision; undefined for anything but an adopted bill. A plain date, no § 193 roll-over.
 */
export function forwardingDeadline(
  bundesrat: BundesratState,
  instrument: Instrument | null,
): ForwardingDeadline | undefined {
  if (instrument !== 'gesetzesantrag' || bundesrat.decision !== 'adopted' || !bundesrat.decidedOn)
    return undefined;
  const receivedOn = bundesrat.followUp?.receivedOn;
  const { rule, weeks } = forwardingRule({
    urgent: bundesrat.urgent,
    constitutional: bundesrat.constitutional,
    extended: bundesrat.followUp?.extended,
  });
  return receivedOn
    ? { rule, weeks, basis: 'receipt', from: receivedOn }
    : { rule, weeks, basis: 'decision', from: bundesrat.decidedOn };
}

/** Sets `forwardingDueOn` (and how it came about) from the state; legacy decisions keep theirs. */
export function recomputeForwarding(bundesrat: BundesratState, instrument: Instrument | null): void {
  const deadline = forwardingDeadline(bundesrat, instrument);
  if (!deadline) {
    delete bundesrat.forwardingDueOn;
    delete bundesrat.forwarding;
    return;
  }
  bundesrat.forwarding = deadline;
  bundesrat.forwardingDueOn = addDays(deadline.from, deadline.weeks * 7);
}

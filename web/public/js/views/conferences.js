/**
 * The Länderkreis page: the conferences of the Länder with their members, voting rules and sources, each
 * conference's session calendar, and the Königsteiner Schlüssel (docs/laenderkreis.md). Read-only: the
 * admin maintains the data through the API.
 */
import { ApiError, api } from '../api.js';
import { h, replaceContent } from '../dom.js';
import { date, decimal } from '../format.js';
import { label, t } from '../i18n.js';
import { section, table } from './parts.js';

/** @typedef {import('../api.js').Conference} Conference */
/** @typedef {import('../api.js').ConferenceSession} ConferenceSession */
/** @typedef {import('../api.js').KoenigsteinTable} KoenigsteinTable */
/** @typedef {Conference['votingRules']['decision']} VotingRule */

/** @param {boolean} provisional */
const status = (provisional) =>
  h(
    'span',
    { class: provisional ? 'flag-provisional' : 'flag-confirmed' },
    provisional ? `≈ ${t('conferenceProvisional')}` : `✓ ${t('conferenceConfirmed')}`,
  );

/** @param {Conference} conference @param {VotingRule} rule */
function ruleText(conference, rule) {
  switch (rule.type) {
    case 'unanimous':
      return t('rule.unanimous');
    case 'min_laender':
      return t('rule.min_laender', { laender: rule.laender });
    case 'bund_and_min_laender':
      return t('rule.bund_and_min_laender', {
        laender: rule.laender,
        share: decimal(rule.koenigsteinShare, 4),
      });
    case 'majority_of_members':
      return t('rule.majority_of_members', {
        members: conference.members.length + (conference.bund ? 1 : 0),
      });
  }
}

/** @param {Conference} conference @param {ConferenceSession[]} sessions */
function conferenceSection(conference, sessions) {
  const rules = [
    h('li', {}, `${t('conferenceRuleDecision')}: ${ruleText(conference, conference.votingRules.decision)}`),
  ];
  if (conference.votingRules.recommendation)
    rules.push(
      h(
        'li',
        {},
        `${t('conferenceRuleRecommendation')}: ${ruleText(conference, conference.votingRules.recommendation)}`,
      ),
    );
  return section(
    `conference-${conference.key}`,
    `${conference.name} (${conference.key.toUpperCase()})`,
    h(
      'p',
      {},
      `${t('conferenceMembers')}: ${t('conferenceMembersLaender', { count: conference.members.length })}. `,
      conference.bund ? t('conferenceBundVotes') : t('conferenceBundGuest'),
      ' ',
      status(conference.provisional),
    ),
    h('ul', { class: 'conference-rules' }, rules),
    h('p', {}, t('conferenceLeadDays', { days: conference.registrationLeadDays })),
    h('p', { class: 'source' }, `${t('conferenceSource')}: ${conference.source}`),
    sessions.length === 0
      ? h('p', {}, t('conferenceCalendarEmpty'))
      : table(
          t('conferenceCalendar', { name: conference.name }),
          [
            t('sessionDate'),
            t('sessionNumber'),
            t('sessionPlace'),
            t('sessionStatus'),
            t('conferenceSource'),
          ],
          sessions.map((s) => [
            date(s.date),
            s.number ?? t('noValue'),
            s.place ?? t('noValue'),
            status(s.provisional),
            s.source,
          ]),
        ),
  );
}

/** @param {KoenigsteinTable | undefined} koenigstein */
function koenigsteinSection(koenigstein) {
  if (!koenigstein)
    return section('koenigstein', t('koenigsteinTitle', { year: '' }), h('p', {}, t('koenigsteinNone')));
  return section(
    'koenigstein',
    t('koenigsteinTitle', { year: koenigstein.year }),
    h('p', {}, status(koenigstein.provisional)),
    h('p', { class: 'source' }, `${t('conferenceSource')}: ${koenigstein.source}`),
    table(
      t('koenigsteinTitle', { year: koenigstein.year }),
      [t('koenigsteinLand'), t('koenigsteinShare')],
      Object.entries(koenigstein.shares).map(([land, share]) => [
        label('landName', land),
        decimal(share * 100, 5),
      ]),
      { captionHidden: true },
    ),
  );
}

/** @type {import('../router.js').View} */
export const showConferences = async (main) => {
  const content = h('div', {}, h('p', {}, t('loading')));
  main.append(h('h1', { tabindex: -1 }, t('conferencesTitle')), h('p', {}, t('conferencesIntro')), content);
  const conferences = await api.conferences();
  const [calendars, koenigstein] = await Promise.all([
    Promise.all(conferences.map((c) => api.conferenceSessions(c.key))),
    api.koenigstein().catch((/** @type {unknown} */ error) => {
      if (error instanceof ApiError && error.status === 404) return undefined;
      throw error;
    }),
  ]);
  replaceContent(content, [
    ...conferences.map((conference, index) => conferenceSection(conference, calendars[index] ?? [])),
    koenigsteinSection(koenigstein),
  ]);
  return {};
};

/**
 * Texts of the Länderkreis pages (the conferences of the Länder, their calendars, the Königsteiner
 * Schlüssel), German and English; i18n.js merges them into its dictionaries.
 */

export const laenderkreisDe = {
  conferences: 'Konferenzen',
  conferencesTitle: 'Länderkreis: Konferenzen der Länder',
  conferencesIntro:
    'Die Konferenzen, ihre Abstimmungsregeln und Sitzungskalender sowie der Königsteiner Schlüssel, jeweils mit Quelle. Als vorläufig markierte Angaben sind nicht bestätigt.',
  conferenceMembers: 'Mitglieder',
  conferenceMembersLaender: '{count} Länder',
  conferenceBundVotes: 'Der Bund stimmt mit.',
  conferenceBundGuest: 'Der Bund stimmt nicht mit.',
  conferenceRuleDecision: 'Beschluss',
  conferenceRuleRecommendation: 'Empfehlung',
  conferenceLeadDays: 'Anmeldefrist: {days} Tage vor der Sitzung',
  conferenceSource: 'Quelle',
  conferenceProvisional: 'vorläufig',
  conferenceConfirmed: 'bestätigt',
  conferenceCalendar: 'Sitzungskalender: {name}',
  conferenceCalendarEmpty: 'Keine Sitzungen eingetragen.',
  sessionDate: 'Datum',
  sessionNumber: 'Nr.',
  sessionPlace: 'Ort',
  sessionStatus: 'Stand',
  koenigsteinTitle: 'Königsteiner Schlüssel {year}',
  koenigsteinNone: 'Kein Königsteiner Schlüssel eingetragen.',
  koenigsteinLand: 'Land',
  koenigsteinShare: 'Anteil in Prozent',
  'rule.unanimous': 'einstimmig (Enthaltungen zulässig, keine Gegenstimme)',
  'rule.min_laender': 'mindestens {laender} Länder stimmen zu',
  'rule.bund_and_min_laender':
    'der Bund und mindestens {laender} Länder stimmen zu, deren Anteile nach dem Königsteiner Schlüssel mindestens {share} der Summe ausmachen',
  'rule.majority_of_members': 'Mehrheit aller {members} Mitglieder',
};

/** @type {Partial<Record<keyof typeof laenderkreisDe, string>>} */
export const laenderkreisEn = {
  conferences: 'Conferences',
  conferencesTitle: 'Länderkreis: conferences of the Länder',
  conferencesIntro:
    'The conferences, their voting rules and session calendars, and the Königsteiner Schlüssel, each with its source. Facts marked provisional are not confirmed.',
  conferenceMembers: 'Members',
  conferenceMembersLaender: '{count} Länder',
  conferenceBundVotes: 'The Bund votes.',
  conferenceBundGuest: 'The Bund does not vote.',
  conferenceRuleDecision: 'Decision',
  conferenceRuleRecommendation: 'Recommendation',
  conferenceLeadDays: 'Registration: {days} days before the session',
  conferenceSource: 'Source',
  conferenceProvisional: 'provisional',
  conferenceConfirmed: 'confirmed',
  conferenceCalendar: 'Session calendar: {name}',
  conferenceCalendarEmpty: 'No sessions entered.',
  sessionDate: 'Date',
  sessionNumber: 'No.',
  sessionPlace: 'Place',
  sessionStatus: 'Status',
  koenigsteinTitle: 'Königsteiner Schlüssel {year}',
  koenigsteinNone: 'No Königsteiner Schlüssel entered.',
  koenigsteinLand: 'Land',
  koenigsteinShare: 'Share in per cent',
  'rule.unanimous': 'unanimous (abstentions allowed, no vote against)',
  'rule.min_laender': 'at least {laender} Länder vote yes',
  'rule.bund_and_min_laender':
    'the Bund and at least {laender} Länder vote yes whose Königsteiner shares make up at least {share} of the total',
  'rule.majority_of_members': 'a majority of all {members} members',
};

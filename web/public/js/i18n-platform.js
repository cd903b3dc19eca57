/** Texts of the platform pages: the formats where the Ressorts meet (docs/formats.md). German first. */

export const platformDe = {
  formats: 'Formate',
  formatsTitle: 'Formate: wo die Ressorts zusammenkommen',
  formatsIntro:
    'Fachdialoge, Workshops, Jours fixes und gemeinsame Kabinettssitzungen, die Sie sehen dürfen, nach Datum – mit Tagesordnung und Protokoll.',
  formatsEmpty:
    'Noch keine Formate. Ein Format legen Antragstellende oder Kabinette von BY oder NW über die API an (POST /v1/formats).',
  formatsCalendar: 'Kalender der Formate',
  formatDate: 'Datum',
  formatTime: 'Uhrzeit',
  formatKind: 'Art',
  formatTitle: 'Titel',
  formatPlace: 'Ort',
  formatMinutesColumn: 'Protokoll',
  formatAgenda: 'Tagesordnung',
  formatMinutes: 'Protokoll (Fassung {version})',
  formatNoMinutes: 'Noch kein Protokoll.',
  formatOutcomes: 'Ergebnisse',
  formatInitiatives: 'Daraus gestartete Initiativen',
  formatRessorts: 'Beteiligte Ressorts',
  formatWholeLand: 'ganzes Land',
  'formatKind.fachdialog': 'Fachdialog',
  'formatKind.workshop': 'Workshop',
  'formatKind.jour_fixe': 'Jour fixe',
  'formatKind.joint_cabinet': 'Gemeinsame Kabinettssitzung',
  'formatDecision.approve': 'Kabinett billigt',
  'formatDecision.decline': 'Kabinett lehnt ab',
};

/** @type {Record<keyof typeof platformDe, string>} */
export const platformEn = {
  formats: 'Formats',
  formatsTitle: 'Formats: where the Ressorts meet',
  formatsIntro:
    'Expert dialogues, workshops, jours fixes and joint cabinet sessions you may read, by date, with agenda and minutes.',
  formatsEmpty:
    'No formats yet. Proposers or cabinets of BY or NW plan one through the API (POST /v1/formats).',
  formatsCalendar: 'Calendar of formats',
  formatDate: 'Date',
  formatTime: 'Time',
  formatKind: 'Kind',
  formatTitle: 'Title',
  formatPlace: 'Place',
  formatMinutesColumn: 'Minutes',
  formatAgenda: 'Agenda',
  formatMinutes: 'Minutes (version {version})',
  formatNoMinutes: 'No minutes yet.',
  formatOutcomes: 'Outcomes',
  formatInitiatives: 'Initiatives started from it',
  formatRessorts: 'Ressorts taking part',
  formatWholeLand: 'whole Land',
  'formatKind.fachdialog': 'Expert dialogue (Fachdialog)',
  'formatKind.workshop': 'Workshop',
  'formatKind.jour_fixe': 'Jour fixe',
  'formatKind.joint_cabinet': 'Joint cabinet session',
  'formatDecision.approve': 'cabinet approves',
  'formatDecision.decline': 'cabinet declines',
};

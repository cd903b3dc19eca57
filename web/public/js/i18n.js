/**
 * Every text the dashboard shows, German (the default, labels from docs/domain.md) and English, in one place.
 * A key missing in English falls back to German; a key missing everywhere shows the key itself.
 */

import { laenderkreisDe, laenderkreisEn } from './i18n-laenderkreis.js';
import { platformDe, platformEn } from './i18n-platform.js';
import { workDe, workEn } from './i18n-work.js';

/** @typedef {'de' | 'en'} Language */

const de = {
  ...workDe,
  ...laenderkreisDe,
  ...platformDe,
  appName: 'Digital Dialog – Initiativen',
  skipToContent: 'Zum Inhalt springen',
  navigation: 'Hauptnavigation',
  overview: 'Übersicht',
  initiatives: 'Initiativen',
  signOut: 'Abmelden',
  switchTo: 'English',
  switchToLabel: 'Switch to English',
  loading: 'Wird geladen …',

  signInTitle: 'Anmelden',
  signInIntro:
    'Geben Sie Ihr Zugangstoken ein (zum Beispiel mit der Rolle „viewer“). Es wird nur für diese Browsersitzung gespeichert und beim Schließen des Tabs verworfen.',
  tokenLabel: 'Zugangstoken',
  tokenHint: 'Ein JSON Web Token, wie es „npm run token“ oder Ihr Anmeldedienst ausstellt.',
  signIn: 'Anmelden',
  tokenMissing: 'Bitte geben Sie ein Zugangstoken ein.',
  tokenRefused: 'Das Token wurde nicht angenommen (abgelaufen oder ungültig).',
  sessionExpired: 'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.',
  errorTitle: 'Fehler',
  loadFailed: 'Die Daten konnten nicht geladen werden: {detail}',

  liveConnected: 'Live-Aktualisierung aktiv',
  liveConnecting: 'Live-Aktualisierung wird verbunden …',
  liveOff: 'Live-Aktualisierung unterbrochen, neuer Versuch läuft',
  updated: '{id} wurde aktualisiert: {phase}.',

  overdueTitle: 'Überfällig',
  overdueNone: 'Keine Initiative ist überfällig.',
  overdueCount: '{count} überfällig',
  byPhaseTitle: 'Nach Phase',
  byTopicTitle: 'Nach Themenfeld',
  byLandTitle: 'Nach Land',
  byLandCaption: 'Initiativen, an denen das Land beteiligt ist',
  recentTitle: 'Zuletzt angelegt',
  showAll: 'Alle Initiativen anzeigen',
  count: 'Anzahl',
  medianDays: 'Median der Verweildauer (Tage)',
  noValue: '–',
  total: 'Insgesamt: {count}',

  filterTitle: 'Filter',
  filterApply: 'Anwenden',
  filterReset: 'Zurücksetzen',
  any: 'alle',
  yes: 'ja',
  no: 'nein',
  search: 'Suche in Titel und Zusammenfassung',
  results: 'Ergebnisse',
  resultsShown: '{count} angezeigt',
  noResults: 'Keine Initiative entspricht den Filtern.',
  loadMore: 'Weitere laden',

  reference: 'Aktenzeichen',
  title: 'Titel',
  topic: 'Themenfeld',
  phase: 'Phase',
  channel: 'Verfahren',
  instrument: 'Instrument',
  land: 'Land',
  leadLand: 'Federführendes Land',
  proposer: 'Einreicher',
  ressort: 'Ressort',
  round: 'Runde',
  overdue: 'Überfällig',
  overdueFlag: 'überfällig',
  dueAt: 'Frist',
  createdAt: 'Angelegt',
  updatedAt: 'Zuletzt geändert',
  version: 'Version',
  status: 'Status',
  by: 'Von',
  at: 'Am',
  comment: 'Kommentar',
  outcome: 'Ergebnis',

  notFound: 'Diese Initiative gibt es nicht, oder Sie dürfen sie nicht lesen.',
  backToList: 'Zur Liste',
  summary: 'Zusammenfassung',
  motionTextLabel: 'Antragstext (Markdown)',
  textVersionLabel: 'Gelesene Textfassung',
  lifecycleTitle: 'Verlauf des Verfahrens',
  lifecycleLegend: 'Legende',
  legendCurrent: 'Dicker Rahmen und „Aktuelle Phase“: hier steht die Initiative.',
  legendDone: '✓ durchlaufen: diese Phase liegt hinter ihr.',
  legendUpcoming: 'Gestrichelter Rahmen: noch nicht erreicht oder nicht erforderlich.',
  legendReview: 'Prüfung je Land: ✓ zugestimmt, ✎ Änderungen erbeten, ✗ abgelehnt, ○ offen.',
  currentPhase: 'Aktuelle Phase',
  donePhase: 'durchlaufen',
  upcomingPhase: 'noch nicht erreicht',
  skippedPhase: 'nicht erforderlich',
  otherEndings: 'Andere Abschlüsse',
  diagramTitle: 'Lebenszyklus von {id}',
  diagramDesc: 'Aktuelle Phase: {phase}. {reviews}',
  reviewsTitle: 'Prüfung durch die Partner',
  invitationsTitle: 'Eingeladene Länder',
  cabinetTitle: 'Kabinettsbeschlüsse',
  bundesratTitle: 'Bundesrat',
  pendingTitle: 'Offene Schritte',
  pendingNone: 'Keine offenen Schritte.',
  timelineTitle: 'Zeitleiste',
  system: 'System',
  drucksache: 'Drucksache',
  procedure: 'Verfahrensart',
  plenarySession: 'Plenarsitzung',
  plenarySessionValue: 'Nr. {number} am {date}',
  committees: 'Ausschüsse',
  leadCommittee: 'federführend',
  postponements: 'Vertagungen',
  applicants: 'Antragsteller',
  forwardingDueOn: 'Zuleitung an die Bundesregierung bis',

  operationsLabel: 'Betrieb',
  temporalUi: 'Temporal Web UI',
  health: 'Datenbank: {database}, Temporal: {temporal}',
  healthOk: 'erreichbar',
  healthDown: 'nicht erreichbar',

  'phase.review': 'Prüfung durch die Länder',
  'phase.revision': 'Überarbeitung',
  'phase.consultation': 'Beteiligung weiterer Länder',
  'phase.cabinet': 'Kabinettsbefassung',
  'phase.bundesrat': 'Bundesratsverfahren',
  'phase.adopted': 'Beschlossen',
  'phase.rejected': 'Abgelehnt',
  'phase.withdrawn': 'Zurückgezogen',
  'phase.expired': 'Fristablauf',

  'review.pending': 'offen',
  'review.approved': 'zugestimmt',
  'review.changes_requested': 'Änderungen erbeten',
  'review.rejected': 'abgelehnt',

  'invitation.pending': 'offen',
  'invitation.joined': 'beigetreten',
  'invitation.declined': 'abgelehnt',
  'invitation.no_response': 'keine Antwort',

  'cabinetStatus.pending': 'offen',
  'cabinetStatus.approved': 'zugestimmt',
  'cabinetStatus.declined': 'abgelehnt',

  'bundesratStatus.preparing': 'in Vorbereitung',
  'bundesratStatus.submitted': 'eingebracht',
  'bundesratStatus.referred': 'an Ausschüsse überwiesen',
  'bundesratStatus.decided': 'entschieden',

  'procedure.committee': 'Ausschusszuweisung',
  'procedure.immediate': 'sofortige Sachentscheidung',

  'channel.joint': 'Gemeinsames Vorhaben',
  'channel.bundesrat': 'Bundesratsinitiative',
  'instrument.gesetzesantrag': 'Gesetzesantrag',
  'instrument.entschliessungsantrag': 'Entschließungsantrag',

  'topic.ai_supercomputing': 'Künstliche Intelligenz und Supercomputing',
  'topic.infrastructure_economy': 'Digitale Infrastruktur und Wirtschaft',
  'topic.egovernment': 'eGovernment',
  'topic.digital_work': 'Digitale Arbeitswelt und digitale Arbeitsmodelle',
  'topic.education': 'Bildung',
  'topic.ehealth': 'eHealth',
  'topic.cybersecurity': 'Cybersicherheit',
  'topic.mobility': 'Mobilität',

  'action.review': 'Prüfen',
  'action.revise': 'Überarbeiten',
  'action.respond': 'Einladung beantworten',
  'action.cabinet': 'Kabinettsbeschluss',
  'action.submit': 'Im Bundesrat einbringen',
  'action.refer': 'Ausschusszuweisung erfassen',
  'action.decide': 'Plenarbeschluss erfassen',
  'action.calendar': 'Plenarkalender ergänzen',

  'role.proposer': 'einreichende Stelle',
  'role.reviewer': 'prüfende Stelle',
  'role.cabinet': 'Staatskanzlei',
  'role.liaison': 'Landesvertretung',
  'role.viewer': 'lesend',
  'role.admin': 'Betrieb',
  'role.system': 'System',

  'event.initiative_created': 'Initiative angelegt',
  'event.review_decided': 'Prüfung entschieden',
  'event.revision_submitted': 'Überarbeitung eingereicht',
  'event.withdrawn': 'Zurückgezogen',
  'event.phase_changed': 'Phasenwechsel',
  'event.review_reminder': 'Erinnerung an die Prüffrist',
  'event.review_escalated': 'Prüffrist überschritten',
  'event.expired': 'Frist abgelaufen',
  'event.invitation_no_response': 'Einladung unbeantwortet',
  'event.invited': 'Länder eingeladen',
  'event.invitation_answered': 'Einladung beantwortet',
  'event.cabinet_decided': 'Kabinettsbeschluss',
  'event.bundesrat_submitted': 'Im Bundesrat eingebracht',
  'event.bundesrat_referred': 'An Ausschüsse überwiesen',
  'event.plenary_decided': 'Plenarbeschluss',
  'event.accession_declared': 'Beitritt erklärt',
  'event.session_booked': 'Plenarsitzung gebucht',
  'event.deadline_extended': 'Frist verlängert',
  'event.attachment_added': 'Anlage hinzugefügt',
  'event.attachment_withdrawn': 'Anlage zurückgezogen',
  'event.corrected': 'Angabe berichtigt',
  'event.committee_recommended': 'Ausschussempfehlung',
  'event.bundesrat_follow_up': 'Weiterleitung an den Bundestag',
  'event.bundesrat_decision_reminder': 'Erinnerung an den Plenarbeschluss',

  'decision.adopted': 'angenommen',
  'decision.rejected': 'abgelehnt',
  'decision.postponed': 'vertagt',

  'landName.BW': 'Baden-Württemberg',
  'landName.BY': 'Bayern',
  'landName.BE': 'Berlin',
  'landName.BB': 'Brandenburg',
  'landName.HB': 'Bremen',
  'landName.HH': 'Hamburg',
  'landName.HE': 'Hessen',
  'landName.MV': 'Mecklenburg-Vorpommern',
  'landName.NI': 'Niedersachsen',
  'landName.NW': 'Nordrhein-Westfalen',
  'landName.RP': 'Rheinland-Pfalz',
  'landName.SL': 'Saarland',
  'landName.SN': 'Sachsen',
  'landName.ST': 'Sachsen-Anhalt',
  'landName.SH': 'Schleswig-Holstein',
  'landName.TH': 'Thüringen',

  // The API's problem types (https://digital-dialog.example/problems/<status>) in plain words.
  'problem.400': 'Einige Angaben passen nicht. Bitte prüfen Sie die markierten Felder.',
  'problem.401': 'Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an.',
  'problem.403': 'Diesen Schritt dürfen Sie bei dieser Initiative nicht ausführen.',
  'problem.404': 'Diese Initiative gibt es nicht, oder Sie dürfen sie nicht sehen.',
  'problem.409':
    'Jemand anderes war schneller: Die Initiative hat sich inzwischen geändert, und Ihr Schritt passt nicht mehr zu ihrem Stand.',
  'problem.412':
    'Die Initiative wurde geändert, seit Sie sie geöffnet haben. Ihr Schritt wurde deshalb nicht ausgeführt.',
  'problem.413': 'Ihre Angaben sind zu umfangreich. Bitte kürzen Sie sie.',
  'problem.415': 'Die Angaben wurden in einem Format gesendet, das der Dienst nicht annimmt.',
  'problem.422':
    'Diese Übermittlung wurde schon einmal mit anderen Angaben gesendet. Bitte senden Sie erneut.',
  'problem.429': 'Zu viele Anfragen in kurzer Zeit. Bitte warten Sie einen Moment und senden Sie erneut.',
  'problem.running':
    'Ihre vorige Übermittlung wird noch bearbeitet. Bitte senden Sie in einem Moment erneut.',
  'problem.unavailable':
    'Der Dienst ist gerade nicht erreichbar, und es ist offen, ob Ihr Schritt gespeichert wurde. Senden Sie einfach erneut: Er wird nicht doppelt ausgeführt. Ihre Eingaben bleiben erhalten.',
  'problem.other': 'Der Dienst hat den Schritt nicht angenommen (Status {status}).',
};

/** @type {Partial<Record<keyof typeof de, string>>} */
const en = {
  ...workEn,
  ...laenderkreisEn,
  ...platformEn,
  appName: 'Digital Dialog – Initiatives',
  skipToContent: 'Skip to content',
  navigation: 'Main navigation',
  overview: 'Overview',
  initiatives: 'Initiatives',
  signOut: 'Sign out',
  switchTo: 'Deutsch',
  switchToLabel: 'Auf Deutsch umschalten',
  loading: 'Loading …',

  signInTitle: 'Sign in',
  signInIntro:
    'Enter your access token (for example with the role “viewer”). It is kept for this browser session only and discarded when the tab closes.',
  tokenLabel: 'Access token',
  tokenHint: 'A JSON Web Token as issued by “npm run token” or your sign-in service.',
  signIn: 'Sign in',
  tokenMissing: 'Please enter an access token.',
  tokenRefused: 'The token was not accepted (expired or invalid).',
  sessionExpired: 'Your session has expired. Please sign in again.',
  errorTitle: 'Error',
  loadFailed: 'The data could not be loaded: {detail}',

  liveConnected: 'Live updates on',
  liveConnecting: 'Connecting live updates …',
  liveOff: 'Live updates interrupted, retrying',
  updated: '{id} was updated: {phase}.',

  overdueTitle: 'Overdue',
  overdueNone: 'No initiative is overdue.',
  overdueCount: '{count} overdue',
  byPhaseTitle: 'By phase',
  byTopicTitle: 'By topic',
  byLandTitle: 'By Land',
  byLandCaption: 'Initiatives the Land takes part in',
  recentTitle: 'Created most recently',
  showAll: 'Show all initiatives',
  count: 'Count',
  medianDays: 'Median time in phase (days)',
  total: 'Total: {count}',

  filterTitle: 'Filters',
  filterApply: 'Apply',
  filterReset: 'Reset',
  any: 'any',
  yes: 'yes',
  no: 'no',
  search: 'Search in title and summary',
  results: 'Results',
  resultsShown: '{count} shown',
  noResults: 'No initiative matches the filters.',
  loadMore: 'Load more',

  reference: 'Reference',
  title: 'Title',
  topic: 'Topic',
  phase: 'Phase',
  channel: 'Channel',
  instrument: 'Instrument',
  land: 'Land',
  leadLand: 'Lead Land',
  proposer: 'Proposer',
  ressort: 'Ministry',
  round: 'Round',
  overdue: 'Overdue',
  overdueFlag: 'overdue',
  dueAt: 'Due',
  createdAt: 'Created',
  updatedAt: 'Last changed',
  version: 'Version',
  status: 'Status',
  by: 'By',
  at: 'On',
  comment: 'Comment',
  outcome: 'Outcome',

  notFound: 'This initiative does not exist, or you may not read it.',
  backToList: 'Back to the list',
  summary: 'Summary',
  motionTextLabel: 'Motion text (Markdown)',
  textVersionLabel: 'Text version read',
  lifecycleTitle: 'Course of the procedure',
  lifecycleLegend: 'Legend',
  legendCurrent: 'Thick border and “Current phase”: where the initiative stands.',
  legendDone: '✓ done: the initiative has passed this phase.',
  legendUpcoming: 'Dashed border: not reached yet, or not needed.',
  legendReview: 'Review per Land: ✓ approved, ✎ changes requested, ✗ rejected, ○ pending.',
  currentPhase: 'Current phase',
  donePhase: 'done',
  upcomingPhase: 'not reached yet',
  skippedPhase: 'not needed',
  otherEndings: 'Other endings',
  diagramTitle: 'Lifecycle of {id}',
  diagramDesc: 'Current phase: {phase}. {reviews}',
  reviewsTitle: 'Review by the partners',
  invitationsTitle: 'Invited Länder',
  cabinetTitle: 'Cabinet decisions',
  bundesratTitle: 'Bundesrat',
  pendingTitle: 'Open steps',
  pendingNone: 'No open steps.',
  timelineTitle: 'Timeline',
  system: 'System',
  drucksache: 'Printed paper (Drucksache)',
  procedure: 'Procedure',
  plenarySession: 'Plenary session',
  plenarySessionValue: 'No. {number} on {date}',
  committees: 'Committees',
  leadCommittee: 'lead',
  postponements: 'Postponements',
  applicants: 'Applicants',
  forwardingDueOn: 'Forward to the federal government by',

  operationsLabel: 'Operations',
  temporalUi: 'Temporal Web UI',
  health: 'Database: {database}, Temporal: {temporal}',
  healthOk: 'reachable',
  healthDown: 'unreachable',

  'phase.review': 'Review by the Länder',
  'phase.revision': 'Revision',
  'phase.consultation': 'Consultation of further Länder',
  'phase.cabinet': 'Cabinet',
  'phase.bundesrat': 'Bundesrat procedure',
  'phase.adopted': 'Adopted',
  'phase.rejected': 'Rejected',
  'phase.withdrawn': 'Withdrawn',
  'phase.expired': 'Expired',

  'review.pending': 'pending',
  'review.approved': 'approved',
  'review.changes_requested': 'changes requested',
  'review.rejected': 'rejected',

  'invitation.pending': 'pending',
  'invitation.joined': 'joined',
  'invitation.declined': 'declined',
  'invitation.no_response': 'no response',

  'cabinetStatus.pending': 'pending',
  'cabinetStatus.approved': 'approved',
  'cabinetStatus.declined': 'declined',

  'bundesratStatus.preparing': 'in preparation',
  'bundesratStatus.submitted': 'submitted',
  'bundesratStatus.referred': 'referred to committees',
  'bundesratStatus.decided': 'decided',

  'procedure.committee': 'committee referral',
  'procedure.immediate': 'immediate decision',

  'channel.joint': 'Joint project',
  'channel.bundesrat': 'Bundesrat motion',
  'instrument.gesetzesantrag': 'Bill',
  'instrument.entschliessungsantrag': 'Resolution',

  'topic.ai_supercomputing': 'Artificial intelligence and supercomputing',
  'topic.infrastructure_economy': 'Digital infrastructure and economy',
  'topic.egovernment': 'eGovernment',
  'topic.digital_work': 'Digital work and working models',
  'topic.education': 'Education',
  'topic.ehealth': 'eHealth',
  'topic.cybersecurity': 'Cybersecurity',
  'topic.mobility': 'Mobility',

  'action.review': 'Review',
  'action.revise': 'Revise',
  'action.respond': 'Answer the invitation',
  'action.cabinet': 'Cabinet decision',
  'action.submit': 'Submit to the Bundesrat',
  'action.refer': 'Record the committee referral',
  'action.decide': 'Record the plenary decision',
  'action.calendar': 'Extend the plenary calendar',

  'role.proposer': 'proposer',
  'role.reviewer': 'reviewer',
  'role.cabinet': 'State Chancellery',
  'role.liaison': 'liaison office',
  'role.viewer': 'viewer',
  'role.admin': 'operations',
  'role.system': 'System',

  'event.initiative_created': 'Initiative created',
  'event.review_decided': 'Review decided',
  'event.revision_submitted': 'Revision submitted',
  'event.withdrawn': 'Withdrawn',
  'event.phase_changed': 'Phase change',
  'event.review_reminder': 'Review deadline reminder',
  'event.review_escalated': 'Review deadline passed',
  'event.expired': 'Deadline expired',
  'event.invitation_no_response': 'Invitation unanswered',
  'event.invited': 'Länder invited',
  'event.invitation_answered': 'Invitation answered',
  'event.cabinet_decided': 'Cabinet decision',
  'event.bundesrat_submitted': 'Submitted to the Bundesrat',
  'event.bundesrat_referred': 'Referred to committees',
  'event.plenary_decided': 'Plenary decision',
  'event.accession_declared': 'Accession declared',
  'event.session_booked': 'Plenary session booked',
  'event.deadline_extended': 'Deadline extended',
  'event.attachment_added': 'Attachment added',
  'event.attachment_withdrawn': 'Attachment withdrawn',
  'event.corrected': 'Record corrected',
  'event.committee_recommended': 'Committee recommendation',
  'event.bundesrat_follow_up': 'Forwarding to the Bundestag',
  'event.bundesrat_decision_reminder': 'Plenary decision reminder',

  'decision.adopted': 'adopted',
  'decision.rejected': 'rejected',
  'decision.postponed': 'postponed',

  'landName.BY': 'Bavaria',
  'landName.HE': 'Hesse',
  'landName.MV': 'Mecklenburg-Western Pomerania',
  'landName.NI': 'Lower Saxony',
  'landName.NW': 'North Rhine-Westphalia',
  'landName.RP': 'Rhineland-Palatinate',
  'landName.SN': 'Saxony',
  'landName.ST': 'Saxony-Anhalt',
  'landName.TH': 'Thuringia',

  'problem.400': 'Some of your input does not fit. Please check the marked fields.',
  'problem.401': 'Your sign-in has expired. Please sign in again.',
  'problem.403': 'You may not take this step on this initiative.',
  'problem.404': 'This initiative does not exist, or you may not see it.',
  'problem.409':
    'Someone else was faster: the initiative has changed in the meantime, and your step no longer fits its state.',
  'problem.412': 'The initiative has changed since you opened it, so your step was not taken.',
  'problem.413': 'Your input is too long. Please shorten it.',
  'problem.415': 'The input was sent in a format the service does not accept.',
  'problem.422': 'This submission was sent before with different input. Please send it again.',
  'problem.429': 'Too many requests in a short time. Please wait a moment and send again.',
  'problem.running': 'Your previous submission is still being processed. Please send again in a moment.',
  'problem.unavailable':
    'The service cannot be reached right now, and whether your step was saved is open. Just send it again: it will not be taken twice. Your input is kept.',
  'problem.other': 'The service did not accept the step (status {status}).',
};

/** @typedef {keyof typeof de} MessageKey */

const STORAGE_KEY = 'dd.language';

/** @type {Language} */
let language = localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'de';

export const currentLanguage = () => language;

/** @param {Language} next */
export function setLanguage(next) {
  language = next;
  localStorage.setItem(STORAGE_KEY, next);
  document.documentElement.lang = next;
}

/**
 * The text for `key` in the current language, with `{name}` placeholders filled in.
 * @param {string} key
 * @param {Record<string, string | number>} [values]
 */
export function t(key, values = {}) {
  const dictionary = /** @type {Record<string, string | undefined>} */ (language === 'en' ? en : {});
  const text = dictionary[key] ?? /** @type {Record<string, string | undefined>} */ (de)[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (/** @type {string} */ whole, /** @type {string} */ name) =>
    String(values[name] ?? whole),
  );
}

/** Labels of a domain value, e.g. label('phase', 'review'). @param {string} kind @param {string} value */
export const label = (kind, value) => t(`${kind}.${value}`);

/** Replaces the text of every element marked `data-i18n` (the static page shell). */
export function translateShell() {
  document.documentElement.lang = language;
  for (const element of document.querySelectorAll('[data-i18n]')) {
    const key = element.getAttribute('data-i18n');
    if (key) element.textContent = t(key);
  }
  document.title = t('appName');
}

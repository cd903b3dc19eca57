/**
 * The German text of each mail (docs/notifications.md): subject and plain-text body, made from what the
 * outbox row recorded (db/mail.ts) when it is sent, with links into the dashboard at `publicUrl`.
 */
import type { MailKind } from '../db/mail.js';

const ACTIONS: Record<string, string> = {
  review: 'Prüfung',
  revise: 'Überarbeitung',
  respond: 'Antwort auf die Einladung',
  cabinet: 'Kabinettsbefassung',
  submit: 'Einbringung in den Bundesrat',
  refer: 'Überweisung im Bundesrat',
  decide: 'Entscheidung im Bundesrat',
  calendar: 'Plenarsitzungen des Bundesrates eintragen',
};

const OUTCOMES: Record<string, string> = {
  adopted: 'angenommen',
  rejected: 'abgelehnt',
  withdrawn: 'zurückgezogen',
  expired: 'abgelaufen',
};

const GERMAN_DATE = new Intl.DateTimeFormat('de-DE', { dateStyle: 'long', timeZone: 'Europe/Berlin' });

const dateOf = (iso: unknown) =>
  typeof iso === 'string' && !Number.isNaN(Date.parse(iso)) ? GERMAN_DATE.format(new Date(iso)) : undefined;

const str = (value: unknown) => (typeof value === 'string' ? value : '');

interface ActionData {
  action?: unknown;
  dueAt?: unknown;
}

const actionLine = (action: ActionData) => {
  const label = ACTIONS[str(action.action)] ?? str(action.action);
  const due = dateOf(action.dueAt);
  return due ? `${label} (fällig am ${due})` : label;
};

const initiativeLink = (publicUrl: string, id: string) =>
  `${publicUrl}/#/initiatives/${encodeURIComponent(id)}`;

const FOOTER =
  '\n\n--\nDiese Nachricht hat der Digital Dialog (Bayern – Nordrhein-Westfalen) automatisch versandt.\n' +
  'Welche E-Mails Sie erhalten, legen Sie im Dashboard unter „Meine Einstellungen“ fest.\n';

/** One item of a mail: a line naming the initiative and what happened, and its link. */
function itemOf(kind: string, data: Record<string, unknown>, publicUrl: string) {
  const id = str(data.initiativeId);
  const named = `„${str(data.title)}“ (${id})`;
  const actions = Array.isArray(data.actions) ? (data.actions as ActionData[]) : [];
  const line =
    kind === 'task'
      ? `Neue Aufgabe: ${actionLine(data)} – ${named}`
      : kind === 'reminder'
        ? `Erinnerung: ${actions.map(actionLine).join(', ')} – ${named}`
        : kind === 'escalation'
          ? `Frist überschritten: ${actions.map(actionLine).join(', ')} – ${named}`
          : `Entschieden: ${named} wurde ${OUTCOMES[str(data.outcome)] ?? str(data.outcome)}`;
  return { line, link: initiativeLink(publicUrl, id) };
}

export function renderMail(
  kind: MailKind,
  data: Record<string, unknown>,
  publicUrl: string,
): { subject: string; text: string } {
  if (kind === 'digest') {
    const items = Array.isArray(data.items) ? (data.items as Record<string, unknown>[]) : [];
    const day = dateOf(`${str(data.day)}T12:00:00Z`) ?? str(data.day);
    const lines = items.map((item) => {
      const { line, link } = itemOf(str(item.kind), item, publicUrl);
      return `- ${line}\n  ${link}`;
    });
    return {
      subject: `Digital Dialog: Ihre Übersicht vom ${day} (${items.length})`,
      text:
        `Guten Tag,\n\nseit der letzten Übersicht ist im Digital Dialog Folgendes geschehen:\n\n` +
        `${lines.join('\n')}\n\nIhre offenen Aufgaben: ${publicUrl}/#/tasks${FOOTER}`,
    };
  }
  const { line, link } = itemOf(kind, data, publicUrl);
  const intro =
    kind === 'task'
      ? 'im Digital Dialog wartet eine neue Aufgabe auf Sie.'
      : kind === 'reminder'
        ? 'eine Frist im Digital Dialog läuft bald ab.'
        : kind === 'escalation'
          ? 'eine Frist im Digital Dialog ist überschritten.'
          : 'eine Initiative, an der Sie mitgewirkt haben, ist entschieden.';
  return {
    // A title is one line in a header: line breaks and runs of white space become one space.
    subject: `Digital Dialog – ${line}`.replace(/\s+/g, ' '),
    text:
      `Guten Tag,\n\n${intro}\n\n${line}\n\nZur Initiative: ${link}\n` +
      `Ihre offenen Aufgaben: ${publicUrl}/#/tasks${FOOTER}`,
  };
}

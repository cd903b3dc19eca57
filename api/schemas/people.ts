/** `/v1/me/notifications`: a person's e-mail preferences (docs/notifications.md). */
import { Type } from 'typebox';
import { MAIL_EVENTS } from '../../db/mail.js';
import { oneOf } from '../../workflows/schemas.js';

const MailEventSchema = oneOf(
  MAIL_EVENTS,
  'task: a new action this person may perform; reminder, escalation: of those; decided: an initiative ' +
    'they took part in reached its outcome',
);

export const NotificationPreferences = Type.Object(
  {
    email: Type.Union([Type.String({ format: 'email', maxLength: 320 }), Type.Null()], {
      description: 'where mails go; null: no mails',
      examples: ['referat-d1@stmd.bayern.de'],
    }),
    events: Type.Array(MailEventSchema, { uniqueItems: true, maxItems: MAIL_EVENTS.length }),
    digest: oneOf(
      ['immediate', 'daily'] as const,
      'immediate: one mail per event; daily: one digest at 07:00 Europe/Berlin',
    ),
  },
  { additionalProperties: false },
);

export const NotificationPreferencesBody = Type.Object(
  {
    email: Type.Optional(NotificationPreferences.properties.email),
    events: NotificationPreferences.properties.events,
    digest: NotificationPreferences.properties.digest,
  },
  { additionalProperties: false },
);

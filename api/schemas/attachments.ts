/** Attachments of an initiative (docs/texts.md, Attachments). */
import { Type } from 'typebox';
import { InitiativeId, Text } from '../../workflows/schemas.js';
import { AttachmentSchema } from './initiative.js';

export { AttachmentSchema };

export const AttachmentParams = Type.Object({
  id: InitiativeId,
  attachmentId: Type.Integer({ minimum: 1, description: 'the attachment, from 1' }),
});

export const AttachmentList = Type.Object({ items: Type.Array(AttachmentSchema) });

export const AttachmentWithdrawalBody = Type.Object(
  { reason: Type.Optional(Text(2_000)) },
  { additionalProperties: false, examples: [{ reason: 'Ersetzt durch die korrigierte Fassung.' }] },
);

export const AttachmentBytes = {
  description: 'the bytes with the stored media type, as a download (Content-Disposition: attachment)',
  content: { 'application/octet-stream': { schema: Type.String({ format: 'binary' }) } },
};

/** The upload's form, for the OpenAPI document (the route reads the parts itself, streaming). */
export const AttachmentUpload = {
  description: 'multipart/form-data: `title` (1 to 200 characters) and one `file`',
  content: {
    'multipart/form-data': {
      schema: Type.Object({
        title: Type.String({ minLength: 1, maxLength: 200 }),
        file: Type.String({ format: 'binary' }),
      }),
    },
  },
};

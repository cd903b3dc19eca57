/**
 * Supporting documents: adding one and withdrawing it. Their HTTP routes are the API's own
 * (api/routes/attachments.ts: a streamed multipart upload, a path with the attachment's id), so these
 * entries have no `http`; who may send them and what the workflow checks are defined here, once.
 */
import { defineUpdate } from '@temporalio/workflow';
import type { Initiative } from '../contracts.js';
import {
  applyAttach,
  applyAttachmentWithdrawal,
  checkAttachmentWithdrawal,
  mayAttach,
  type AttachCommand,
  type AttachmentWithdrawalCommand,
} from '../lifecycle/attachments.js';
import { defineCommand } from './define.js';
import { takesPart } from './rules.js';

export const attach = defineCommand({
  action: 'attach',
  update: defineUpdate<Initiative, [AttachCommand]>('attach'),
  who: { roles: ['proposer', 'reviewer'], what: 'adds attachments', rules: [takesPart] },
  mayAct: mayAttach,
  apply: applyAttach,
});

export const withdrawAttachment = defineCommand({
  action: 'withdrawAttachment',
  update: defineUpdate<Initiative, [AttachmentWithdrawalCommand]>('withdrawAttachment'),
  who: { roles: ['proposer', 'reviewer'], what: 'withdraws attachments', rules: [takesPart] },
  mayAct: mayAttach,
  checkPayload: checkAttachmentWithdrawal,
  apply: applyAttachmentWithdrawal,
});

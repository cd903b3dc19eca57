/**
 * Supporting documents (docs/texts.md, Attachments): adding one and withdrawing it. The API has stored the
 * bytes content-addressed before the command; the workflow records only their description and sha256, and
 * the audit events carry the sha256, so the chain proves which file was on the record.
 */
import type { Attachment, CommandBase, LifecycleState } from '../contracts.js';
import { FailureType } from '../contracts.js';
import { Rejection, change, type Transition } from './frame.js';
import { checkOpen } from './state.js';

export interface AttachCommand extends CommandBase {
  title: string;
  filename: string;
  mediaType: string;
  size: number;
  sha256: string;
}

export interface AttachmentWithdrawalCommand extends CommandBase {
  attachment: number;
  reason?: string;
}

/** Any open phase: a terminal initiative takes no more documents (409). */
export const mayAttach = (state: LifecycleState): Rejection | undefined => checkOpen(state);

export function applyAttach(state: LifecycleState, command: AttachCommand, now: string): Transition {
  return change(state, now, (c) => {
    const { initiative } = state;
    const { actor } = command;
    const attachments = (initiative.attachments ??= []);
    const attachment: Attachment = {
      id: attachments.length + 1,
      title: command.title,
      filename: command.filename,
      mediaType: command.mediaType,
      size: command.size,
      sha256: command.sha256,
      by: { sub: actor.sub, name: actor.name, land: actor.land },
      at: now,
      withdrawn: false,
    };
    attachments.push(attachment);
    c.emit('attachment_added', actor, {
      attachment: attachment.id,
      title: attachment.title,
      filename: attachment.filename,
      mediaType: attachment.mediaType,
      size: attachment.size,
      sha256: attachment.sha256,
    });
  });
}

/** Only the uploader withdraws, and only once; the attachment must exist. */
export function checkAttachmentWithdrawal(
  state: LifecycleState,
  command: AttachmentWithdrawalCommand,
): Rejection | undefined {
  const attachment = state.initiative.attachments?.find((a) => a.id === command.attachment);
  if (!attachment)
    return new Rejection(FailureType.InvalidInput, `The initiative has no attachment ${command.attachment}.`);
  if (attachment.by.sub !== command.actor.sub)
    return new Rejection(FailureType.Forbidden, 'Only the uploader withdraws an attachment.');
  if (attachment.withdrawn)
    return new Rejection(FailureType.Conflict, `Attachment ${attachment.id} is already withdrawn.`);
  return undefined;
}

export function applyAttachmentWithdrawal(
  state: LifecycleState,
  command: AttachmentWithdrawalCommand,
  now: string,
): Transition {
  return change(state, now, (c) => {
    const attachment = state.initiative.attachments?.find((a) => a.id === command.attachment);
    if (!attachment) throw new Error(`no attachment ${command.attachment}`); // excluded by the check
    attachment.withdrawn = true;
    attachment.withdrawal = { at: now, ...(command.reason === undefined ? {} : { reason: command.reason }) };
    c.emit('attachment_withdrawn', command.actor, {
      attachment: attachment.id,
      sha256: attachment.sha256,
      ...(command.reason === undefined ? {} : { reason: command.reason }),
    });
  });
}

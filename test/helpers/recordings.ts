/**
 * How each lifecycle path of test/helpers/histories.ts is driven for its recorded history
 * (scripts/record-histories.ts): the steps over the API (the kit's Flow, as the tests drive them), the
 * phase the initiative ends or waits in, the audit events it must leave, and for some paths checks of
 * the Temporal history itself. Free of vitest.
 *
 * The Bundesrat paths run on the 2019 plenary calendar, which the recorder sets up front; past session
 * dates make the liaison's reminder due at once (calendar-end-rebooked extends the calendar, so it comes
 * last). The webhook paths (v3) subscribe the kit's loopback receiver to every lifecycle event for the
 * time of their recording. Most paths record the initiative workflow's history; a path may name another
 * workflow instead, e.g. one of the notification workflows the initiative started
 * (`<initiativeId>/notifications/<seq>`).
 */
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils.js';
import {
  WEBHOOK_EVENTS,
  type ActingPrincipal,
  type AuditEventType,
  type WebhookEvent,
} from '../../workflows/contracts.js';
import { review } from '../../workflows/commands/index.js';
import type { Phase } from '../../workflows/domain.js';
import { eventually } from '../kit/client.js';
import { MOTION_TEXT } from '../kit/initiatives.js';
import {
  addDays,
  berlinToday,
  BOTH_APPROVED,
  check,
  REVISION_ROUND,
  SESSIONS_2019,
  TO_BUNDESRAT,
  type Flow,
} from '../kit/flow.js';
import type { WebhookReceiver } from '../kit/receiver.js';
import type { HistoryPath } from './histories.js';
import { session2019 } from './plenary-2019.js';
import { coApply, decideConference, register, testConference, toConference } from './laenderkreis-flow.js';

export interface RecordingContext {
  flow: Flow;
  client: Client;
  receiver: WebhookReceiver;
  /** Webhook subscriptions of the path being recorded; removed once its history is written. */
  subscriptions: string[];
}

export interface Recording {
  /** The phase the initiative ends in (or waits in, for an open workflow). */
  phase: Phase;
  /** The outcome's reason, for a path that closes the initiative and whose reason matters. */
  reason?: string;
  /** Audit event types the path must have produced, in this order (other events may lie between). */
  audit: AuditEventType[];
  /** Drives the path through the API and returns the initiative (= workflow) id. */
  drive(context: RecordingContext): Promise<string>;
  /**
   * The workflow whose history is the fixture, once the initiative's workflow has closed or settled: the
   * initiative's own unless given. Another workflow is awaited until it completes.
   */
  workflowId?(initiativeId: string, context: RecordingContext): Promise<string>;
  /** Fails the recording unless the history holds what the path is about. */
  checkHistory?(history: History): void;
  /**
   * The run stays open after the terminal phase (a Bundesrat motion behind `fidelity-after-close`): the
   * recorder waits for it to settle instead of for its result.
   */
  staysOpen?: boolean;
}

/** The Bundesrat motions of the recordings: bills of the Bavarian digital ministry. */
const BILL = { ressort: 'StMD' };
const CHANGES = 'Bitte die Kostenteilung ergänzen.';

/** Waits until the audit trail holds `count` events of `type` (timers fire while commands wait). */
async function waitForEvents(flow: Flow, id: string, type: AuditEventType, count: number) {
  await eventually(
    async () => (await flow.history(id)).filter((item) => item.type === type).length,
    (found) => {
      if (found > count) throw new Error(`${id}: ${found} ${type} events, expected ${count}`);
      return found === count;
    },
    { timeoutMs: 60_000, what: `${count} ${type} event(s) on ${id}` },
  );
}

/** NW requests changes, BY approves: the initiative goes into revision. */
async function toRevision(flow: Flow, id: string): Promise<void> {
  const { who } = flow;
  await flow.command(id, '/reviews', who.reviewerNW, { decision: 'request_changes', comment: CHANGES });
  const revision = await flow.command(id, '/reviews', who.reviewerBY, { decision: 'approve' });
  check('phase after the second review', revision.phase, 'revision');
}

/**
 * A bill in the Bundesrat stage (after `prepare`, if given), submitted by BY's liaison; the booked
 * session lies in the past, so the liaison's reminder is due at once and is waited for.
 */
async function submitted(
  flow: Flow,
  submission: { drucksache: string; submittedOn: string; procedure: 'committee' | 'immediate' },
  session: number,
  prepare?: (id: string) => Promise<void>,
): Promise<string> {
  const { id } = await flow.toBundesrat(BILL);
  await prepare?.(id);
  const answer = await flow.command(id, '/bundesrat/submission', flow.who.liaisonBY, submission);
  check('session booked on submission', answer.bundesrat?.plenarySession, session2019(session));
  await waitForEvents(flow, id, 'bundesrat_decision_reminder', 1);
  return id;
}

/** The audit trail of such a bill up to the reminder. */
const SUBMITTED: AuditEventType[] = [...TO_BUNDESRAT, 'bundesrat_submitted', 'bundesrat_decision_reminder'];

/** The plenary's decision, as BY's liaison enters it. */
const plenary = (flow: Flow, id: string, decision: string, decidedOn: string) =>
  flow.command(id, '/bundesrat/decision', flow.who.liaisonBY, { decision, decidedOn });

/** Fails unless the history holds the marker of `patch`. */
function expectPatchMarker(patch: string): (history: History) => void {
  return (history) => {
    if (!patchMarkers(history).includes(patch)) throw new Error(`no ${patch} marker in the history`);
  };
}

/** Uploads `bytes` as an attachment over the API (multipart, as a browser sends it). */
async function attach(flow: Flow, id: string, as: string, title: string, bytes: Buffer, filename: string) {
  const form = new FormData();
  form.append('title', title);
  form.append('file', new Blob([bytes]), filename);
  const response = await fetch(`${flow.api.baseUrl}/v1/initiatives/${id}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${as}` },
    body: form,
  });
  if (response.status !== 201) throw new Error(`attach: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: number };
}

export const RECORDINGS: Record<HistoryPath, Recording> = {
  'texts-attachments': {
    phase: 'cabinet',
    audit: [
      'initiative_created',
      'attachment_added',
      'attachment_added',
      'attachment_withdrawn',
      'review_decided',
      'review_decided',
    ],
    async drive({ flow }) {
      const { who } = flow;
      const { id } = await flow.motion();
      const note = Buffer.from('Stellungnahme: Die Kosten trägt der Bund.\n', 'utf8');
      const first = await attach(flow, id, who.reviewerNW, 'Stellungnahme NRW', note, 'stellungnahme.txt');
      await attach(flow, id, who.proposerBY, 'Stellungnahme (Kopie)', note, 'kopie.txt');
      await flow.command(id, `/attachments/${first.id}/withdrawal`, who.reviewerNW, { reason: 'Doppelt.' });
      await flow.approveBoth(id);
      return id;
    },
    checkHistory: expectPatchMarker('texts-attachments'),
  },

  'texts-motion-revised': {
    phase: 'cabinet',
    audit: [
      'initiative_created',
      'review_decided',
      'review_decided',
      'revision_submitted',
      'review_decided',
      'review_decided',
    ],
    async drive({ flow }) {
      const { who } = flow;
      const { id } = await flow.motion();
      await flow.command(id, '/reviews', who.reviewerNW, {
        decision: 'request_changes',
        comment: CHANGES,
        textVersion: 1,
        remarks: [{ paragraph: 2, text: 'Welche Behörde ist zuständig?' }],
      });
      await flow.command(id, '/reviews', who.reviewerBY, { decision: 'approve', textVersion: 1 });
      await flow.command(id, '/revisions', who.proposerBY, {
        text: `${MOTION_TEXT}\n\n- Artikel 2: Zuständig ist das Bundesamt.`,
        comment: 'Zuständigkeit ergänzt.',
      });
      await flow.command(id, '/reviews', who.reviewerNW, { decision: 'approve', textVersion: 2 });
      await flow.command(id, '/reviews', who.reviewerBY, {
        decision: 'approve',
        textVersion: 2,
        remarks: [{ paragraph: 4, text: 'Einverstanden.' }],
      });
      return id;
    },
    checkHistory: expectPatchMarker('texts-versions'),
  },

  'texts-joint-first-text': {
    phase: 'adopted',
    audit: ['initiative_created', 'revision_submitted', 'review_decided', 'review_decided'],
    async drive({ flow }) {
      const { id } = await flow.create();
      await toRevision(flow, id);
      await flow.command(id, '/revisions', flow.who.proposerBY, {
        text: '# Eckpunkte\n\nDie Länder teilen die Kosten hälftig.',
        comment: 'Eckpunkte als Text.',
      });
      await flow.approveBoth(id);
      return id;
    },
    checkHistory: expectPatchMarker('texts-versions'),
  },

  'joint-adopted': {
    phase: 'adopted',
    audit: BOTH_APPROVED,
    async drive({ flow }) {
      const { id } = await flow.create();
      await flow.approveBoth(id);
      return id;
    },
  },

  rejected: {
    phase: 'rejected',
    audit: ['initiative_created', 'review_decided', 'phase_changed'],
    async drive({ flow }) {
      const { id } = await flow.create();
      await flow.command(id, '/reviews', flow.who.reviewerNW, {
        decision: 'reject',
        comment: 'Überschneidet sich mit dem Bundesprogramm.',
      });
      return id;
    },
  },

  'revision-round': {
    phase: 'adopted',
    audit: REVISION_ROUND,
    async drive({ flow }) {
      const { id } = await flow.create();
      await toRevision(flow, id);
      await flow.command(id, '/revisions', flow.who.proposerBY, {
        summary: 'Eine gemeinsame Testumgebung für KI-Anwendungen der Verwaltung, Kosten hälftig geteilt.',
        comment: 'Kostenteilung ergänzt.',
      });
      await flow.approveBoth(id);
      return id;
    },
  },

  withdrawn: {
    phase: 'withdrawn',
    audit: ['initiative_created', 'withdrawn', 'phase_changed'],
    async drive({ flow }) {
      const { id } = await flow.create();
      await flow.command(id, '/withdrawal', flow.who.proposerBY, {
        reason: 'Wird im Rahmen der Ministerpräsidentenkonferenz weiterverfolgt.',
      });
      return id;
    },
  },

  'reminder-escalation-expiry': {
    phase: 'expired',
    audit: [
      'initiative_created',
      'review_reminder',
      'review_reminder',
      'review_escalated',
      'review_escalated',
      'expired',
      'phase_changed',
    ],
    async drive({ flow }) {
      const periods = { review: 'PT4S', reminderBefore: 'PT2S', escalationGrace: 'PT3S' };
      return (await flow.create({ periods })).id;
    },
  },

  'revision-expiry': {
    phase: 'expired',
    audit: [
      'initiative_created',
      'review_decided',
      'review_decided',
      'phase_changed',
      'expired',
      'phase_changed',
    ],
    async drive({ flow }) {
      const { id } = await flow.create({ periods: { revision: 'PT3S' } });
      await toRevision(flow, id);
      return id;
    },
  },

  'consultation-wait': {
    phase: 'adopted',
    audit: [
      'initiative_created',
      'review_decided',
      'review_decided',
      'phase_changed',
      'invitation_no_response',
      'phase_changed',
    ],
    async drive({ flow }) {
      const { id } = await flow.create({ invite: ['HE'], periods: { invitation: 'PT5S' } });
      check('phase after both approvals', (await flow.approveBoth(id)).phase, 'consultation');
      return id;
    },
  },

  'bundesrat-cabinet': {
    phase: 'cabinet',
    audit: BOTH_APPROVED,
    async drive({ flow }) {
      const { id } = await flow.motion(BILL);
      await flow.approveBoth(id);
      return id;
    },
  },

  'concurrent-decisions': {
    phase: 'adopted',
    audit: BOTH_APPROVED,
    async drive({ flow }) {
      const { id } = await flow.create();
      await Promise.all([
        flow.command(id, '/reviews', flow.who.reviewerNW, { decision: 'approve' }),
        flow.command(id, '/reviews', flow.who.reviewerBY, { decision: 'approve' }),
      ]);
      return id;
    },
  },

  'rejected-updates': {
    phase: 'adopted',
    audit: BOTH_APPROVED,
    async drive({ flow, client }) {
      const { who } = flow;
      const { id } = await flow.create();
      const approved = await flow.command(id, '/reviews', who.reviewerNW, { decision: 'approve' });
      // Rejected by the workflow's update validators: none of these may leave an event in history.
      const duplicate = await flow.post(id, '/reviews', who.reviewerNW, { decision: 'approve' });
      check('duplicate decision', duplicate.status, 409);
      const stale = await flow.post(
        id,
        '/reviews',
        who.reviewerBY,
        { decision: 'approve' },
        { 'if-match': `"${approved.version - 1}"` },
      );
      check('stale If-Match', stale.status, 412);
      // The API refuses a proposer's review of their own initiative before it reaches Temporal; send the
      // update directly so that the workflow's own four-eyes check is exercised as well.
      try {
        await client.workflow.getHandle(id).executeUpdate(review.update, {
          args: [
            { actor: { sub: 'p-by', name: 'A. Huber', land: 'BY', role: 'reviewer' }, decision: 'approve' },
          ],
        });
        throw new Error('the four-eyes violation was accepted');
      } catch (error) {
        if (!(error instanceof WorkflowUpdateFailedError)) throw error;
      }
      await flow.command(id, '/reviews', who.reviewerBY, { decision: 'approve' });
      return id;
    },
  },

  // ---- v2 ----

  'invitation-joined': {
    phase: 'adopted',
    reason: 'joint_approval',
    audit: [
      'initiative_created',
      'invited',
      'review_decided',
      'review_decided',
      'phase_changed',
      'invitation_answered',
      'phase_changed',
    ],
    async drive({ flow }) {
      const { who } = flow;
      const { id } = await flow.create();
      const invited = await flow.command(id, '/invitations', who.reviewerNW, {
        lands: ['HE'],
        comment: 'Hessen betreibt bereits eine KI-Testumgebung.',
      });
      check('HE after the invitation', invited.participants.at(-1), { land: 'HE', role: 'invited' });
      check('phase after both approvals', (await flow.approveBoth(id)).phase, 'consultation');
      const adopted = await flow.command(id, '/invitations/HE', who.reviewerHE, { decision: 'join' });
      check('phase after HE joins', adopted.phase, 'adopted');
      return id;
    },
  },

  'invitation-declined': {
    phase: 'cabinet',
    audit: ['initiative_created', 'invitation_answered', 'review_decided', 'review_decided', 'phase_changed'],
    async drive({ flow }) {
      const { id } = await flow.motion({ ...BILL, invite: ['HE'] });
      const declined = await flow.command(id, '/invitations/HE', flow.who.reviewerHE, {
        decision: 'decline',
        comment: 'Kein Ressourcenbedarf in Hessen.',
      });
      check('phase after HE declines', declined.phase, 'review');
      const cabinet = await flow.approveBoth(id);
      check('phase after both approvals', cabinet.phase, 'cabinet');
      check('applicants', cabinet.bundesrat?.applicants, ['BY', 'NW']);
      return id;
    },
  },

  'cabinet-partner-decline': {
    phase: 'rejected',
    reason: 'cabinet',
    audit: [
      'initiative_created',
      'review_decided',
      'review_decided',
      'phase_changed',
      'cabinet_decided',
      'phase_changed',
    ],
    async drive({ flow }) {
      const { id } = await flow.toCabinet(BILL);
      const rejected = await flow.command(id, '/cabinet-decisions', flow.who.cabinetNW, {
        decision: 'decline',
        decidedOn: '2019-01-16',
      });
      check('phase after NW declines', rejected.phase, 'rejected');
      return id;
    },
  },

  'cabinet-joined-decline': {
    phase: 'bundesrat',
    audit: [
      'initiative_created',
      'invitation_answered',
      'review_decided',
      'review_decided',
      'phase_changed',
      'cabinet_decided',
      'cabinet_decided',
      'cabinet_decided',
      'phase_changed',
    ],
    async drive({ flow }) {
      const cabinet = await flow.toCabinet(BILL, ['HE']);
      const { id } = cabinet;
      check('applicants in cabinet', cabinet.bundesrat?.applicants, ['BY', 'NW', 'HE']);
      const declined = await flow.command(id, '/cabinet-decisions', flow.who.cabinetHE, {
        decision: 'decline',
        decidedOn: '2019-01-14',
      });
      check('phase after HE declines', declined.phase, 'cabinet');
      check('applicants after HE declines', declined.bundesrat?.applicants, ['BY', 'NW']);
      const bundesrat = await flow.cabinetsApprove(id);
      check('bundesrat status', bundesrat.bundesrat?.status, 'preparing');
      return id;
    },
  },

  'bundesrat-committee-adopted': {
    phase: 'adopted',
    reason: 'bundesrat',
    audit: [
      ...TO_BUNDESRAT,
      'accession_declared',
      'bundesrat_submitted',
      'bundesrat_decision_reminder',
      'bundesrat_referred',
      'plenary_decided',
      'bundesrat_decision_reminder',
      'plenary_decided',
      'phase_changed',
    ],
    async drive({ flow }) {
      const { who } = flow;
      // 2019-03-01 + 14 days: session 975 of 2019-03-15, long past, so the liaison's reminder is due at once.
      const submission = { drucksache: '101/19', submittedOn: '2019-03-01', procedure: 'committee' } as const;
      const id = await submitted(flow, submission, 975, async (bill) => {
        const acceded = await flow.command(bill, '/bundesrat/accessions', who.cabinetSN, {});
        check('applicants after SN accedes', acceded.bundesrat?.applicants, ['BY', 'NW', 'SN']);
      });
      await flow.command(id, '/bundesrat/referral', who.liaisonBY, {
        committees: ['In', 'R'],
        leadCommittee: 'In',
      });
      const postponed = await plenary(flow, id, 'postponed', '2019-03-15');
      check('session after the postponement', postponed.bundesrat?.plenarySession, session2019(976));
      await waitForEvents(flow, id, 'bundesrat_decision_reminder', 2);
      const adopted = await plenary(flow, id, 'adopted', '2019-04-12');
      check('forwardingDueOn', adopted.bundesrat?.forwardingDueOn, '2019-05-24');
      check('postponements', adopted.bundesrat?.postponements, 1);
      return id;
    },
  },

  'bundesrat-immediate-rejected': {
    phase: 'rejected',
    reason: 'bundesrat',
    audit: [...SUBMITTED, 'plenary_decided', 'phase_changed'],
    async drive({ flow }) {
      // The reminder for the past session fires at once; waiting for it keeps the history's order fixed.
      const submission = { drucksache: '102/19', submittedOn: '2019-02-20', procedure: 'immediate' } as const;
      const id = await submitted(flow, submission, 975);
      const rejected = await plenary(flow, id, 'rejected', '2019-03-15');
      check('bundesrat after the rejection', rejected.bundesrat?.decision, 'rejected');
      return id;
    },
  },

  'calendar-end-rebooked': {
    phase: 'adopted',
    reason: 'bundesrat',
    audit: [...SUBMITTED, 'plenary_decided', 'session_booked', 'plenary_decided', 'phase_changed'],
    async drive({ flow }) {
      // The calendar's last session, 2019-12-20, exactly 14 days on.
      const submission = { drucksache: '103/19', submittedOn: '2019-12-06', procedure: 'immediate' } as const;
      const id = await submitted(flow, submission, 984);
      const postponed = await plenary(flow, id, 'postponed', '2019-12-20');
      check('session after a postponement past the calendar', postponed.bundesrat?.plenarySession, null);
      // The admin extends the calendar by a session from today on; the API books it at once.
      const next = { number: 1100, date: addDays(berlinToday(), 14) };
      const extended = await flow.putCalendar([
        ...SESSIONS_2019,
        { ...next, provisional: true, source: 'record-histories: a session from today on' },
      ]);
      check('calendar extension', extended.status, 200);
      const booked = await flow.get(id);
      check('session after the calendar extension', booked.bundesrat?.plenarySession, next);
      // A future session: its reminder timer is still waiting when the plenary decides.
      const adopted = await plenary(flow, id, 'adopted', next.date);
      check('forwardingDueOn', adopted.bundesrat?.forwardingDueOn, addDays(next.date, 42));
      return id;
    },
  },

  // ---- v3 ----

  'webhook-joint-adopted': {
    phase: 'adopted',
    reason: 'joint_approval',
    audit: BOTH_APPROVED,
    async drive(context) {
      const { flow, receiver } = context;
      const webhook = await subscribe(context, '/joint-adopted', () => 200);
      const { id } = await flow.create();
      check('phase after both approvals', (await flow.approveBoth(id)).phase, 'adopted');
      const delivered = await waitForDeliveries(flow, webhook, id, 4);
      check('delivered events', delivered.map((d) => d.event).sort(), [
        'created',
        'outcome',
        'phase_changed',
        'review_requested',
      ]);
      check('receiver answers', receiver.answered('/joint-adopted'), [200, 200, 200, 200]);
      return id;
    },
    checkHistory(history) {
      check('webhook-notifications patch markers', patchMarkers(history), [WEBHOOK_NOTIFICATIONS_PATCH]);
      // One notification run for the creation, one for the adoption (the first approval notifies nobody).
      check(
        'child workflow starts',
        eventsOf(history, 'startChildWorkflowExecutionInitiatedEventAttributes').map(
          (a) => a.workflowType?.name,
        ),
        ['notificationWorkflow', 'notificationWorkflow'],
      );
      check('children started', eventsOf(history, 'childWorkflowExecutionStartedEventAttributes').length, 2);
    },
  },

  'webhook-notification-retried': {
    phase: 'review',
    audit: ['initiative_created'],
    async drive(context) {
      const { flow, receiver } = context;
      // The first request fails; the activity's retry sends what is still pending.
      const webhook = await subscribe(context, '/retried', (_attempt, request) =>
        request === 1 ? 500 : 200,
      );
      const { id } = await flow.create();
      const delivered = await waitForDeliveries(flow, webhook, id, 2);
      check('deliveries (event, attempts)', delivered.map((d) => [d.event, d.attempts]).sort(), [
        ['created', 2],
        ['review_requested', 1],
      ]);
      check('receiver answers', receiver.answered('/retried'), [500, 200, 200]);
      return id;
    },
    async workflowId(initiativeId, { flow }) {
      const created = (await flow.history(initiativeId)).find((item) => item.type === 'initiative_created');
      if (!created) throw new Error(`${initiativeId}: no initiative_created event`);
      return `${initiativeId}/notifications/${created.seq}`;
    },
    checkHistory(history) {
      check(
        'workflow type',
        eventsOf(history, 'workflowExecutionStartedEventAttributes').map((a) => a.workflowType?.name),
        ['notificationWorkflow'],
      );
      // A retried activity shows in history as one start, on the last attempt, with the failure before it.
      check(
        'activity starts (attempt, last failure)',
        eventsOf(history, 'activityTaskStartedEventAttributes').map((a) => [
          a.attempt,
          a.lastFailure?.message?.includes('receiver answered 500') ?? false,
        ]),
        [[2, true]],
      );
      check('activities completed', eventsOf(history, 'activityTaskCompletedEventAttributes').length, 1);
      check('completed', eventsOf(history, 'workflowExecutionCompletedEventAttributes').length, 1);
    },
  },

  // ---- v12 ----

  'origins-format-practice': {
    phase: 'adopted',
    reason: 'joint_approval',
    audit: ['initiative_created', 'review_decided', 'review_decided', 'phase_changed'],
    async drive({ flow }) {
      const { who, api } = flow;
      const practice = await api.expect<{ id: string }>(201, 'POST', '/v1/practices', {
        token: who.proposerNW,
        body: {
          title: 'Digitaler Bauantrag',
          summary: 'Bauanträge werden online gestellt.',
          topic: 'egovernment',
        },
      });
      const format = await api.expect<{ id: string }>(201, 'POST', '/v1/formats', {
        token: who.proposerBY,
        body: {
          title: 'Fachdialog Bauen digital',
          kind: 'fachdialog',
          date: '2026-11-20',
          topics: ['egovernment'],
          ressorts: [
            { land: 'BY', key: 'StMD' },
            { land: 'NW', key: 'MHKBD' },
          ],
          agenda: [{ title: 'Bauantrag', practiceId: practice.id }],
        },
      });
      const created = await flow.create({ originFormat: format.id, basedOn: [practice.id] });
      check('origins', [created.originFormat, created.basedOn], [format.id, [practice.id]]);
      check('phase after both approvals', (await flow.approveBoth(created.id)).phase, 'adopted');
      return created.id;
    },
    checkHistory(history) {
      check('platform-origins patch marker', patchMarkers(history).includes(ORIGINS_PATCH), true);
    },
  },

  // ---- v7 ----

  'ressort-colleague-revises': {
    phase: 'adopted',
    reason: 'joint_approval',
    audit: [...REVISION_ROUND],
    async drive({ flow, client }) {
      const { who } = flow;
      const { id, leadRessort } = await flow.create({}, who.proposerStMD);
      check('lead Ressort', leadRessort, { land: 'BY', key: 'StMD' });
      await toRevision(flow, id);
      const revised = await flow.command(id, '/revisions', who.colleagueStMD, {
        summary: 'Eine gemeinsame Testumgebung für KI-Anwendungen der Verwaltung, Kosten hälftig geteilt.',
        comment: 'Kostenteilung ergänzt.',
      });
      check(
        'authors',
        revised.authors?.map((a) => a.sub),
        ['p-by-stmd', 'pr-by-stmd'],
      );
      // Four-eyes over the reviser: the API answers 403; sent to the workflow directly, its validator
      // refuses it as well, so it never enters history.
      const byReviser = await flow.post(id, '/reviews', who.colleagueStMD, { decision: 'approve' });
      check("the reviser's review", byReviser.status, 403);
      const reviser: ActingPrincipal = {
        sub: 'pr-by-stmd',
        name: 'N. Kollegin',
        land: 'BY',
        role: 'reviewer',
        ressort: 'StMD',
      };
      try {
        await client.workflow
          .getHandle(id)
          .executeUpdate(review.update, { args: [{ actor: reviser, decision: 'approve' }] });
        throw new Error("the reviser's review was accepted");
      } catch (error) {
        if (!(error instanceof WorkflowUpdateFailedError)) throw error;
      }
      await flow.command(id, '/reviews', who.reviewerNW, { decision: 'approve' });
      await flow.command(id, '/reviews', who.reviewerStMD, { decision: 'approve' });
      return id;
    },
    checkHistory(history) {
      check('ressorts-lead-ressort patch marker', patchMarkers(history), [LEAD_RESSORT_PATCH]);
    },
  },

  // ---- v8 (laenderkreis-conference-stage patch) ----

  'laenderkreis-postponed-adopted': {
    phase: 'adopted',
    reason: 'conference',
    audit: [
      'initiative_created',
      'review_decided',
      'review_decided',
      'phase_changed',
      'invitation_answered',
      'phase_changed',
      'conference_registered',
      'conference_decision_reminder',
      'coapplicant_joined',
      'conference_decided',
      'conference_decision_reminder',
      'conference_decided',
      'phase_changed',
    ],
    async drive({ flow }) {
      const key = await testConference(flow, [{ date: '2019-02-01' }, { date: '2019-03-01', number: 2 }]);
      const { id } = await toConference(flow, key);
      const registered = await register(flow, id, { registeredOn: '2019-01-02', session: '2019-02-01' });
      check('registration', registered.status, 200);
      // The session lies in the past: the liaison's reminder is due at once.
      await waitForEvents(flow, id, 'conference_decision_reminder', 1);
      check('co-applicant', (await coApply(flow, id, flow.who.cabinetSN)).status, 200);
      const postponed = await decideConference(flow, id, { decision: 'postponed', decidedOn: '2019-02-01' });
      check('session after the postponement', postponed.body.conference?.session, {
        date: '2019-03-01',
        number: 2,
      });
      await waitForEvents(flow, id, 'conference_decision_reminder', 2);
      const adopted = await decideConference(flow, id, {
        decision: 'adopted',
        decidedOn: '2019-03-01',
        votes: { yes: ['BY', 'NW', 'HE', 'SN'], no: ['ST'], abstain: [] },
        resolutionNumber: '2019/3',
      });
      check('adoption', adopted.status, 200);
      return id;
    },
    checkHistory(history) {
      check('patch markers', patchMarkers(history).includes(LAENDERKREIS_PATCH), true);
    },
  },

  'laenderkreis-calendar-rebooked': {
    phase: 'rejected',
    reason: 'conference',
    audit: [
      'initiative_created',
      'review_decided',
      'review_decided',
      'phase_changed',
      'invitation_answered',
      'phase_changed',
      'conference_registered',
      'conference_decision_reminder',
      'conference_decided',
      'conference_session_booked',
      'conference_decided',
      'phase_changed',
    ],
    async drive({ flow }) {
      const first = { date: '2019-02-01', number: 1 };
      const key = await testConference(flow, [first]);
      const { id } = await toConference(flow, key);
      check(
        'registration',
        (await register(flow, id, { registeredOn: '2019-01-02', session: '2019-02-01' })).status,
        200,
      );
      await waitForEvents(flow, id, 'conference_decision_reminder', 1);
      const postponed = await decideConference(flow, id, { decision: 'postponed', decidedOn: '2019-02-01' });
      check('session past the calendar', postponed.body.conference?.session, null);
      const later = { date: addDays(berlinToday(), 60), number: 2 };
      await flow.api.expect(200, 'PUT', `/v1/conferences/${key}/sessions`, {
        token: flow.who.admin,
        body: [first, later].map((s) => ({ ...s, source: 'https://example.org/test-calendar' })),
      });
      await eventually(
        () => flow.get(id),
        (initiative) => initiative.conference?.session?.date === later.date,
        { timeoutMs: 30_000, what: `the booking of ${id} on the extended calendar` },
      );
      const rejected = await decideConference(flow, id, { decision: 'rejected', decidedOn: later.date });
      check('rejection', rejected.status, 200);
      return id;
    },
    checkHistory(history) {
      check('patch markers', patchMarkers(history).includes(LAENDERKREIS_PATCH), true);
    },
  },

  // ---- v4 (fidelity-rules patch, deadline extensions) ----

  'withdrawn-invitation-closed': {
    phase: 'withdrawn',
    audit: ['initiative_created', 'withdrawn', 'phase_changed'],
    async drive({ flow }) {
      const { id } = await flow.create({ invite: ['HE'] });
      const withdrawn = await flow.command(id, '/withdrawal', flow.who.proposerBY, {
        reason: 'Wird im Rahmen der Ministerpräsidentenkonferenz weiterverfolgt.',
      });
      check('HE invitation after the withdrawal', withdrawn.invitations[0]?.status, 'no_response');
      return id;
    },
    checkHistory(history) {
      check('patch markers', patchMarkers(history), [FIDELITY_RULES_PATCH]);
    },
  },

  'bundesrat-reminder-after-referral': {
    phase: 'adopted',
    reason: 'bundesrat',
    audit: [
      ...TO_BUNDESRAT,
      'bundesrat_submitted',
      'bundesrat_referred',
      'bundesrat_decision_reminder',
      'plenary_decided',
      'phase_changed',
    ],
    async drive({ flow }) {
      const { who } = flow;
      const { id } = await flow.toBundesrat(BILL);
      const submission = { drucksache: '103/19', submittedOn: '2019-03-01', procedure: 'committee' } as const;
      const answer = await flow.command(id, '/bundesrat/submission', who.liaisonBY, submission);
      check('session booked on submission', answer.bundesrat?.plenarySession, session2019(975));
      // The session has passed, but the committee motion waits for its referral: no reminder yet.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      check(
        'reminders before the referral',
        (await flow.history(id)).filter((e) => e.type === 'bundesrat_decision_reminder').length,
        0,
      );
      await flow.command(id, '/bundesrat/referral', who.liaisonBY, {
        committees: ['In'],
        leadCommittee: 'In',
      });
      await waitForEvents(flow, id, 'bundesrat_decision_reminder', 1);
      await plenary(flow, id, 'adopted', '2019-03-15');
      return id;
    },
    checkHistory(history) {
      check('patch markers', patchMarkers(history), [FIDELITY_RULES_PATCH]);
    },
  },

  'deadline-extended': {
    phase: 'adopted',
    reason: 'joint_approval',
    audit: ['initiative_created', 'deadline_extended', 'review_decided', 'review_decided', 'phase_changed'],
    async drive({ flow }) {
      const { who } = flow;
      const { id } = await flow.create({ periods: { review: 'PT1H' } });
      const extended = await flow.command(id, '/extensions', who.proposerBY, {
        action: 'review',
        land: 'NW',
        until: addDays(berlinToday(), 10),
        reason: 'Ressortabstimmung in NRW dauert an.',
      });
      check('overdue after the extension', extended.overdue, false);
      check('phase after both approvals', (await flow.approveBoth(id)).phase, 'adopted');
      return id;
    },
  },

  // ---- v9 (issue 19: corrections, Bundesrat refinements, the run open after the terminal phase) ----

  'bundesrat-corrected-after-adoption': {
    phase: 'adopted',
    reason: 'bundesrat',
    staysOpen: true,
    audit: [
      ...TO_BUNDESRAT,
      'bundesrat_submitted',
      'bundesrat_referred',
      'committee_recommended',
      'plenary_decided',
      'phase_changed',
      'bundesrat_follow_up',
      'corrected',
      'corrected',
    ],
    async drive({ flow }) {
      const { who } = flow;
      const { id } = await flow.toBundesrat(BILL);
      await flow.command(id, '/bundesrat/submission', who.liaisonBY, {
        drucksache: '901/19',
        submittedOn: '2019-03-01',
        procedure: 'committee',
        urgent: true,
      });
      await flow.command(id, '/bundesrat/referral', who.liaisonBY, {
        committees: ['In'],
        leadCommittee: 'In',
      });
      const adjourned = await flow.command(id, '/bundesrat/recommendation', who.liaisonBY, {
        recommendation: 'adjourned',
        drucksache: '901/1/19',
        on: '2019-03-04',
      });
      check('session after the adjournment', adjourned.bundesrat?.plenarySession, session2019(976));
      await waitForEvents(flow, id, 'bundesrat_decision_reminder', 2);
      await flow.command(id, '/bundesrat/decision', who.liaisonBY, {
        decision: 'adopted',
        decidedOn: '2019-04-12',
        withChanges: true,
        decisionNumber: '901/19(B)',
      });
      const received = await flow.command(id, '/bundesrat/follow-up', who.liaisonBY, {
        receivedOn: '2019-04-17',
      });
      check('forwarding due (urgent: 3 weeks)', received.bundesrat?.forwardingDueOn, '2019-05-08');
      await flow.command(id, '/corrections', who.liaisonBY, {
        field: 'decidedOn',
        value: '2019-04-11',
        reason: 'Datum falsch übernommen.',
      });
      const corrected = await flow.command(id, '/corrections', who.cabinetNW, {
        field: 'cabinetDecidedOn',
        value: '2019-01-17',
        reason: 'Kabinettssitzung am 17.01.',
      });
      check('phase after the corrections', corrected.phase, 'adopted');
      return id;
    },
    checkHistory(history) {
      for (const patch of ['fidelity-after-close', 'fidelity-bundesrat', 'fidelity-corrections'])
        expectPatchMarker(patch)(history);
    },
  },

  'bundesrat-immediate-referred': {
    phase: 'rejected',
    reason: 'bundesrat',
    staysOpen: true,
    audit: [...TO_BUNDESRAT, 'bundesrat_submitted', 'bundesrat_referred', 'plenary_decided', 'phase_changed'],
    async drive({ flow }) {
      const { who } = flow;
      const { id } = await flow.toBundesrat(BILL);
      const chosen = await flow.command(id, '/bundesrat/submission', who.liaisonBY, {
        drucksache: '902/19',
        submittedOn: '2019-03-10',
        procedure: 'immediate',
        plenarySession: 975,
      });
      check('chosen session', chosen.bundesrat?.plenarySession, session2019(975));
      await waitForEvents(flow, id, 'bundesrat_decision_reminder', 1);
      const referred = await flow.command(id, '/bundesrat/referral', who.liaisonBY, {
        committees: ['In', 'R'],
        leadCommittee: 'R',
      });
      check('procedure after the referral', referred.bundesrat?.procedure, 'committee');
      await plenary(flow, id, 'rejected', '2019-04-12');
      return id;
    },
    checkHistory: expectPatchMarker('fidelity-after-close'),
  },
};

// ---- webhook notifications (v3 paths) ----

const LEAD_RESSORT_PATCH = 'ressorts-lead-ressort';
/** The patch id of channel laenderkreis (workflows/initiative.ts). */
const LAENDERKREIS_PATCH = 'laenderkreis-conference-stage';
/** The patch id of issue 18's origins (`originFormat`, `basedOn`; workflows/initiative.ts). */
const ORIGINS_PATCH = 'platform-origins';

const WEBHOOK_SECRET = 'record-histories-webhook-secret';
/** The patch id initiativeWorkflow guards its notification runs with (workflows/initiative.ts). */
const WEBHOOK_NOTIFICATIONS_PATCH = 'webhook-notifications';
/** The patch id of issue 19's rule changes (workflows/initiative.ts). */
const FIDELITY_RULES_PATCH = 'fidelity-rules';

interface Delivery {
  deliveryId: string;
  event: WebhookEvent;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  initiativeId: string;
}

/** Subscribes the receiver's `path` to every lifecycle event, for the time of this path's recording. */
async function subscribe(
  { flow, receiver, subscriptions }: RecordingContext,
  path: string,
  rule: Parameters<WebhookReceiver['rule']>[1],
): Promise<string> {
  const { id } = await flow.api.expect<{ id: string }>(201, 'POST', '/v1/webhooks', {
    token: flow.who.admin,
    body: { url: receiver.rule(path, rule), events: [...WEBHOOK_EVENTS], secret: WEBHOOK_SECRET },
  });
  subscriptions.push(id);
  return id;
}

/** Waits until `count` deliveries of the initiative to the subscription are all delivered. */
async function waitForDeliveries(
  flow: Flow,
  webhookId: string,
  initiativeId: string,
  count: number,
): Promise<Delivery[]> {
  return eventually(
    async () => {
      const { items } = await flow.api.expect<{ items: Delivery[] }>(
        200,
        'GET',
        `/v1/webhooks/${webhookId}/deliveries`,
        { token: flow.who.admin },
      );
      return items.filter((d) => d.initiativeId === initiativeId);
    },
    (mine) => {
      if (mine.some((d) => d.status === 'failed') || mine.length > count)
        throw new Error(`${initiativeId}: unexpected deliveries ${JSON.stringify(mine)}`);
      return mine.length === count && mine.every((d) => d.status === 'delivered');
    },
    { timeoutMs: 60_000, what: `${count} delivered notifications of ${initiativeId}` },
  );
}

type HistoryEvent = NonNullable<History['events']>[number];

/** The attributes of every event in `history` that has `key`, in history order. */
export function eventsOf<K extends keyof HistoryEvent & `${string}EventAttributes`>(
  history: History,
  key: K,
): NonNullable<HistoryEvent[K]>[] {
  return (history.events ?? []).flatMap((event) => {
    const attributes = event[key];
    return attributes ? [attributes] : [];
  });
}

/** The patch ids of the history's patch markers (each marker's payload is JSON naming its patch). */
function patchMarkers(history: History): string[] {
  return eventsOf(history, 'markerRecordedEventAttributes')
    .filter((marker) => marker.markerName === 'core_patch')
    .map((marker) => {
      const data = marker.details?.['patch-data']?.payloads?.[0]?.data;
      const { id } = JSON.parse(Buffer.from(data ?? new Uint8Array()).toString('utf8')) as { id: string };
      return id;
    });
}

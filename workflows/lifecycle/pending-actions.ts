/** Who has to act next, derived from the state after every change (the inbox reads it from the resource). */
import type { Deadline, LifecycleState, PendingAction } from '../contracts.js';
import { isTerminal, type Land } from '../domain.js';

export function pendingActions(state: LifecycleState): PendingAction[] {
  const { initiative } = state;
  const dueOf = (kind: Deadline['kind'], land: Land) =>
    state.deadlines.find((d) => d.kind === kind && d.land === land)?.dueAt;
  const withDue = (action: PendingAction, dueAt: string | undefined): PendingAction =>
    dueAt === undefined ? action : { ...action, dueAt };
  const actions: PendingAction[] = [];
  switch (initiative.phase) {
    case 'review':
      for (const review of initiative.reviews)
        if (review.status === 'pending')
          actions.push(
            withDue({ action: 'review', land: review.land, role: 'reviewer' }, dueOf('review', review.land)),
          );
      break;
    case 'revision':
      actions.push(
        withDue(
          { action: 'revise', land: initiative.leadLand, role: 'proposer' },
          dueOf('revision', initiative.leadLand),
        ),
      );
      break;
    case 'cabinet':
      for (const decision of initiative.cabinetDecisions)
        if (decision.status === 'pending')
          actions.push({ action: 'cabinet', land: decision.land, role: 'cabinet' });
      break;
    case 'bundesrat': {
      const bundesrat = initiative.bundesrat;
      const lead = initiative.leadLand;
      if (bundesrat?.status === 'preparing') actions.push({ action: 'submit', land: lead, role: 'liaison' });
      else if (bundesrat?.status === 'submitted' && bundesrat.procedure === 'committee')
        actions.push({ action: 'refer', land: lead, role: 'liaison' });
      else actions.push(withDue({ action: 'decide', land: lead, role: 'liaison' }, dueOf('plenary', lead)));
      if (bundesrat?.status !== 'preparing' && bundesrat?.plenarySession === null)
        actions.push({ action: 'calendar', land: lead, role: 'admin' });
      break;
    }
    case 'conference': {
      const conference = initiative.conference;
      const lead = initiative.leadLand;
      if (conference?.status === 'preparing')
        actions.push({ action: 'register', land: lead, role: 'liaison' });
      else if (conference?.status === 'registered') {
        actions.push(withDue({ action: 'decide', land: lead, role: 'liaison' }, dueOf('conference', lead)));
        if (conference.session === null) actions.push({ action: 'calendar', land: lead, role: 'admin' });
      }
      break;
    }
    default:
      break;
  }
  if (
    !isTerminal(initiative.phase) &&
    initiative.phase !== 'cabinet' &&
    initiative.phase !== 'bundesrat' &&
    initiative.phase !== 'conference'
  )
    for (const invitation of initiative.invitations)
      if (invitation.status === 'pending')
        actions.push(
          withDue(
            { action: 'respond', land: invitation.land, role: 'reviewer' },
            dueOf('invitation', invitation.land),
          ),
        );
  return actions;
}

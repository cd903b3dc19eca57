/**
 * The lifecycle baseline: a minimal workflow that takes the same Updates as an initiative going
 * create → two approvals → adopted (awaitCreation, then review twice), with validators, and no activities:
 * no deadline computation, no read-model write. Bundled on its own (bench/services.ts buildBundles).
 */
import { allHandlersFinished, condition, defineUpdate, setHandler } from '@temporalio/workflow';

export interface BaselineState {
  id: string;
  phase: 'review' | 'adopted';
  version: number;
  approvals: string[];
}

export const baselineCreated = defineUpdate<BaselineState, []>('awaitCreation');
export const baselineReview = defineUpdate<BaselineState, [{ land: string }]>('review');

export async function baselineWorkflow(id: string): Promise<BaselineState> {
  const state: BaselineState = { id, phase: 'review', version: 1, approvals: [] };
  setHandler(baselineCreated, () => ({ ...state }));
  setHandler(
    baselineReview,
    ({ land }) => {
      state.approvals.push(land);
      state.version += 1;
      if (state.approvals.length === 2) state.phase = 'adopted';
      return { ...state, approvals: [...state.approvals] };
    },
    {
      validator: ({ land }: { land: string }) => {
        if (state.phase !== 'review' || state.approvals.includes(land))
          throw new Error(`review of ${land} does not fit`);
      },
    },
  );
  await condition(() => state.phase === 'adopted');
  await condition(allHandlersFinished);
  return state;
}

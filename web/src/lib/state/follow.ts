// A page that follows one event live: its state classes fed by one live connection, stopped
// with the page, and the read that starts it all. Call while a component is being set up.
import { onDestroy } from 'svelte';
import { LiveConnection, type LiveListener } from '../live.svelte.ts';
import type { PlanState } from './plan.svelte.ts';
import { session } from './session.svelte.ts';
import { Task } from './task.svelte.ts';

export interface FollowedEvent {
  live: LiveConnection;
  /** Reading the plan and, after it, `readAfterPlan`: for the page's spinner and its error. */
  loading: Task;
  /** Reads it all again (the live connection starts only once): the page's retry. */
  load: () => Promise<boolean>;
}

/**
 * Reads `plan`, then follows its event live from the plan's lastSeq, feeding the plan and
 * `others`; `readAfterPlan` reads what else the page shows.
 */
export function followEvent(
  plan: PlanState,
  others: LiveListener[],
  readAfterPlan: () => unknown = () => undefined,
): FollowedEvent {
  const live = new LiveConnection(plan.eventId, [plan, ...others], () => session.ended());
  onDestroy(() => live.stop());
  const loading = new Task();
  const load = () =>
    loading.run(async () => {
      // Read after the plan, so what changes them later arrives live: nothing falls between.
      await plan.load();
      live.start(plan.plan!.lastSeq);
      await readAfterPlan();
    });
  void load();
  return { live, loading, load };
}

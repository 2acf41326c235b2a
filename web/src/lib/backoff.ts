// When a lost live connection tries again. Plain TypeScript without the DOM, so that the
// reconnect-storm benchmark (tests/bench/storm.ts) runs its 2,000 clients on this very policy.

export const BASE_DELAY_MS = 500;
export const MAX_DELAY_MS = 30_000;

/**
 * Full jitter: anywhere between 0 and the exponential step, so phones do not return in step.
 * `attempt` counts the tries since the last working connection, from 0: even the first try
 * after a drop waits its random share of BASE_DELAY_MS, since a restart drops every socket
 * at the same instant.
 */
export function retryDelay(attempt: number, random = Math.random): number {
  return random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
}

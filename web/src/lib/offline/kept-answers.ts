// The answers to the plan's reads that the service worker (src/sw.ts) keeps, seen from the page:
// how to tell one that came from there, the plan as the page shows it now kept in their place
// (live changes arrive over the socket, not as reads), and forgetting them all on sign-out.
// The names below are the worker's too; it imports nothing, so it spells them itself.

const ANSWERS_CACHE = 'muster-answers';
const FROM_CACHE = 'x-muster-from-cache';
const SAVED_AT = 'x-muster-saved-at';
/** Live changes come in bursts (a coordinator moving points): one write per burst. */
const KEEP_AFTER_MS = 1_000;

const pending = new Map<string, ReturnType<typeof setTimeout>>();

/** When an answer came from the kept ones: when it was saved (ms since the epoch); else null. */
export function keptAt(response: Response): number | null {
  if (!response.headers.has(FROM_CACHE)) return null;
  const saved = Date.parse(response.headers.get(SAVED_AT) ?? '');
  return Number.isNaN(saved) ? Date.now() : saved;
}

/** Whether a worker keeps answers for this page (a production build, on https or localhost). */
function kept(): boolean {
  return 'caches' in globalThis && Boolean(navigator.serviceWorker?.controller);
}

/** Keeps `value` as the answer to a GET of `path`: what the page shows, for when it opens offline. */
export function keepAnswer(path: string, value: unknown): void {
  if (!kept()) return;
  clearTimeout(pending.get(path));
  const body = JSON.stringify(value);
  pending.set(
    path,
    setTimeout(() => {
      pending.delete(path);
      const headers = { 'content-type': 'application/json', [SAVED_AT]: new Date().toISOString() };
      void caches
        .open(ANSWERS_CACHE)
        .then((cache) =>
          cache.put(new URL(path, location.origin).href, new Response(body, { headers })),
        )
        .catch(() => undefined);
    }, KEEP_AFTER_MS),
  );
}

/** Deletes every kept answer: the next person on this phone must not see them. */
export async function forgetAnswers(): Promise<void> {
  for (const timer of pending.values()) clearTimeout(timer);
  pending.clear();
  if (!('caches' in globalThis)) return;
  await caches.delete(ANSWERS_CACHE).catch(() => undefined);
}

// Registers the service worker (src/sw.ts, served at /sw.js) in a production build, once the
// page has loaded and its own requests have settled: on a slow network the worker's install
// (the code it keeps) must not compete with the first load, and a page fetches its chunks and
// its plan after `load`. Then tells the worker which page is shown, so it keeps that page's
// reads even on the first visit, which it did not control.

/** The page's first requests are done when none has finished for this long… */
const QUIET_MS = 2_000;
/** …or, on a page that never stops (map tiles on a slow network), after this long anyway. */
const AT_MOST_MS = 20_000;

export function registerServiceWorker(): void {
  // Not PROD: a build started by the test runner (NODE_ENV=test) has it false (see vite.config.ts).
  if (import.meta.env.MODE !== 'production' || !('serviceWorker' in navigator)) return;
  const register = async () => {
    try {
      await navigator.serviceWorker.register('/sw.js', { scope: '/' });
      const { active } = await navigator.serviceWorker.ready;
      active?.postMessage({ type: 'shown', path: location.pathname });
    } catch {
      // No worker (a private window, a blocked script): the app works as it did without one.
    }
  };
  const afterLoad = () => whenQuiet(() => void register());
  if (document.readyState === 'complete') afterLoad();
  else window.addEventListener('load', afterLoad, { once: true });
}

/** Calls `then` once no resource of the page has finished loading for QUIET_MS. */
function whenQuiet(then: () => void): void {
  if (typeof PerformanceObserver === 'undefined') return then();
  let quiet = setTimeout(done, QUIET_MS);
  const atMost = setTimeout(done, AT_MOST_MS);
  const observer = new PerformanceObserver(() => {
    clearTimeout(quiet);
    quiet = setTimeout(done, QUIET_MS);
  });
  observer.observe({ type: 'resource' });
  function done() {
    observer.disconnect();
    clearTimeout(quiet);
    clearTimeout(atMost);
    then();
  }
}

/// <reference lib="webworker" />
// The service worker: it keeps the app shell and the last plan this phone saw, so the volunteer
// page opens in a crowd whose network has collapsed. Pages and the plan's reads go to the
// network first and fall back to what was kept; hashed assets come from the cache first;
// everything else (other reads, every write, the live socket) passes through untouched.
// web/vite-service-worker.ts builds it on its own and defines PRECACHE and VERSION; it imports
// nothing, so it runs as one classic script at /sw.js.

declare const self: ServiceWorkerGlobalScope;
/** The bare shell (/index.html) and the code and styles the volunteer page needs. */
declare const PRECACHE: string[];
/** Changes whenever a precached file does, so a deploy installs a new worker. */
declare const VERSION: string;

const SHELL_CACHE = `muster-shell-${VERSION}`;
/**
 * Answers to the plan's reads. Not versioned: the last plan seen outlives a deploy. The app
 * deletes it when someone signs out (web/src/lib/offline/kept-answers.ts names it too).
 */
const ANSWERS_CACHE = 'muster-answers';
const SHELL = '/index.html';
/** A crowd's network may answer after a minute, or never: the kept copy is better by then. */
const PAGE_WAIT_MS = 4_000;
const READ_WAIT_MS = 4_000;
/** A read the page itself made this recently needs no second fetch when it says it was shown. */
const FRESH_MS = 60_000;
/** On an answer from ANSWERS_CACHE: that it is one, and when it was saved (the app shows it). */
const FROM_CACHE = 'x-muster-from-cache';
const SAVED_AT = 'x-muster-saved-at';

/** The reads of the volunteer page, whose good answers are kept. */
const KEPT_READS = [
  /^\/api\/(me|config)$/,
  /^\/api\/events\/[^/]+$/,
  /^\/api\/events\/[^/]+\/(role-slots|announcements|check-ins\/me)$/,
];

/** Reads on their way to the network, so a page's "shown" does not fetch them twice. */
const inFlight = new Map<string, Promise<unknown>>();

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      await cache.addAll(PRECACHE);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const old = (await caches.keys()).filter(
        (name) => name.startsWith('muster-shell-') && name !== SHELL_CACHE,
      );
      await Promise.all(old.map((name) => caches.delete(name)));
      // The page that installed this worker keeps its plan's answers from now on, too.
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) {
    if (KEPT_READS.some((read) => read.test(url.pathname))) event.respondWith(keptRead(event));
  } else if (request.mode === 'navigate') {
    event.respondWith(page(request));
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(asset(request));
  }
});

/** The page says which path it shows: keep its reads, unless they were kept just now. */
self.addEventListener('message', (event) => {
  const data = event.data as { type?: unknown; path?: unknown } | null;
  if (data?.type === 'shown' && typeof data.path === 'string') {
    event.waitUntil(keepReadsOf(data.path));
  }
});

/** Resolves with the network's answer if it comes within `ms`; null if it fails or is late. */
function inTime(network: Promise<Response>, ms: number): Promise<Response | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    network.then(
      (response) => {
        clearTimeout(timer);
        resolve(response);
      },
      () => {
        clearTimeout(timer);
        resolve(null);
      },
    );
  });
}

async function page(request: Request): Promise<Response> {
  const network = fetch(request);
  const answer = await inTime(network, PAGE_WAIT_MS);
  if (answer && answer.status < 500) return answer;
  const shell = await caches.match(SHELL, { cacheName: SHELL_CACHE, ignoreVary: true });
  // Nothing kept (this worker's install failed): the network's answer, however late.
  return shell ?? answer ?? network;
}

/** Hashed names never change content: the kept copy is always right. */
async function asset(request: Request): Promise<Response> {
  const cache = await caches.open(SHELL_CACHE);
  const kept = await cache.match(request, { ignoreVary: true });
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function keptRead(event: FetchEvent): Promise<Response> {
  const { request } = event;
  const network = fetch(request);
  event.waitUntil(keepAnswer(request.url, network));
  const answer = await inTime(network, READ_WAIT_MS);
  if (answer && answer.status < 500) return answer;
  const kept = await caches.match(request.url, { cacheName: ANSWERS_CACHE, ignoreVary: true });
  if (kept) return fromCache(kept);
  return answer ?? network;
}

/** Keeps a good answer when it arrives; a failed or refused read keeps what was there. */
function keepAnswer(url: string, network: Promise<Response>): Promise<unknown> {
  // The copy is taken before the page can read the body: this callback was registered first.
  const keeping = network
    .then((response) => (response.status === 200 ? saved(response.clone()) : null))
    .then((copy) => copy && caches.open(ANSWERS_CACHE).then((cache) => cache.put(url, copy)))
    .catch(() => undefined)
    .finally(() => inFlight.delete(url));
  inFlight.set(url, keeping);
  return keeping;
}

async function saved(response: Response): Promise<Response> {
  const headers = new Headers(response.headers);
  // The body is kept decoded, and its length may differ: neither header would be true.
  headers.delete('content-encoding');
  headers.delete('content-length');
  headers.set(SAVED_AT, new Date().toISOString());
  return new Response(await response.arrayBuffer(), { status: 200, headers });
}

function fromCache(kept: Response): Response {
  const headers = new Headers(kept.headers);
  headers.set(FROM_CACHE, '1');
  return new Response(kept.body, { status: kept.status, headers });
}

/** The reads the page at `path` makes: the volunteer page's; elsewhere who is signed in. */
function readsOf(path: string): string[] {
  const reads = ['/api/me', '/api/config'];
  const event = /^\/events\/([^/]+)\/?$/.exec(path)?.[1];
  if (!event) return reads;
  const plan = `/api/events/${event}`;
  return [...reads, plan, `${plan}/role-slots`, `${plan}/announcements`, `${plan}/check-ins/me`];
}

/**
 * Fetches and keeps the reads of the page at `path`, unless kept in the last minute or on their
 * way: a page the worker did not control yet (the first visit), or one whose answers came
 * another way, has its plan kept all the same.
 */
async function keepReadsOf(path: string): Promise<void> {
  const cache = await caches.open(ANSWERS_CACHE);
  const stale = async (url: string) => {
    if (inFlight.has(url)) return false;
    const savedAt = (await cache.match(url, { ignoreVary: true }))?.headers.get(SAVED_AT);
    return !savedAt || Date.now() - Date.parse(savedAt) > FRESH_MS;
  };
  const urls = readsOf(path).map((read) => new URL(read, self.location.origin).href);
  const due = (
    await Promise.all(urls.map(async (url) => ((await stale(url)) ? url : null)))
  ).filter((url): url is string => url !== null);
  await Promise.all(due.map((url) => keepAnswer(url, fetch(url, { credentials: 'same-origin' }))));
}

export {};

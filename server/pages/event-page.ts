// `/events/:id` for a signed-in reader: the app's index.html with the page's first text
// written in (essentials.ts) and the API answers the app would fetch first embedded as JSON,
// so on a slow network the reader sees where to meet one round trip after asking, and the app
// starts without four more. The answers come from the API itself (inject, with the reader's
// cookie), so what the page shows is exactly what the API would let them read.
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EventPlan } from '../features/events/schemas.ts';
import type { Person } from '../features/people/schemas.ts';
import type { RoleSlot } from '../features/roles/schemas.ts';
import { isLocale, type Locale, LOCALE_COOKIE } from '../../web/src/lib/i18n/catalogue.ts';
import { renderEssentials } from './essentials.ts';

/** The id of the script element holding the embedded answers; web/src/lib/boot.ts reads it. */
export const BOOT_ELEMENT = 'muster-boot';

const EVENT_PAGE = /^\/events\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/;

/** The event id when `url` is an event's participant page. */
export function eventPageOf(url: string): string | null {
  const path = url.split('?', 1)[0]!;
  return EVENT_PAGE.exec(path)?.[1] ?? null;
}

export interface Template {
  /** index.html up to the app's mount point, and from it. */
  head: string;
  tail: string;
}

const MOUNT = '<div id="app"></div>';

/** One chunk of Vite's build manifest (web/dist/.vite/manifest.json). */
interface ManifestChunk {
  file: string;
  imports?: string[];
  css?: string[];
}

const PAGE_MODULE = 'src/pages/EventPage.svelte';

/**
 * Links that fetch the event page's code with the document, rather than one round trip
 * after the entry asks for it: its chunks preloaded, its stylesheets linked as the entry's
 * are (print-only until the app applies them, see web/vite.config.ts).
 */
function pagePreloads(manifest: Record<string, ManifestChunk>, indexHtml: string): string {
  const chunks = new Set<string>();
  const visit = (key: string) => {
    if (chunks.has(key) || !manifest[key]) return;
    chunks.add(key);
    for (const imported of manifest[key].imports ?? []) visit(imported);
  };
  visit(PAGE_MODULE);
  const files = [...chunks].map((key) => manifest[key]!);
  const href = (file: string) => `/${file}`;
  const absent = (file: string) => !indexHtml.includes(`"${href(file)}"`);
  const scripts = files.map((chunk) => chunk.file).filter(absent);
  const sheets = [...new Set(files.flatMap((chunk) => chunk.css ?? []))].filter(absent);
  return [
    ...scripts.map((file) => `<link rel="modulepreload" crossorigin href="${href(file)}">`),
    ...sheets.map(
      (file) =>
        `<link rel="stylesheet" crossorigin href="${href(file)}" media="print" data-muster-css>`,
    ),
  ].join('');
}

/** The page around its mount point, with the event page's code linked in when known. */
export function templateOf(
  indexHtml: string,
  manifest: Record<string, ManifestChunk> | null,
): Template | null {
  const at = indexHtml.indexOf(MOUNT);
  if (at < 0) return null;
  const preloads = manifest ? pagePreloads(manifest, indexHtml) : '';
  const head = indexHtml.slice(0, at).replace('</head>', `${preloads}</head>`);
  return { head, tail: indexHtml.slice(at) };
}

function localeOf(request: FastifyRequest): Locale {
  const chosen = request.cookies[LOCALE_COOKIE];
  if (isLocale(chosen)) return chosen;
  const first = request.headers['accept-language']?.split(',', 1)[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('es') ? 'es' : 'en';
}

/**
 * The API's answers to the reads the event page starts with, by path as the app requests
 * them; null when the reader is not signed in or may not read the event.
 */
async function firstAnswers(app: FastifyInstance, cookie: string, eventId: string) {
  const read = async (url: string): Promise<unknown> => {
    const response = await app.inject({ method: 'GET', url, headers: { cookie } });
    return response.statusCode === 200 ? response.json() : undefined;
  };
  const me = (await read('/api/me')) as Person | undefined;
  if (!me) return null;
  const event = `/api/events/${eventId}`;
  const plan = (await read(event)) as EventPlan | undefined;
  if (!plan) return null;
  // Read after the plan, as the app does, so the live feed from its lastSeq misses nothing.
  const paths = ['/api/config', `${event}/role-slots`, `${event}/announcements`];
  if (me.eventId === eventId) paths.push(`${event}/check-ins/me`);
  const answers: Record<string, unknown> = { '/api/me': me, [event]: plan };
  for (const [i, answer] of (await Promise.all(paths.map(read))).entries()) {
    if (answer !== undefined) answers[paths[i]!] = answer;
  }
  return { me, plan, roleSlots: answers[`${event}/role-slots`] as RoleSlot[] | undefined, answers };
}

/** JSON safe inside a <script> element: no "<" to close it or open a comment. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** The event page with its essentials, or null to send the plain app shell. */
export async function renderEventPage(
  app: FastifyInstance,
  request: FastifyRequest,
  eventId: string,
  template: Template,
): Promise<string | null> {
  const cookie = request.headers.cookie;
  if (!cookie) return null;
  const first = await firstAnswers(app, cookie, eventId);
  if (!first) return null;
  const locale = localeOf(request);
  const essentials = renderEssentials(
    { person: first.me, plan: first.plan, roleSlots: first.roleSlots },
    locale,
    Date.now(),
  );
  const boot = `<script type="application/json" id="${BOOT_ELEMENT}">${scriptJson(first.answers)}</script>`;
  const head = template.head.replace(/<html lang="[^"]*"/, `<html lang="${locale}"`);
  return head + essentials + template.tail.replace('</body>', `${boot}</body>`);
}

const compressBrotli = promisify(brotliCompress);
const compressGzip = promisify(gzip);

/**
 * Sends a page made for one reader: compressed (it is most of what a slow phone waits for),
 * never stored by a cache on the way, and varying with the cookie that chose its content.
 */
export async function sendPersonalPage(
  request: FastifyRequest,
  reply: FastifyReply,
  html: string,
): Promise<FastifyReply> {
  const accepts = request.headers['accept-encoding'] ?? '';
  reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'private, no-store')
    .header('vary', 'accept-encoding, cookie');
  if (/\bbr\b/.test(accepts)) {
    const params = { [constants.BROTLI_PARAM_QUALITY]: 5 };
    return reply.header('content-encoding', 'br').send(await compressBrotli(html, { params }));
  }
  if (/\bgzip\b/.test(accepts)) {
    return reply.header('content-encoding', 'gzip').send(await compressGzip(html));
  }
  return reply.send(html);
}

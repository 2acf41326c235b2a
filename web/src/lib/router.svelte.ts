// A tiny router on location.pathname. The server answers every page path with index.html.

export type Route =
  | { name: 'home' }
  | { name: 'join'; setup: boolean }
  | { name: 'plan'; eventId: string }
  | { name: 'event'; eventId: string }
  | { name: 'coverage'; eventId: string }
  | { name: 'live'; eventId: string }
  | { name: 'materials'; eventId: string }
  | { name: 'run-sheet'; eventId: string; contingentId: string }
  | { name: 'not-found' };

export function matchRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { name: 'home' };
  if (path === '/join' || path === '/setup') return { name: 'join', setup: path === '/setup' };
  const plan = /^\/events\/([^/]+)\/plan$/.exec(path);
  if (plan?.[1]) return { name: 'plan', eventId: decodeURIComponent(plan[1]) };
  const coverage = /^\/events\/([^/]+)\/coverage$/.exec(path);
  if (coverage?.[1]) return { name: 'coverage', eventId: decodeURIComponent(coverage[1]) };
  const live = /^\/events\/([^/]+)\/live$/.exec(path);
  if (live?.[1]) return { name: 'live', eventId: decodeURIComponent(live[1]) };
  const materials = /^\/events\/([^/]+)\/materials$/.exec(path);
  if (materials?.[1]) return { name: 'materials', eventId: decodeURIComponent(materials[1]) };
  const runSheet = /^\/events\/([^/]+)\/contingents\/([^/]+)\/run-sheet$/.exec(path);
  if (runSheet?.[1] && runSheet[2]) {
    return {
      name: 'run-sheet',
      eventId: decodeURIComponent(runSheet[1]),
      contingentId: decodeURIComponent(runSheet[2]),
    };
  }
  const event = /^\/events\/([^/]+)$/.exec(path);
  if (event?.[1]) return { name: 'event', eventId: decodeURIComponent(event[1]) };
  return { name: 'not-found' };
}

export const paths = {
  home: () => '/',
  plan: (eventId: string) => `/events/${encodeURIComponent(eventId)}/plan`,
  event: (eventId: string) => `/events/${encodeURIComponent(eventId)}`,
  coverage: (eventId: string) => `/events/${encodeURIComponent(eventId)}/coverage`,
  live: (eventId: string) => `/events/${encodeURIComponent(eventId)}/live`,
  materials: (eventId: string) => `/events/${encodeURIComponent(eventId)}/materials`,
  runSheet: (eventId: string, contingentId: string) =>
    `/events/${encodeURIComponent(eventId)}/contingents/${encodeURIComponent(contingentId)}/run-sheet`,
};

function isPlainLeftClick(event: MouseEvent): boolean {
  return (
    event.button === 0 &&
    !event.defaultPrevented &&
    !event.metaKey &&
    !event.ctrlKey &&
    !event.shiftKey &&
    !event.altKey
  );
}

class Router {
  #path = $state(location.pathname);
  readonly route = $derived(matchRoute(this.#path));

  navigate(path: string, options: { replace?: boolean } = {}): void {
    if (options.replace) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
    this.#path = location.pathname;
    window.scrollTo(0, 0);
  }

  /** Follows popstate and turns clicks on same-origin links into client-side navigation. */
  start(): void {
    window.addEventListener('popstate', () => (this.#path = location.pathname));
    document.addEventListener('click', (event) => {
      if (!isPlainLeftClick(event)) return;
      const link = (event.target as Element | null)?.closest?.('a');
      if (!link || link.target || link.hasAttribute('download')) return;
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
      event.preventDefault();
      this.navigate(url.pathname + url.search);
    });
  }
}

export const router = new Router();

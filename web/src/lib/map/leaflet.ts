// Leaflet is loaded on demand so a page's text shows before the map's ~40 KB (and its
// 6 KB stylesheet) arrive.
import type * as Leaflet from 'leaflet';
import type { LatLng } from '../api.ts';
import type { LeafletModule } from './context.svelte.ts';

export async function loadLeaflet(): Promise<LeafletModule> {
  // Its stylesheet comes with it, not with the page: a page's text need not wait for it.
  const [module]: [LeafletModule & { default?: LeafletModule }, unknown] = await Promise.all([
    import('leaflet'),
    import('leaflet/dist/leaflet.css'),
  ]);
  return module.default ?? module;
}

/** Text content for tooltips: Leaflet would read a string as HTML. */
export function textElement(text: string): HTMLElement {
  const span = document.createElement('span');
  span.textContent = text;
  return span;
}

/** A position the API accepts: longitude wrapped into [-180, 180], micro-degree precision. */
export function toLatLng(point: Leaflet.LatLng): LatLng {
  const wrapped = point.wrap();
  const round = (n: number) => Math.round(n * 1e6) / 1e6;
  return { lat: round(wrapped.lat), lng: round(wrapped.lng) };
}

/** The URL of the world tile (zoom 0), used to find out whether tiles can be reached. */
export function worldTileUrl(template: string): string {
  return template
    .replace('{s}', 'a')
    .replace('{z}', '0')
    .replace('{x}', '0')
    .replace(/\{-?y\}/, '0')
    .replace('{r}', '');
}

// The root MapView shares its Leaflet map with its layer components through this context.
// Layers are only rendered once the map exists, so they may use it straight away.
import { getContext, setContext } from 'svelte';
import type * as Leaflet from 'leaflet';

export type LeafletModule = typeof Leaflet;

export class MapHandle {
  L = $state.raw<LeafletModule | null>(null);
  map = $state.raw<Leaflet.Map | null>(null);
}

const KEY = Symbol('muster.map');

export function setMapContext(handle: MapHandle): void {
  setContext(KEY, handle);
}

export function useMap(): { L: LeafletModule; map: Leaflet.Map } {
  const handle = getContext<MapHandle | undefined>(KEY);
  if (!handle?.L || !handle.map) throw new Error('A map layer must be a child of a ready MapView.');
  return { L: handle.L, map: handle.map };
}

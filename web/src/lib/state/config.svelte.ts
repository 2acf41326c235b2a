// Client settings from the server (the map tiles). Fetched once; without them the map
// still draws its layers on a plain background.
import { api, type ClientConfig } from '../api.ts';

class ConfigState {
  #config = $state.raw<ClientConfig | null>(null);
  #loading: Promise<void> | null = null;

  get tiles(): ClientConfig | null {
    return this.#config;
  }

  load(): Promise<void> {
    this.#loading ??= api.config().then(
      (config) => {
        this.#config = config;
      },
      () => {
        this.#loading = null; // Try again on the next map.
      },
    );
    return this.#loading;
  }
}

export const clientConfig = new ConfigState();

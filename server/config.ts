// Configuration is parsed once, here, into a typed object; nothing else reads process.env.
import { resolve } from 'node:path';

export interface Config {
  host: string;
  port: number;
  /** Real PostgreSQL; when absent, embedded PGlite under `dataDir`. */
  databaseUrl: string | null;
  /** PGlite data directory, or `memory://` for a throwaway in-memory database. */
  dataDir: string;
  /** Public origin used in printed links, e.g. http://localhost:3000. Derived when absent. */
  publicUrl: string | null;
  tileUrl: string;
  tileAttribution: string;
  /** Directory of the built web app; null serves no web app (API only). */
  webDist: string | null;
  logLevel: string;
  /** Whether to set the Secure flag on the session cookie. */
  secureCookies: boolean;
}

export const DEFAULT_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
export const DEFAULT_TILE_ATTRIBUTION =
  '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';

export class ConfigError extends Error {}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer between 0 and 65535, got "${value}"`);
  }
  return port;
}

export function parseConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const publicUrl = env.MUSTER_PUBLIC_URL?.replace(/\/+$/, '') || null;
  return {
    host: env.HOST || 'localhost',
    port: parsePort(env.PORT),
    databaseUrl: env.DATABASE_URL || null,
    dataDir: resolve(cwd, env.MUSTER_DATA_DIR || 'data'),
    publicUrl,
    tileUrl: env.MUSTER_TILE_URL || DEFAULT_TILE_URL,
    tileAttribution: env.MUSTER_TILE_ATTRIBUTION ?? DEFAULT_TILE_ATTRIBUTION,
    webDist: resolve(cwd, 'web/dist'),
    logLevel: env.LOG_LEVEL || 'info',
    secureCookies: publicUrl?.startsWith('https://') ?? false,
  };
}

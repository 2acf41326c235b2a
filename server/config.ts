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
  /**
   * Origins whose pages may open live sockets: MUSTER_PUBLIC_URL's and any listed in
   * MUSTER_ALLOWED_ORIGINS. Without a public URL, the origin the request's Host names is
   * allowed too.
   */
  allowedOrigins: string[];
  /** Live changes are kept at least this long and at least this many per event, for replay. */
  liveRetention: { minutes: number; changes: number };
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

function parseOrigins(value: string | undefined, publicUrl: string | null): string[] {
  const origins = (value ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  if (publicUrl) origins.unshift(publicUrl);
  return origins.map((origin) => {
    try {
      return new URL(origin).origin;
    } catch {
      throw new ConfigError(`MUSTER_ALLOWED_ORIGINS has "${origin}", which is not an origin`);
    }
  });
}

function parseAtLeast(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < fallback) {
    throw new ConfigError(`${name} must be an integer of at least ${fallback}, got "${value}"`);
  }
  return number;
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
    allowedOrigins: parseOrigins(env.MUSTER_ALLOWED_ORIGINS, publicUrl),
    liveRetention: {
      minutes: parseAtLeast('MUSTER_LIVE_KEEP_MINUTES', env.MUSTER_LIVE_KEEP_MINUTES, 10),
      changes: parseAtLeast('MUSTER_LIVE_KEEP_CHANGES', env.MUSTER_LIVE_KEEP_CHANGES, 10_000),
    },
  };
}

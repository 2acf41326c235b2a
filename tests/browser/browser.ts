// Chromium via playwright-core, driving the real built app served by server/main.ts.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { adminUrl, type FreshDatabase, freshPostgres } from '../helpers/databases.ts';
import { type ServerProcess, startServer } from '../helpers/server-process.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const screenshotDir = fileURLToPath(new URL('./screenshots/', import.meta.url));

/** Browser tests need Debian's Chromium; CI installs it and must not skip them. */
export const hasChromium = existsSync(CHROMIUM) || process.env.CI === 'true';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: `${screenshotDir}${name}.png`, fullPage });
}

/**
 * For one test file: the real server (server/main.ts) and a Chromium, started before its tests
 * and stopped after. The server runs on a fresh PGlite directory, or with DATABASE_URL set on a
 * fresh PostgreSQL database there.
 */
export function useServerAndBrowser(name: string) {
  const running: {
    server?: ServerProcess;
    browser?: Browser;
    dataDir?: string;
    database?: FreshDatabase;
  } = {};
  beforeAll(async () => {
    running.dataDir = mkdtempSync(join(tmpdir(), `muster-browser-${name}-`));
    const env: Record<string, string> = { MUSTER_DATA_DIR: running.dataDir };
    if (adminUrl) {
      running.database = await freshPostgres();
      env.DATABASE_URL = running.database.databaseUrl!;
    }
    running.server = await startServer(env);
    running.browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await running.browser?.close();
    await running.server?.stop();
    await running.database?.drop();
    if (running.dataDir) rmSync(running.dataDir, { recursive: true, force: true });
  });
  return {
    get server(): ServerProcess {
      return running.server!;
    },
    get browser(): Browser {
      return running.browser!;
    },
  };
}

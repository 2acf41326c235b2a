// `npm start` builds the web app when its build is missing or older than its sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce(
    (newest, name) => Math.max(newest, newestChange(join(path, name))),
    stat.mtimeMs,
  );
}

export function webBuildIsStale(root: string): boolean {
  const built = join(root, 'web/dist/index.html');
  if (!existsSync(built)) return true;
  const sources = [
    'web/src',
    'web/index.html',
    'web/vite.config.ts',
    'web/vite-service-worker.ts',
    'server/features',
  ]
    .map((p) => join(root, p))
    .filter((p) => existsSync(p));
  return Math.max(...sources.map(newestChange)) > statSync(built).mtimeMs;
}

export async function buildWebIfStale(root: string, log: (line: string) => void): Promise<void> {
  if (!webBuildIsStale(root)) return;
  log('Building the web app…');
  const { build } = await import('vite');
  await build({ configFile: join(root, 'web/vite.config.ts'), logLevel: 'warn' });
}

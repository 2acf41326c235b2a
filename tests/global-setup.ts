// Builds the web app once, before any test file starts a server that serves it; after the
// whole suite, scans every server's log for tokens, names and coordinates (log-scan.ts).
import { fileURLToPath } from 'node:url';
import { buildWebIfStale } from '../server/web-build.ts';
import { resetLogs, scanLogs } from './helpers/log-scan.ts';

export default async function setup() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  await buildWebIfStale(root, (line) => console.log(line));
  resetLogs();
  return function teardown() {
    const { records, findings } = scanLogs();
    console.log(`Log scan: ${records} log records, ${findings.length} holding personal data.`);
    if (findings.length > 0) {
      const shown = findings.slice(0, 20).map((f) => `  ${f.what} in ${f.file}: ${f.record}`);
      throw new Error(`The servers' logs hold personal data:\n${shown.join('\n')}`);
    }
  };
}

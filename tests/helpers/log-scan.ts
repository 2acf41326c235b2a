// The log scan: every server the tests run writes its log under tests/.logs, the fixtures
// note each session token, invite token and display name they make, and after the whole
// suite (tests/global-setup.ts) no log record may hold any of them, nor a coordinate.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const LOG_DIR = fileURLToPath(new URL('../.logs/', import.meta.url));
const SECRETS = 'secrets.jsonl';

export function resetLogs(): void {
  rmSync(LOG_DIR, { recursive: true, force: true });
  mkdirSync(LOG_DIR, { recursive: true });
}

let files = 0;

/** A fresh file for one server's log. */
export function logFile(name: string): string {
  mkdirSync(LOG_DIR, { recursive: true });
  files += 1;
  return `${LOG_DIR}${name}-${process.pid}-${files}.log`;
}

export type SecretKind = 'token' | 'name';

/** Notes a value no log may contain. */
export function recordSecret(kind: SecretKind, value: string): void {
  mkdirSync(LOG_DIR, { recursive: true });
  appendFileSync(LOG_DIR + SECRETS, `${JSON.stringify({ kind, value })}\n`);
}

/** Timing fields: their decimals would look like coordinates. */
const TIMINGS = ['time', 'responseTime', 'elapsed', 'ms'];
/** A decimal degree as the fixtures write them (34.0593, -118.2776). */
const COORDINATE = /-?\b\d{1,3}\.\d{4,}\b/;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface Finding {
  file: string;
  what: string;
  record: string;
}

/** Every log record in `dir` that holds a secret noted there, or a coordinate. */
export function scanLogs(dir = LOG_DIR): { records: number; findings: Finding[] } {
  if (!existsSync(dir)) return { records: 0, findings: [] };
  const secrets = existsSync(dir + SECRETS)
    ? readFileSync(dir + SECRETS, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { kind: SecretKind; value: string })
    : [];
  const tokens = [...new Set(secrets.filter((s) => s.kind === 'token').map((s) => s.value))];
  // Names as whole words, so "Ada" does not match inside another word.
  const names = [...new Set(secrets.filter((s) => s.kind === 'name').map((s) => s.value))].map(
    (name) =>
      [
        name,
        new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(name)}(?![\\p{L}\\p{N}])`, 'u'),
      ] as const,
  );
  const findings: Finding[] = [];
  let records = 0;
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.log'))) {
    for (const line of readFileSync(dir + name, 'utf8').split('\n')) {
      // Lines that are not log records are the terminal's (the start-up banner).
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      records += 1;
      for (const field of TIMINGS) delete record[field];
      const text = JSON.stringify(record);
      const found = (what: string) => findings.push({ file: name, what, record: text });
      for (const token of tokens)
        if (text.includes(token)) found(`a token (${token.slice(0, 6)}…)`);
      for (const [value, pattern] of names) if (pattern.test(text)) found(`the name "${value}"`);
      const coordinate = COORDINATE.exec(text);
      if (coordinate) found(`the coordinate ${coordinate[0]}`);
    }
  }
  return { records, findings };
}

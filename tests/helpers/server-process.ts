// Runs the real server (server/main.ts) as a child process, as `npm start` would.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { logFile } from './log-scan.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  origin: string;
  setupLink: string | null;
  output(): string;
  /** Sends SIGINT (Ctrl-C) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts the server as `npm start` does, logging every request (info), with its output also
 * kept in a file for the log scan (log-scan.ts).
 */
export function runMain(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logFile('server'));
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  child.once('exit', () => log.end());
  return child;
}

export function exitOf(child: ChildProcess): Promise<number | null> {
  // A child killed by a signal has no exit code, only a signal code.
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = runMain(env);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 90_000);
    const check = () => {
      const match = /Muster is running at (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        // The setup link is printed right after; give it a moment.
        setTimeout(() => resolve(match[1]!), 300);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return {
    child,
    origin,
    get setupLink() {
      return /Setup link: (\S+)/.exec(output)?.[1] ?? null;
    },
    output: () => output,
    stop: (signal = 'SIGINT') => {
      child.kill(signal);
      return exitOf(child);
    },
  };
}

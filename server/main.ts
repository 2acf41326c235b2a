// Entry point: read config, build the web app if needed, listen, shut down cleanly.
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { ConfigError, parseConfig, type Config } from './config.ts';
import { ensureSetupLink } from './features/people/service.ts';
import { DataDirLockedError } from './plugins/database.ts';
import { buildWebIfStale } from './web-build.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The origin printed in links: the configured public URL, else where we listen. */
export function listeningOrigin(config: Config, app: FastifyInstance): string {
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return config.publicUrl ?? `http://${config.host}:${port}`;
}

/** Reports start-up failures we expect (bad config, a held data directory) in one line. */
export async function runOrExplain(main: () => Promise<unknown>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DataDirLockedError) {
      console.error(`Muster cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

export async function start(config: Config) {
  await buildWebIfStale(root, (line) => console.log(line));
  const app = await buildApp(config);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  // After a restart every open page reconnects within seconds: connections the kernel holds
  // beyond Node's default 511 wait their turn instead of being dropped, whose client would
  // then retry only after TCP's 1 s, 3 s, 7 s… (the OS caps this at net.core.somaxconn).
  await app.listen({ port: config.port, host: config.host, backlog: 4096 });
  const origin = listeningOrigin(config, app);
  console.log(`Muster is running at ${origin} (${app.databaseKind})`);
  const setupToken = await ensureSetupLink(app.db);
  if (setupToken) console.log(`Setup link: ${origin}/setup#${setupToken}`);
  return app;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runOrExplain(() => start(parseConfig(process.env)));
}

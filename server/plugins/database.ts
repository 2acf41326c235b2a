// Opens the database Muster runs on — embedded PGlite by default, real PostgreSQL when
// DATABASE_URL is set — and applies the committed drizzle-kit migrations.
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import pg from 'pg';
import * as schema from '../../drizzle/schema.ts';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Either the database or a transaction: what repository functions take. */
export type Queryable = Database | Transaction;

export interface OpenDatabase {
  db: Database;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

const migrationsFolder = fileURLToPath(new URL('../../drizzle/migrations', import.meta.url));
/** Arbitrary constant: serializes migrations when several instances start at once. */
const MIGRATION_LOCK_KEY = 7_405_291_118;

export class DataDirLockedError extends Error {}

/** The databases whose server has a WAL writer: PostgreSQL's, not PGlite's. */
const withWalWriter = new WeakSet<Database>();

/** The SQLSTATE of a database error, wherever the driver put it. */
export function sqlState(error: unknown): string | null {
  for (let e = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return null;
}

export async function openDatabase(options: {
  databaseUrl: string | null;
  dataDir: string;
}): Promise<OpenDatabase> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(options.dataDir);
}

async function openPostgres(url: string): Promise<OpenDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: 20 });
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => {});
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await migratePg(drizzlePg({ client, schema }), { migrationsFolder });
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    client.release();
  }
  const db = drizzlePg({ client: pool, schema }) as unknown as Database;
  withWalWriter.add(db);
  return { db, kind: 'postgres', close: () => pool.end() };
}

/**
 * Lets the transaction's commit return before its WAL is on disk (`synchronous_commit = off`)
 * where that is safe from a kill of this process: on PostgreSQL, whose WAL writer flushes it
 * within moments, so only a crash of PostgreSQL itself can lose it. Not on PGlite: it runs
 * PostgreSQL single-user, without a WAL writer, so an asynchronous commit's WAL stays in this
 * process's memory until a later commit flushes it, and a SIGKILL in between loses a write
 * already acknowledged (tests/server/crash.test.ts found it). PGlite runs with fsync off, so
 * there a synchronous commit costs a write() to the OS, not a wait for the disk.
 */
export async function commitAsynchronously(db: Database, tx: Transaction): Promise<void> {
  if (withWalWriter.has(db)) await tx.execute(sql`set local synchronous_commit = off`);
}

/**
 * A second, small pool on the same PostgreSQL database, for readers that must not queue
 * behind the writes waiting in the main pool (the live layer reading new change records).
 */
export function openPostgresReader(url: string, connections: number) {
  const pool = new pg.Pool({ connectionString: url, max: connections });
  pool.on('error', () => {});
  const db = drizzlePg({ client: pool, schema }) as unknown as Database;
  return { db, close: () => pool.end() };
}

async function openPglite(dataDir: string): Promise<OpenDatabase> {
  if (dataDir === 'memory://') {
    const client = await PGlite.create();
    return finishPglite(client, () => {});
  }
  mkdirSync(dataDir, { recursive: true });
  const releaseLock = lockDataDir(dataDir);
  try {
    const client = await PGlite.create(join(dataDir, 'pglite'));
    return await finishPglite(client, releaseLock);
  } catch (error) {
    releaseLock();
    throw error;
  }
}

async function finishPglite(client: PGlite, releaseLock: () => void): Promise<OpenDatabase> {
  const db = drizzlePglite({ client, schema });
  await migratePglite(db, { migrationsFolder });
  return {
    db: db as unknown as Database,
    kind: 'pglite',
    close: async () => {
      await client.close();
      releaseLock();
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is a single-process database: two processes writing one directory corrupt it.
 * A lock file holding our pid guards the directory; a lock left by a dead process
 * (SIGKILL, power loss) is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const lockPath = join(dataDir, 'muster.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => unlinkSync(lockPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new DataDirLockedError(
          `The data directory ${dataDir} is in use by another Muster process (pid ${holder}). ` +
            'Stop that process, or set MUSTER_DATA_DIR to another directory.',
        );
      }
      unlinkSync(lockPath);
    }
  }
  throw new DataDirLockedError(`Could not lock the data directory ${dataDir}.`);
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
    databaseKind: OpenDatabase['kind'];
  }
}

async function databasePlugin(
  app: FastifyInstance,
  options: { databaseUrl: string | null; dataDir: string },
) {
  const database = await openDatabase(options);
  app.decorate('db', database.db);
  app.decorate('databaseKind', database.kind);
  app.addHook('onClose', () => database.close());
}

export default fp(databasePlugin, { name: 'database' });

// The databases server tests run on: PGlite always, and real PostgreSQL whenever
// DATABASE_URL is set (CI sets it). Each test app gets a fresh, empty database.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export type DatabaseKind = 'pglite' | 'postgres';

export const adminUrl = process.env.DATABASE_URL ?? null;

export const databaseKinds: DatabaseKind[] = adminUrl ? ['pglite', 'postgres'] : ['pglite'];

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl! });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface FreshDatabase {
  databaseUrl: string | null;
  dataDir: string;
  drop(): Promise<void>;
}

/** A new PostgreSQL database, named so a crashed run's leftovers are recognisable. */
export async function freshPostgres(): Promise<FreshDatabase> {
  if (!adminUrl) throw new Error('DATABASE_URL is not set');
  const name = `muster_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    databaseUrl: url.toString(),
    dataDir: '',
    drop: () => adminQuery(`drop database if exists ${name} with (force)`),
  };
}

export async function freshDatabase(kind: DatabaseKind): Promise<FreshDatabase> {
  if (kind === 'postgres') return freshPostgres();
  return { databaseUrl: null, dataDir: 'memory://', drop: async () => {} };
}

// Fresh PostgreSQL databases for the benchmarks, made and dropped like the server tests'.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const adminUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** A fresh PostgreSQL database; null (and a line saying so) if the server is unreachable. */
export async function freshPostgres(): Promise<{
  databaseUrl: string;
  drop(): Promise<void>;
} | null> {
  const name = `muster_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  try {
    await adminQuery(`create database ${name}`);
  } catch (error) {
    console.log(`PostgreSQL at ${redact(adminUrl)} is unreachable (${String(error)}): skipped.`);
    return null;
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    databaseUrl: url.toString(),
    drop: () => adminQuery(`drop database if exists ${name} with (force)`),
  };
}

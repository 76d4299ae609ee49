/**
 * Throwaway PostgreSQL databases for tests: each test file CREATEs its own uniquely named database on
 * the server at 127.0.0.1:5432 (trust auth) and DROPs it afterwards; it never touches another one.
 */
import { randomBytes } from 'node:crypto';

import knexFactory from 'knex';

export const PG_HOST_URL = process.env.COUNTERTOP_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';

export type TestDatabase = { name: string; url: string; drop(): Promise<void> };

async function admin<T>(fn: (k: ReturnType<typeof knexFactory>) => Promise<T>): Promise<T> {
  const k = knexFactory({ client: 'pg', connection: `${PG_HOST_URL}/postgres`, pool: { min: 0, max: 1 } });
  try {
    return await fn(k);
  } finally {
    await k.destroy();
  }
}

export async function createTestDatabase(prefix = 'ct_test'): Promise<TestDatabase> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
  await admin((k) => k.raw(`CREATE DATABASE "${name}"`));
  return {
    name,
    url: `${PG_HOST_URL}/${name}`,
    drop: () => admin((k) => k.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

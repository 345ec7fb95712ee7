/** The same data tests against a real PostgreSQL server (TEST_DATABASE_URL, default local trust auth). */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openDatabase } from '../../../kit/db';
import { documentsDataSuite } from './data-suite';

const ADMIN_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `govgraph_test_${randomBytes(4).toString('hex')}`;

async function admin(sql: string): Promise<void> {
  const c = new Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

afterAll(async () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

documentsDataSuite('PostgreSQL server', async () => {
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString() });
  expect(db.kind).toBe('postgres');
  return db;
});

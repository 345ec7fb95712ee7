/** In-process harness: a documents subgraph over a given database, queried through Fastify inject. */
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Database } from '../../../kit/db';
import { migrate } from '../../../kit/migrate';
import { createSubgraphServer } from '../../../kit/server';
import { documents } from '../subgraph';

export interface GqlResult<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
}

export interface Harness {
  db: Database;
  app: FastifyInstance;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>>;
  close(): Promise<void>;
}

export const TEST_SCALE = 0.05;

export async function openHarness(db: Database, scale = TEST_SCALE): Promise<Harness> {
  await migrate(db, documents.databaseModules);
  await documents.seed(db, scale);
  const app = createSubgraphServer({ ...documents, db, logger: pino({ level: 'silent' }), maxPageSize: 100 });
  await app.ready();
  return {
    db,
    app,
    async gql(query, variables) {
      const res = await app.inject({ method: 'POST', url: '/graphql', payload: { query, variables } });
      return res.json();
    },
    async close() {
      await app.close();
      await db.close();
    },
  };
}

/** In-process harness: the documents subgraph over a given database, queried through Fastify inject. */
import type { Database } from '../../../kit';
import { callers, startTestSubgraph } from '../../../kit/testing';
import type { TestSubgraph } from '../../../kit/testing';
import { documents } from '../subgraph';

export type { GqlResult } from '../../../kit/testing';
export type Harness = TestSubgraph;

export const TEST_SCALE = 0.05;

export const openHarness = (db: Database, scale = TEST_SCALE): Promise<Harness> =>
  startTestSubgraph(documents, { db, scale, caller: callers.analyst }); // reads every register

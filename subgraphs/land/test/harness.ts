/** In-process harness: the land subgraph over a given database, queried through Fastify inject. */
import type { Database } from '../../../kit';
import { callers, startTestSubgraph } from '../../../kit/testing';
import type { TestSubgraph } from '../../../kit/testing';
import { land } from '../subgraph';

export type Harness = TestSubgraph;

export const TEST_SCALE = 0.2; // enough parcels in a merged ward and its predecessors for a page of 100

export const openHarness = (db: Database, scale = TEST_SCALE): Promise<Harness> =>
  startTestSubgraph(land, { db, scale, caller: callers.analyst }); // every record, holders masked

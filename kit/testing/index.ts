/**
 * Test helpers every subgraph shares, `…/kit/testing` (tests only: ESLint keeps it out of production
 * code): throw-away databases (database.ts) and subgraphs started on them (subgraph.ts).
 */
export { createTestDatabase, testServerUrl } from './database';
export type { TestDatabase } from './database';
export { callers, startTestPeers, startTestSubgraph } from './subgraph';
export type { GqlResult, TestSubgraph, TestSubgraphOptions } from './subgraph';
export { lastOutboxSeq, outboxEvents } from './events';
export type { OutboxRecord } from './events';
export { freePort, ownRedis, TEST_REDIS_URL } from './redis';
export type { OwnRedis } from './redis';

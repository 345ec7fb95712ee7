/**
 * In-process harness: the documents subgraph over a given database, queried through Fastify inject,
 * with its peer the mail subgraph (the directory of officials that signers and assignees are checked
 * in, kit/runtime/officials.ts) running for real on its own throw-away database.
 */
import type { Database } from '../../../../kit';
import { callers, startTestPeers, startTestSubgraph } from '../../../../kit/testing';
import type { TestSubgraph } from '../../../../kit/testing';
import { documents } from '../../subgraph';

export type { GqlResult } from '../../../../kit/testing';
export type Harness = TestSubgraph;

export const TEST_SCALE = 0.05;

export async function openHarness(db: Database, scale = TEST_SCALE): Promise<Harness> {
  const peers = await startTestPeers(['mail']);
  try {
    const h = await startTestSubgraph(documents, {
      db,
      scale,
      caller: callers.analyst, // reads every register
      gatewayKeys: peers.gatewayKeys,
      peers: peers.peers,
    });
    return {
      ...h,
      async close() {
        await h.close();
        await peers.close();
      },
    };
  } catch (err) {
    await peers.close();
    throw err;
  }
}

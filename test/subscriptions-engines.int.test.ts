/**
 * A subscription sent as an HTTP request is refused with a code on both engines: the govgraph engine
 * serves subscriptions over WebSocket only (docs/subscriptions.md), the reference engine
 * (`GATEWAY_ENGINE=apollo`, stock @apollo/gateway) runs none at all.
 */
import { loadRegistry } from '../schema/registry';
import { startFederatedStack } from './support/subgraphs';
import type { FederatedStack } from './support/subgraphs';

jest.setTimeout(120_000);

const SUBSCRIPTION = 'subscription { dossierStatusChanged { id status } }';
const stacks: FederatedStack[] = [];

afterAll(async () => {
  for (const stack of stacks) await stack.close();
});

test.each([
  ['govgraph', /served over WebSocket \(graphql-ws\)/],
  ['apollo', /reference engine \(GATEWAY_ENGINE=apollo\) runs no subscriptions/],
])(
  'engine %s: a subscription over HTTP is SUBSCRIPTIONS_NOT_SUPPORTED, with no data',
  async (engine, message) => {
    const stack = await startFederatedStack({
      scale: 0.02,
      registry: loadRegistry().filter((e) => e.name === 'dossiers'),
      gatewayEnv: { GATEWAY_ENGINE: engine },
    });
    stacks.push(stack);
    const answer = await stack.gql(SUBSCRIPTION, {}, { role: 'analyst', sub: 'analyst-1' });
    expect(answer.data ?? null).toBeNull();
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors[0].extensions.code).toBe('SUBSCRIPTIONS_NOT_SUPPORTED');
    expect(answer.errors[0].message).toMatch(message);
    // A query still runs on the same engine.
    const query = await stack.gql(
      '{ dossiers(first: 1) { nodes { code } } }',
      {},
      { role: 'analyst', sub: 'analyst-1' },
    );
    expect(query.errors).toBeUndefined();
  },
);

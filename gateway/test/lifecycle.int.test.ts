/**
 * Health, readiness, graceful stop, and start-up failures that name the setting.
 * Over real HTTP: two fixture subgraphs and a gateway on port 0 (support/gatewayStack.ts).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context';
import { defineFeature } from '../feature';
import { createGateway } from '../server';
import { defaultConfig, defaultFeatures } from './support/config';
import { JOIN_QUERY, silentLogger as logger } from './support/gatewayStack';
import { post, useGatewayStack } from './support/gatewayStack';

const stack = useGatewayStack();

describe('health and readiness', () => {
  test('/health is 200; /ready is 503 before start and 200 when serving; stopped means closed', async () => {
    const gateway = createGateway(stack.configFor(), { logger, features: defaultFeatures });
    stack.track(gateway);
    const before = await gateway.app.inject({ method: 'GET', url: '/ready' });
    expect(before.statusCode).toBe(503);
    expect(gateway.isReady()).toBe(false);
    const { url: gwUrl } = await gateway.start();
    const base = new URL(gwUrl).origin;
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(gateway.isReady()).toBe(true);
    await gateway.stop();
    expect(gateway.isReady()).toBe(false);
    await expect(fetch(`${base}/ready`)).rejects.toThrow();
  });

  test('with GATEWAY_SHUTDOWN_DELAY, stop() first turns /ready to 503 while still serving queries', async () => {
    const gateway = createGateway(stack.configFor({ GATEWAY_SHUTDOWN_DELAY: '400' }), {
      logger,
      features: defaultFeatures,
    });
    stack.track(gateway);
    const { url: gwUrl } = await gateway.start();
    const base = new URL(gwUrl).origin;
    const stopping = gateway.stop();
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'stopping' });
    const stillServing = await post(gwUrl, { query: '{ reviewCount }' });
    expect(stillServing.json).toEqual({ data: { reviewCount: 3 } });
    await stopping;
    await expect(fetch(`${base}/ready`)).rejects.toThrow();
  });

  test('stop() lets an in-flight request finish, then refuses connections', async () => {
    // A plugin holds every operation for 300 ms, so the request is provably in flight when stop() starts.
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    const slow: ApolloServerPlugin<GatewayContext> = {
      async requestDidStart() {
        arrived();
        await new Promise((r) => setTimeout(r, 300));
      },
    };
    const features = [
      ...defaultFeatures,
      defineFeature({ name: 'slow', create: () => ({ plugins: [slow] }) }),
    ];
    const gateway = createGateway(stack.configFor({}, features), { logger, features });
    stack.track(gateway);
    const { url: gwUrl } = await gateway.start();
    const inFlight = post(gwUrl, { query: JOIN_QUERY });
    await arrival;
    const stopping = gateway.stop();
    expect(gateway.isReady()).toBe(false);
    const res = await inFlight;
    await stopping;
    expect(res.status).toBe(200);
    expect((res.json.data?.topProducts as unknown[]).length).toBe(2);
    await expect(fetch(gwUrl)).rejects.toThrow();
  });
});

describe('start-up failures name the setting', () => {
  test('a missing supergraph file', async () => {
    const gateway = createGateway(
      defaultConfig({ SUPERGRAPH_PATH: '/nonexistent/supergraph.graphql', GATEWAY_PORT: '0' }),
      { logger, features: defaultFeatures },
    );
    await expect(gateway.start()).rejects.toThrow(/^SUPERGRAPH_PATH: cannot read supergraph file .*ENOENT/);
  });

  test('a SUBGRAPH_URL_ override that names no subgraph', async () => {
    const gateway = createGateway(stack.configFor({ SUBGRAPH_URL_REVEIWS: 'http://127.0.0.1:1/graphql' }), {
      logger,
      features: defaultFeatures,
    });
    await expect(gateway.start()).rejects.toThrow(/^SUBGRAPH_URL_REVEIWS: no subgraph/);
  });
});

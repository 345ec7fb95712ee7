/**
 * The gateway over real HTTP for the suites that were gateway.int.test.ts: two fixture subgraphs
 * (products, reviews) on port 0, composed into a temp supergraph, and a gateway on port 0 with the
 * default features (`{ startGateway: false }`: none). `useGatewayStack()` registers the suite's beforeAll/afterAll; every gateway or
 * server a test starts is handed to `track`/`trackServer` and stopped after the suite.
 */
import pino from 'pino';
import { loadGatewayConfig } from '../../config';
import type { GatewayConfig } from '../../config';
import type { GatewayFeature } from '../../feature';
import { defaultFeatures } from '../../features';
import { createGateway } from '../../server';
import type { Gateway } from '../../server';
import { engineEnv, startProducts, startReviews, writeSupergraph } from './fixtures';
import type { RunningServer } from './fixtures';

export const silentLogger = pino({ level: 'silent' });
export const GRAPHQL_RESPONSE = 'application/graphql-response+json';
export const JOIN_QUERY = '{ topProducts { upc name reviews { body } } }';

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface Posted {
  status: number;
  headers: Headers;
  text: string;
  json: GraphQLBody;
}

/** POSTs like Apollo Client: prefers application/graphql-response+json, whose request errors are 400s. */
export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Posted> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: GRAPHQL_RESPONSE, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: JSON.parse(text) as GraphQLBody };
}

export interface GatewayStack {
  /** The suite's gateway's GraphQL URL and origin (set once beforeAll ran). */
  readonly url: string;
  readonly origin: string;
  readonly products: RunningServer;
  readonly reviews: RunningServer;
  /** The gateway configuration over the stack's supergraph, on port 0. */
  configFor(env?: Record<string, string>, features?: readonly GatewayFeature[]): GatewayConfig;
  /** Another gateway over the same subgraphs, started (and stopped after the suite). */
  startGateway(
    env?: Record<string, string>,
  ): Promise<{ gateway: Gateway; url: string; operatorUrl?: string }>;
  track(gateway: Gateway): void;
  trackServer(...servers: RunningServer[]): void;
}

export function useGatewayStack(options: { startGateway?: boolean } = {}): GatewayStack {
  let products: RunningServer | undefined;
  let reviews: RunningServer | undefined;
  let supergraph: { file: string; cleanup(): void } | undefined;
  let url = '';
  const gateways: Gateway[] = [];
  const servers: RunningServer[] = [];
  const stack: GatewayStack = {
    get url() {
      return url;
    },
    get origin() {
      return new URL(url).origin;
    },
    get products() {
      return products!;
    },
    get reviews() {
      return reviews!;
    },
    configFor(env = {}, features = defaultFeatures) {
      return loadGatewayConfig(
        { SUPERGRAPH_PATH: supergraph!.file, GATEWAY_PORT: '0', ...engineEnv(), ...env },
        [],
        features,
      );
    },
    async startGateway(env = {}) {
      const gateway = createGateway(stack.configFor(env), {
        logger: silentLogger,
        features: defaultFeatures,
      });
      gateways.push(gateway);
      const started = await gateway.start();
      return { gateway, url: started.url, operatorUrl: started.operatorUrl };
    },
    track: (gateway) => void gateways.push(gateway),
    trackServer: (...more) => void servers.push(...more),
  };
  beforeAll(async () => {
    products = await startProducts();
    reviews = await startReviews();
    servers.push(products, reviews);
    supergraph = writeSupergraph({ products: products.url, reviews: reviews.url });
    // A suite that starts only gateways of its own (with its settings) skips the default one.
    if (options.startGateway !== false) ({ url } = await stack.startGateway());
  }, 30_000); // two subgraphs and a gateway: seconds on a busy machine
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await Promise.all(servers.map((s) => s.close()));
    supergraph?.cleanup();
  });
  return stack;
}

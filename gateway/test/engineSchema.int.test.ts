/**
 * What each engine does with its supergraph source, behind the one engine interface: it tells
 * Apollo Server the API schema at load and again when the source changes (a version that does not
 * build keeps the previous schema), follows each subgraph's URL, and checks the subgraphs' health
 * on demand, naming the one that does not answer. Real HTTP subgraph; the source is in memory.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import type { GraphQLSchema } from 'graphql';
import pino from 'pino';
import { composeSupergraph } from '../../schema/compose';
import { createEngine, supergraphVersion } from '../engine';
import type { GatewayEngine, SupergraphSource, SupergraphVersion } from '../engine';

const logger = pino({ level: 'silent' });

let subgraph: Server;
let url: string;

beforeAll(async () => {
  subgraph = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ data: { __typename: 'Query' } }));
    });
  });
  await new Promise<void>((resolve) => subgraph.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(subgraph.address() as AddressInfo).port}/graphql`;
});

afterAll(() => new Promise((resolve) => subgraph.close(resolve)));

const supergraph = (fields: string, subgraphUrl = 'http://greetings.invalid/graphql') =>
  composeSupergraph([
    {
      name: 'greetings',
      url: subgraphUrl,
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Query { ${fields} }
      `,
    },
  ]);

/** An in-memory source whose changes the test pushes. */
function memorySource(first: string): SupergraphSource & { push(sdl: string): void; stopped: boolean } {
  const listeners = new Set<(version: SupergraphVersion) => void>();
  return {
    describe: 'memory',
    stopped: false,
    load: async () => supergraphVersion(first),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      this.stopped = true;
    },
    push(sdl) {
      for (const listener of listeners) listener(supergraphVersion(sdl));
    },
  };
}

const LOAD_OPTIONS = { apollo: {} } as Parameters<GatewayInterface['load']>[0];
const queryFields = (schema: GraphQLSchema) => Object.keys(schema.getQueryType()!.getFields()).sort();

describe.each(['govgraph', 'apollo'] as const)('the %s engine', (name) => {
  let engine: GatewayEngine | undefined;
  afterEach(async () => {
    await engine?.stop();
    engine = undefined;
  });

  const create = (
    source: SupergraphSource,
    subgraphUrl: (name: string, inSupergraph: string | undefined) => string = () => url,
  ) =>
    (engine = createEngine(name, {
      source,
      wrappers: [],
      subgraphUrl,
      logger,
      overrideLabels: new Map(),
      validateSupergraph: true,
    }));

  test('tells Apollo Server the schema at load and after each change; a broken version keeps the last', async () => {
    const source = memorySource(supergraph('hello: String'));
    const gateway = create(source);
    const seen: { fields: string[]; sdl: string }[] = [];
    gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) =>
      seen.push({ fields: queryFields(apiSchema), sdl: coreSupergraphSdl }),
    );
    await gateway.load(LOAD_OPTIONS);
    expect(seen).toEqual([{ fields: ['hello'], sdl: supergraph('hello: String') }]);

    source.push(supergraph('hello: String goodbye: String'));
    await gateway.settled();
    expect(seen.map((s) => s.fields)).toEqual([['hello'], ['goodbye', 'hello']]);

    source.push('this is not a supergraph');
    await gateway.settled();
    expect(seen.map((s) => s.fields)).toEqual([['hello'], ['goodbye', 'hello']]);

    await gateway.stop();
    engine = undefined;
    expect(source.stopped).toBe(true);
  });

  test('fetches each subgraph at the URL it is given and checks their health on demand', async () => {
    const asked: [string, string | undefined][] = [];
    const gateway = create(memorySource(supergraph('hello: String')), (subgraphName, inSupergraph) => {
      asked.push([subgraphName, inSupergraph]);
      return url;
    });
    await gateway.load(LOAD_OPTIONS);
    expect(asked).toEqual([['greetings', 'http://greetings.invalid/graphql']]);
    await expect(gateway.healthCheck()).resolves.toBeUndefined();
  });

  test('a health check names the subgraph that does not answer', async () => {
    const gateway = create(memorySource(supergraph('hello: String')), () => 'http://127.0.0.1:9/graphql');
    await gateway.load(LOAD_OPTIONS);
    await expect(gateway.healthCheck()).rejects.toThrow('[greetings]: Subgraph "greetings" is unavailable');
  });
});

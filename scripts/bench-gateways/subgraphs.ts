/**
 * The Workload A subgraphs in one plain Node HTTP server, one path per subgraph (`/accounts`, …).
 * Responses are memoized by request body: a subgraph answers a body it has seen with the same bytes,
 * so the benchmark measures the gateway, not the subgraphs. Prints `listening <port>` when ready.
 *
 *   node --import tsx scripts/bench-gateways/subgraphs.ts [port]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse, validate } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { SUBGRAPHS } from './workloadA';

const schemas = new Map<string, GraphQLSchema>(
  SUBGRAPHS.map((s) => [
    `/${s.name}`,
    buildSubgraphSchema({ typeDefs: parse(s.typeDefs), resolvers: s.resolvers }),
  ]),
);
const memo = new Map<string, Buffer>();

async function answer(schema: GraphQLSchema, body: string): Promise<Buffer> {
  const { query, variables, operationName } = JSON.parse(body) as {
    query: string;
    variables?: Record<string, unknown>;
    operationName?: string;
  };
  const document = parse(query);
  const errors = validate(schema, document);
  const result = errors.length
    ? { errors: errors.map((e) => e.toJSON()) }
    : await execute({ schema, document, variableValues: variables, operationName });
  return Buffer.from(JSON.stringify(result));
}

const server = createServer((req, res) => {
  const schema = schemas.get(req.url ?? '');
  if (req.method === 'GET' && req.url === '/health') return void res.end('ok');
  if (!schema || req.method !== 'POST') {
    res.statusCode = 404;
    return void res.end();
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString();
    const key = req.url + body;
    const cached = memo.get(key);
    const send = (bytes: Buffer) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes.length });
      res.end(bytes);
    };
    if (cached) return send(cached);
    answer(schema, body).then(
      (bytes) => {
        if (memo.size < 10_000) memo.set(key, bytes);
        send(bytes);
      },
      (error: Error) => {
        res.statusCode = 400;
        res.end(JSON.stringify({ errors: [{ message: error.message }] }));
      },
    );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('disconnect', () => process.exit(0));

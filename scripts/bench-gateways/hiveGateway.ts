/**
 * Hive Gateway's runtime (`@graphql-hive/gateway-runtime`, optional, not a project dependency) on a
 * plain node:http server, serving a supergraph file at /graphql; `dedupe` turns on its inbound
 * in-flight request deduplication (`inboundInflightRequestDeduplication`).
 *
 *   node --import tsx scripts/bench-gateways/hiveGateway.ts <module entry> <supergraph file> <port> [dedupe]
 */
import { createServer } from 'node:http';
import type { RequestListener } from 'node:http';
import { readFileSync } from 'node:fs';

interface HiveRuntime {
  createGatewayRuntime(options: Record<string, unknown>): RequestListener;
}

const [entry, file, port, mode] = process.argv.slice(2);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createGatewayRuntime } = require(entry!) as HiveRuntime;
const runtime = createGatewayRuntime({
  supergraph: readFileSync(file!, 'utf8'),
  graphqlEndpoint: '/graphql',
  logging: 'error',
  landingPage: false,
  graphiql: false,
  inboundInflightRequestDeduplication: mode === 'dedupe',
});
const server = createServer(runtime);
server.keepAliveTimeout = 60_000;
server.listen(Number(port), '127.0.0.1', () =>
  console.log(`Gateway ready at http://127.0.0.1:${port}/graphql`),
);
process.on('SIGTERM', () => process.exit(0));

/**
 * The mercurius gateway (`@mercuriusjs/gateway`, optional, not a project dependency) on Fastify at
 * /graphql. It takes no supergraph: it reads each subgraph's SDL (`_service { sdl }`) from the
 * URLs the supergraph file names (`@join__graph(name:, url:)`).
 *
 *   node --import tsx scripts/bench-gateways/mercuriusGateway.ts <module entry> <supergraph file> <port>
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [entry, file, port] = process.argv.slice(2);
const services = [
  ...readFileSync(file!, 'utf8').matchAll(/@join__graph\(name: "([^"]+)", url: "([^"]+)"\)/g),
].map(([, name, url]) => ({ name: name!, url: url! }));
// Fastify as the gateway package itself resolves it (the project's copy when installed there).
/* eslint-disable @typescript-eslint/no-require-imports */
const fastify = require(require.resolve('fastify', { paths: [path.dirname(entry!)] })) as (o: object) => any;
const gatewayPlugin = require(entry!) as unknown;
/* eslint-enable @typescript-eslint/no-require-imports */

async function main(): Promise<void> {
  const app = fastify({ logger: false, keepAliveTimeout: 60_000 });
  app.register(gatewayPlugin, { gateway: { services } });
  await app.listen({ host: '127.0.0.1', port: Number(port) });
  console.log(`Gateway ready at http://127.0.0.1:${port}/graphql`);
  process.on('SIGTERM', () => void app.close().finally(() => process.exit(0)));
}

main().catch((error: Error) => {
  console.error(`mercurius gateway failed: ${error.message}`);
  process.exit(1);
});

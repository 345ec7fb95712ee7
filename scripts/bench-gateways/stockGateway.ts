/**
 * Stock @apollo/gateway, as the public benchmark runs it: `ApolloServer({ gateway })` with the
 * standalone HTTP server, no features. The reference every engine is compared with.
 *
 *   node --import tsx scripts/bench-gateways/stockGateway.ts <supergraph file> <port>
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

process.env.APOLLO_TELEMETRY_DISABLED = 'true';

async function main(): Promise<void> {
  const [file, port] = process.argv.slice(2);
  const gateway = new ApolloGateway({ supergraphSdl: readFileSync(file!, 'utf8') });
  // Our own SIGTERM handler exits through process.exit, so `--cpu-prof` writes its profile.
  const server = new ApolloServer({ gateway, stopOnTerminationSignals: false });
  process.on('SIGTERM', () => void server.stop().finally(() => process.exit(0)));
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: Number(port) } });
  console.log(`Gateway ready at ${url}`);
}

main().catch((error: Error) => {
  console.error(`stock gateway failed: ${error.message}`);
  process.exit(1);
});

/**
 * Gateway process entry point: reads config, creates the logger, starts, and stops gracefully on
 * SIGTERM/SIGINT. Start-up failures print one line on stderr and exit 1.
 */
import pino from 'pino';
import { loadGatewayConfig } from './config';
import { createGateway } from './server';

async function main(): Promise<void> {
  const config = loadGatewayConfig(process.env, process.argv.slice(2));
  const logger = pino({ level: config.logLevel, name: 'gateway' });
  const gateway = createGateway(config, { logger });
  const { url } = await gateway.start();
  const base = url.replace(/\/graphql$/, '');
  if (process.send) {
    // Started by a parent (npm start): it prints the URLs it is told about.
    process.send({ type: 'listening', name: 'gateway', url });
  } else {
    console.log(`Gateway ready at ${url}`);
    if (config.graphiql) console.log(`GraphiQL at ${base}/graphiql`);
  }

  let signalled = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = true;
    logger.info({ signal }, 'stopping gateway');
    gateway.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`gateway failed to start: ${message.split('\n')[0]}`);
  process.exit(1);
});

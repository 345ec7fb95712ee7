/**
 * Gateway process entry point: reads config, creates the logger, starts, and stops gracefully on
 * SIGTERM/SIGINT or when the parent that started it (npm start) is gone. Start-up failures print one line on stderr and exit 1.
 */
import pino from 'pino';
import { loadGatewayConfig } from './config';
import { createGateway } from './server';

// @apollo/gateway sends anonymous usage metrics to Apollo (an OTLP exporter created in its
// constructor) unless this variable is set, and has no constructor option for it. A gateway on an
// isolated government network must not phone home, and the failing export also delays shutdown.
// Set here, in the process entry point, because library code does not write the environment.
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

async function main(): Promise<void> {
  const config = loadGatewayConfig(process.env, process.argv.slice(2));
  const logger = pino({ level: config.logLevel, name: 'gateway' });
  const gateway = createGateway(config, { logger });
  const { url, links } = await gateway.start();
  if (process.send) {
    // Started by a parent (npm start): it prints the URLs it is told about.
    process.send({ type: 'listening', name: 'gateway', url });
  } else {
    console.log(`Gateway ready at ${url}`);
    for (const [label, link] of Object.entries(links)) console.log(`${label} at ${link}`);
  }

  let signalled = false;
  const shutdown = (signal: string) => {
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
  // Started by a parent that died (even by kill -9): the IPC channel closes; never outlive it.
  process.on('disconnect', () => shutdown('parent exited'));
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`gateway failed to start: ${message.split('\n')[0]}`);
  process.exit(1);
});

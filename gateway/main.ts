/**
 * Gateway process entry point: reads config, creates the logger, starts, and stops gracefully on
 * SIGTERM/SIGINT or when the parent that started it (npm start) is gone. Start-up failures print one line on stderr and exit 1.
 * With GATEWAY_WORKERS above 1 this process becomes the cluster's primary and each worker runs
 * the gateway (cluster.ts); a worker reports to the primary instead of to the parent.
 */
import pino from 'pino';
import { isWorker, runPrimary } from './cluster';
import type { WorkerMessage } from './cluster';
import { loadGatewayConfig } from './config';
import { defaultFeatures } from './features';
import { createGateway } from './server';

// @apollo/gateway sends anonymous usage metrics to Apollo (an OTLP exporter created in its
// constructor) unless this variable is set, and has no constructor option for it. A gateway on an
// isolated government network must not phone home, and the failing export also delays shutdown.
// Set here, in the process entry point, because library code does not write the environment.
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

function announce(url: string, links: Record<string, string>): void {
  if (process.send) {
    // Started by a parent (npm start): it prints the URLs it is told about.
    process.send({ type: 'listening', name: 'gateway', url });
  } else {
    console.log(`Gateway ready at ${url}`);
    for (const [label, link] of Object.entries(links)) console.log(`${label} at ${link}`);
  }
}

function failed(message: string): void {
  console.error(`gateway failed to start: ${message.split('\n')[0]}`);
}

async function main(): Promise<void> {
  // The one feature list, given to the configuration (their settings) and to the server (their parts).
  const features = defaultFeatures;
  const config = loadGatewayConfig(process.env, process.argv.slice(2), features);
  const logger = pino({ level: config.logLevel, name: 'gateway' });
  if (config.workers > 1 && !isWorker()) {
    runPrimary({
      workers: config.workers,
      logger,
      stopTimeoutMs: config.shutdownDelayMs + config.shutdownTimeoutMs + 5000,
      announce,
      fail: failed,
      supergraphAgreementMs: 3 * config.supergraph.pollIntervalMs,
      ...(config.metricsPort !== undefined && { metrics: { host: config.host, port: config.metricsPort } }),
    });
    return;
  }
  const gateway = createGateway(config, { logger, features });
  const { url, links } = await gateway.start();
  if (isWorker()) {
    // The primary compares the workers' supergraphs (cluster.ts); the first report precedes 'listening'.
    const report = (hash: string | undefined) =>
      hash && process.connected && process.send!({ type: 'supergraph', hash } satisfies WorkerMessage);
    report(gateway.supergraph.status().hash);
    gateway.supergraph.onReload(({ hash }) => report(hash));
    process.send!({ type: 'listening', name: 'gateway', url, links } satisfies WorkerMessage);
  } else announce(url, links);

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
  // A worker's reason is printed once, by the primary.
  if (isWorker())
    process.send!({ type: 'failed', message } satisfies WorkerMessage, undefined, {}, () => process.exit(1));
  else {
    failed(message);
    process.exit(1);
  }
});

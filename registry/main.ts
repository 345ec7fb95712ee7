/**
 * The registry process: `tsx registry/main.ts` with the settings of docs/registry.md "Configuration".
 * Stops cleanly on SIGTERM/SIGINT.
 */
import { createLogger } from '../kit/runtime/logger';
import { loadRegistryConfig, startRegistry } from './index';

async function main(): Promise<void> {
  let config;
  try {
    config = loadRegistryConfig(process.env);
  } catch (error) {
    console.error(`registry: ${(error as Error).message}`);
    process.exit(2);
  }
  const logger = createLogger('registry', config.logLevel);
  const registry = await startRegistry(config, logger);
  logger.info({ url: registry.url }, 'registry listening');
  const stop = () => {
    registry.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(`registry: cannot start: ${(error as Error).message}`);
  process.exit(1);
});

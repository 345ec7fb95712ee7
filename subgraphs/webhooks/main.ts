/**
 * The webhooks process: the subgraph (registration, listing, replay, delivery state), and beside it
 * the delivery worker when `WEBHOOKS_REDIS_URL` is set (delivery/start.ts; docs/webhooks.md), once the
 * subgraph listens and in the serving process only.
 */
import { createLogger, openDatabase, runSubgraphMain } from '../../kit';
import { deliverySettings } from './delivery/settings';
import { startDeliveryWorker } from './delivery/start';
import { webhooks } from './subgraph';

runSubgraphMain(webhooks, [{ name: 'delivery', start: startDelivery }]);

async function startDelivery(): Promise<void> {
  const settings = deliverySettings(process.env);
  const log = createLogger('webhooks-delivery', process.env.WEBHOOKS_LOG_LEVEL ?? 'info');
  if (!settings || !process.env.WEBHOOKS_DATABASE_URL) {
    log.info('WEBHOOKS_REDIS_URL is not set: no webhook is delivered');
    return;
  }
  // Its own small pool, without the request timeouts.
  const db = await openDatabase({ url: process.env.WEBHOOKS_DATABASE_URL, poolSize: 3 });
  const worker = await startDeliveryWorker(db, settings, log, {
    production: process.env.NODE_ENV === 'production',
  });
  const stop = () => void worker.stop().then(() => db.close());
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

import { runSubgraphMain } from '../../kit';
import { dossiers } from './subgraph';
import { startPortalSyncFromEnv } from './sync/start';

runSubgraphMain(dossiers);
startPortalSyncFromEnv(process.env).catch((err: Error) => {
  process.stderr.write(`dossiers: portal sync: ${err.message}\n`);
  process.exit(1);
});

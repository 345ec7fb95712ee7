import { runSubgraphMain } from '../../kit';
import { dossiers } from './subgraph';
import { startPortalSyncFromEnv } from './sync/start';

runSubgraphMain(dossiers, [{ name: 'portal sync', start: () => startPortalSyncFromEnv(process.env) }]);

import { runSubgraphMain } from '../../kit';
import { dossiers } from './subgraph';

runSubgraphMain(dossiers);

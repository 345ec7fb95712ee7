import { runSubgraphMain } from '../../kit/run';
import { dossiers } from './subgraph';

runSubgraphMain(dossiers);

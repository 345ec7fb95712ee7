import { runSubgraphMain } from '../../kit/run';
import { land } from './subgraph';

runSubgraphMain(land);

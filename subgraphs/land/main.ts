import { runSubgraphMain } from '../../kit';
import { land } from './subgraph';

runSubgraphMain(land);

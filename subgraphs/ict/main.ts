import { runSubgraphMain } from '../../kit';
import { ict } from './subgraph';

runSubgraphMain(ict);

import { runSubgraphMain } from '../../kit/run';
import { documents } from './subgraph';

runSubgraphMain(documents);

import { runSubgraphMain } from '../../kit';
import { documents } from './subgraph';

runSubgraphMain(documents);

import { runSubgraphMain } from '../../kit';
import { budgets } from './subgraph';

runSubgraphMain(budgets);

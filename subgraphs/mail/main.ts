import { runSubgraphMain } from '../../kit';
import { mail } from './subgraph';

runSubgraphMain(mail);

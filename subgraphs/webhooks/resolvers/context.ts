import type { RequestContext } from '../../../kit';
import type { Loaders } from '../loaders';

/** The request context of the webhooks subgraph's resolvers. */
export type Ctx = RequestContext<Loaders>;

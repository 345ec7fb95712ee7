/** Parent shapes of the budgets subgraph's resolvers that are not table rows. */
import type { Connection } from '../../../kit';
import type { BudgetLineRow } from './tables';

/** An agency as this subgraph knows it: by key only (the documents subgraph owns its fields). */
export interface AgencyRef {
  code: string;
}

export type BudgetLineConnectionValue = Connection<BudgetLineRow>;

/** The documents subgraph's own tables, each declared once (kit/table.ts). */
import { table, text } from '../../../kit/table';

/** How each catalogue agency numbers what it issues. */
export const agencyNumbering = table('agency_numbering', {
  agencyCode: text(),
  organSymbol: text(),
  numberingPolicy: text<'SHARED' | 'PER_TYPE'>().generated(),
});

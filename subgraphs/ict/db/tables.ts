/** The ICT subgraph's tables, each declared once (kit/runtime/table.ts): select lists, bulk inserts and row types. */
import { boolean, date, int, table, text } from '../../../kit';

/** One agency's ICT inventory on one date. */
export const ictInventories = table('ict_inventories', {
  agencyCode: text(),
  takenOn: date(),
  officials: int(),
  officialsWithComputer: int(),
  computers: int(),
  connectedComputers: int(),
  lan: boolean(),
});

/** How agencies number what they issue (documents' own agency_numbering next to the catalogue). */
import { agencies } from '../../../kit';
import type { Queryable } from '../../../kit';
import type { AgencyNumberingRow } from './rows';
import { agencyNumbering } from './tables';

/** The catalogue agencies with how each numbers what it issues (documents' agency_numbering). */
export const agenciesForNumbering = (
  db: Queryable,
  codes: readonly string[],
): Promise<AgencyNumberingRow[]> =>
  db.query<AgencyNumberingRow>(
    `SELECT ${agencies.select('a')}, ${agencyNumbering.select('n')}
     FROM agencies a JOIN agency_numbering n ON n.agency_code = a.code WHERE a.code = ANY($1::text[])`,
    [codes],
  );

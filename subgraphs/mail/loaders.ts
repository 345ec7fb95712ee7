/** Per-request DataLoaders of the mail subgraph: every list and reference field is batched. */
import { createCatalogueLoaders, manyBy, manyByOn, oneBy, oneByOn } from '../../kit';
import type { Database } from '../../kit';
import * as reads from './db/reads';
import { mailStats } from './db/stats';
import type { MailStatsQuery } from './db/stats';

export function createLoaders(db: Database) {
  return {
    /** The catalogue's agencies (siblings for the scorecard's ranks). */
    catalogue: createCatalogueLoaders(db),
    official: oneBy(
      (ids: readonly string[]) => reads.officialsByIds(db, ids),
      (o) => o.id,
    ),
    mailbox: oneBy(
      (addresses: readonly string[]) => reads.mailboxesByAddresses(db, addresses),
      (m) => m.address,
    ),
    mailboxOfOfficial: oneBy(
      (ids: readonly string[]) => reads.mailboxesByOfficials(db, ids),
      (m) => m.officialId,
    ),
    /** The latest logins of many mailboxes: one query per distinct count and day. */
    logins: manyByOn(
      (addresses, q: reads.LoginQuery) => reads.loginsOf(db, addresses, q),
      (l) => l.address,
    ),
    recipients: manyBy(
      (ids: readonly number[]) => reads.recipientsOf(db, ids),
      (r) => r.messageId,
    ),
    attachments: manyBy(
      (ids: readonly number[]) => reads.attachmentsOf(db, ids),
      (t) => t.messageId,
    ),
    /** The same page of officials of many agencies: one query per distinct page. */
    agencyOfficials: manyByOn(
      (codes, page: { after: number | null; limit: number }) => reads.officialsOfAgencies(db, codes, page),
      (o) => o.agencyCode,
    ),
    agencyOfficialCount: oneBy(
      (codes: readonly string[]) => reads.countOfficialsOfAgencies(db, codes),
      (c) => c.agencyCode,
    ),
    /** E-mail figures of many agencies: one query per distinct (period, window, scope). */
    mailStats: oneByOn(
      (codes, q: MailStatsQuery) => mailStats(db, codes, q),
      (s) => s.agencyCode,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

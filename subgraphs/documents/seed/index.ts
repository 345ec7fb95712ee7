/**
 * Deterministic seed of the documents subgraph (seeded PRNG; same scale, same data).
 *
 * The shared reference catalogue (kit/reference/catalogue: administrative units, the 2025 crosswalk, agencies) is
 * loaded as is, with each agency's numbering (organ symbol). Documents are generated per agency and year
 * while the agency exists (outgoing.ts): outgoing documents numbered from 1 each year, and for each
 * catalogued recipient an incoming copy in the recipient's register (incoming.ts). How many and how
 * electronic is volumes.ts; published figures of the seed reports come out of documentStats exactly —
 * e.g. Bắc Từ Liêm 2014: 90% of outgoing documents exchanged electronically (secret documents excluded);
 * Ba Bể, first nine months of 2018: 100% electronic, 93% more sent electronically than in those of 2017.
 *
 * Scale: `scale` multiplies document counts (1 ≈ 18,000 documents; tests use ~0.05; benchmarks 10–100).
 */
import { AGENCIES, bulkLoad, insertRows, referenceCatalogue } from '../../../kit';
import { Prng } from '../../../kit/synthetic';
import type { AgencySeed, CatalogueSeedResult, Database, Queryable } from '../../../kit';
import { agencyNumbering, documentRecipients, documents, processingAssignments } from '../db/tables';
import { FIRST_YEAR, LAST_YEAR, spanInYear } from './calendar';
import { outgoingRegister } from './outgoing';
import type { Correspondents } from './outgoing';
import { SeedRows } from './rows';
import { organSymbol } from './vocabulary';
import { publishedRegister } from './published';
import { agencyProfile, publishedParts, yearPlan } from './volumes';

export { SEED_NOW } from './calendar';
export { PUBLISHED_ELECTRONIC_RATIOS, PUBLISHED_PARTS } from './volumes';

export interface SeedResult {
  /** What the shared catalogue seed wrote (null when the catalogue was already there). */
  catalogue: CatalogueSeedResult | null;
  agencies: number;
  documents: number;
}

/** Seeds an empty database in one transaction; returns null when data is already there. */
export async function seed(db: Database, scale: number): Promise<SeedResult | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM agency_numbering');
    if (row!.n > 0) return null;
    const catalogue = await referenceCatalogue.seed(tx);
    await insertRows(
      tx,
      agencyNumbering,
      AGENCIES.map((a) => ({ agencyCode: a.code, organSymbol: organSymbol(a) })),
    );
    const count = await seedDocuments(tx, scale);
    return { catalogue, agencies: AGENCIES.length, documents: count };
  });
}

function correspondents(): Correspondents {
  const byCode = new Map(AGENCIES.map((a) => [a.code, a]));
  const children = new Map<string, AgencySeed[]>();
  for (const a of AGENCIES)
    if (a.parentCode) children.set(a.parentCode, [...(children.get(a.parentCode) ?? []), a]);
  return {
    parentOf: (a) => (a.parentCode ? byCode.get(a.parentCode)! : null),
    childrenOf: (a) => children.get(a.code) ?? [],
  };
}

/** Documents gathered before they are written: memory stays flat whatever the scale. */
const BATCH = 20_000;

async function seedDocuments(tx: Queryable, scale: number): Promise<number> {
  const rng = new Prng(20140401);
  const people = correspondents();
  const rows = new SeedRows();
  let count = 0;
  const flush = async (): Promise<void> => {
    const batch = rows.take();
    count += batch.documents.length;
    await insertRows(tx, documents, batch.documents);
    await insertRows(tx, documentRecipients, batch.recipients);
    await insertRows(tx, processingAssignments, batch.assignments);
  };
  // A partition per year the seed writes (the migration made this year's and the next): none in the
  // default. Nothing at a schema from before the table was partitioned (the conversion test seeds one).
  await tx.query(
    `SELECT year_partitions_create(table_name, $1, $2) FROM year_partitioned_tables WHERE table_name = 'documents'`,
    [FIRST_YEAR, LAST_YEAR + 1],
  );
  await bulkLoad(
    tx,
    [documents.name, 'document_keys', documentRecipients.name, processingAssignments.name],
    async () => {
      for (const agency of AGENCIES) {
        const profile = agencyProfile(agency);
        for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
          const span = spanInYear(agency, year);
          if (!span) continue;
          const plan = yearPlan(agency, profile, year, span.days, scale, rng);
          const register = { agency, year, start: span.start, days: span.days, plan };
          const parts = publishedParts(agency, year, span, plan);
          if (parts) publishedRegister(rows, rng, people, register, parts);
          else outgoingRegister(rows, rng, people, register);
          if (rows.documents.length >= BATCH) await flush();
        }
      }
      await flush();
    },
  );
  await tx.exec(`
    SELECT setval('documents_id_seq', (SELECT max(id) FROM documents));
    INSERT INTO number_sequences (agency_code, year, register, last_number)
      SELECT agency_code, year, 'ALL', max(number) FROM documents WHERE direction = 'OUTGOING' GROUP BY agency_code, year;
    INSERT INTO number_sequences (agency_code, year, register, last_number)
      SELECT agency_code, arrival_year, 'DEN', max(arrival_number) FROM documents WHERE direction = 'INCOMING'
      GROUP BY agency_code, arrival_year;
    -- Fresh statistics, so the planner sees the bulk-loaded sizes (e.g. uses the search index).
    ANALYZE agency_numbering, documents, document_recipients, processing_assignments;
  `);
  return count;
}

/**
 * The org_root step of the national case (docs/citus.md "Status") on budgets: a database at the schema
 * before it, seeded and written to through the graph, is migrated by the real migrations. Every line and
 * entry is kept (count and checksum, less the new column), every row's org_root is filled and is the
 * province (the top of the agency tree) of the budget unit, the keys and foreign keys include it (read
 * from pg_constraint), the subgraph answers the same, and new entries — which do not name the column —
 * get it from the trigger; a wrong one is refused.
 */
import { callers, startTestSubgraph } from '../kit/testing';
import type { TestSubgraph } from '../kit/testing';
import { budgets } from '../subgraphs/budgets/subgraph';
import { LAP_THACH } from '../subgraphs/budgets/test/support/fixtures';
import { keys, oldDatabase, orgRoots } from './support/orgRoot';
import { fingerprint } from './support/schemaHistory';

const TABLES = ['budget_lines', 'budget_entries'];
const CHECKS = {
  budget_lines: { agency: 't.agency_code' },
  budget_entries: { agency: 'l.agency_code', from: 'JOIN budget_lines l ON l.id = t.line_id' },
};
const EXECUTE = `mutation($i: RecordBudgetExecutionInput!) { recordBudgetExecution(input: $i) { id executed } }`;
const BUDGET = `{ _entities(representations: [{ __typename: "Agency", code: "${LAP_THACH}" }]) {
  ... on Agency { budget(year: 2024) { expenditure { currentEstimate executed } } } } }`;

let sub: TestSubgraph;
afterAll(async () => {
  await sub?.close();
});

test('budgets: every line and entry kept and given its province; keys include org_root; new entries fill it', async () => {
  const official = callers.official(LAP_THACH);
  let lineId = '';
  let executed = '';
  const old = await oldDatabase(budgets, async (s) => {
    const [line] = await s.adminDb.query<{ id: string }>(
      `SELECT id::text FROM budget_lines WHERE agency_code = $1 AND fiscal_year = 2024 AND direction = 'CHI'
        ORDER BY id LIMIT 1`,
      [LAP_THACH],
    );
    lineId = line!.id;
    const r = await s.gql(EXECUTE, { i: { lineId, amount: '2750000', date: '2024-06-30' } }, official);
    expect(r.errors).toBeUndefined();
    executed = r.data!.recordBudgetExecution.executed as string;
  });
  const rows = await fingerprint(old.sub.adminDb, TABLES);
  for (const t of TABLES) expect(rows[t]).not.toMatch(/^0 rows/);
  const budget = await old.sub.gql(BUDGET, {}, callers.analyst);
  expect(budget.errors).toBeUndefined();
  await old.sub.close();

  sub = await startTestSubgraph(budgets, { db: old.db, scale: 0 });
  const db = sub.adminDb;
  expect(await fingerprint(db, TABLES, ['org_root'])).toEqual(rows);
  const filled = await orgRoots(db, CHECKS);
  for (const t of TABLES) {
    expect([t, filled[t]!.rows]).toEqual([t, Number(rows[t]!.split(' ')[0])]);
    expect([t, filled[t]!.missing, filled[t]!.wrong]).toEqual([t, 0, 0]);
  }
  const roots = await db.query(`SELECT DISTINCT org_root FROM budget_lines ORDER BY 1`);
  expect(roots.length).toBeGreaterThan(1);
  expect(await keys(db, TABLES)).toEqual([
    'budget_entries budget_entries_line_id_fkey: FOREIGN KEY (line_id, org_root) REFERENCES budget_lines(id, org_root)',
    'budget_entries budget_entries_pkey: PRIMARY KEY (id, org_root)',
    'budget_lines budget_lines_agency_code_fiscal_year_direction_chapter_type_key: UNIQUE (agency_code, fiscal_year, direction, chapter, type_code, clause_code, subsection_code, org_root)',
    'budget_lines budget_lines_agency_code_fkey: FOREIGN KEY (agency_code) REFERENCES agencies(code)',
    'budget_lines budget_lines_pkey: PRIMARY KEY (id, org_root)',
  ]);

  // The same totals; a new entry on the same line goes on from it and gets the line's province.
  expect(await sub.gql(BUDGET, {}, callers.analyst)).toEqual(budget);
  const r = await sub.gql(EXECUTE, { i: { lineId, amount: '1000000', date: '2024-07-31' } }, official);
  expect(r).toEqual({
    data: { recordBudgetExecution: { id: lineId, executed: String(BigInt(executed) + 1_000_000n) } },
  });
  expect(
    await db.query(
      `SELECT kind, amount::text, org_root FROM budget_entries WHERE line_id = $1 ORDER BY id DESC LIMIT 1`,
      [lineId],
    ),
  ).toEqual([{ kind: 'THUC_HIEN', amount: '1000000', org_root: 'H62' }]);

  // Below the application: a line of another province than its unit's is refused; an entry of no line
  // is still a foreign-key violation (23503).
  await expect(db.query(`UPDATE budget_lines SET org_root = 'H26' WHERE id = $1`, [lineId])).rejects.toThrow(
    /budget_lines_org_root|budget_entries_line_id_fkey/,
  );
  await expect(
    db.query(
      `INSERT INTO budget_entries (line_id, kind, amount, entry_date) VALUES (-1, 'THUC_HIEN', 1, '2024-01-01')`,
    ),
  ).rejects.toMatchObject({ code: '23503', message: expect.stringMatching(/budget_entries_line_id_fkey/) });
}, 300_000);

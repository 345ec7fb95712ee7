import { bigint, boolean, date, insertRows, int, table, text, timestamptz } from '../runtime/table';
import type { InsertOf, RowOf } from '../runtime/table';
import type { Queryable } from '../runtime/db';

const things = table('things', {
  id: bigint().generated(),
  kind: text<'A' | 'B'>(),
  parentCode: text().nullable(),
  validFrom: date(),
  count: int(),
  done: boolean(),
  at: timestamptz().nullable(),
  searchKey: text().writeOnly(),
  legacy: text().as('old_name'),
});

test('the select list aliases every selected column to its camelCase name', () => {
  expect(things.select('t')).toBe(
    't.id AS "id", t.kind AS "kind", t.parent_code AS "parentCode", t.valid_from AS "validFrom", ' +
      't.count AS "count", t.done AS "done", t.at AS "at", t.old_name AS "legacy"',
  );
  expect(things.select()).toMatch(/^id AS "id", kind AS "kind"/);
  expect(things.sql('parentCode')).toBe('parent_code');
});

test('row types are inferred from the declaration', () => {
  const row: RowOf<typeof things> = {
    id: 1,
    kind: 'A',
    parentCode: null,
    validFrom: '2020-01-01',
    count: 2,
    done: true,
    at: null,
    legacy: 'x',
  };
  // @ts-expect-error write-only columns are not part of the row type
  expect(row.searchKey).toBeUndefined();
  const insert: InsertOf<typeof things> = {
    kind: 'B',
    validFrom: '2020-01-01',
    count: 1,
    done: false,
    searchKey: 'k',
    legacy: 'y',
  };
  expect(insert.kind).toBe('B');
});

test('bulk insert: one unnest statement per chunk, one array per column, generated columns left out', async () => {
  const calls: { sql: string; params: readonly unknown[] }[] = [];
  const db: Queryable = {
    query: async <T>(sql: string, params: readonly unknown[] = []) => {
      calls.push({ sql, params });
      return [] as T[];
    },
    exec: async () => undefined,
  };
  const rows = [1, 2, 3].map((n) => ({
    kind: 'A' as const,
    validFrom: `2020-01-0${n}`,
    count: n,
    done: n === 2,
    searchKey: `k${n}`,
    legacy: 'l',
    ...(n === 3 ? { parentCode: 'P' } : {}),
  }));
  await insertRows(db, things, rows, 2);
  expect(calls).toHaveLength(2);
  expect(calls[0]!.sql).toBe(
    'INSERT INTO things (kind, parent_code, valid_from, count, done, at, search_key, old_name) SELECT * FROM ' +
      'unnest($1::text[], $2::text[], $3::date[], $4::int[], $5::boolean[], $6::timestamptz[], $7::text[], $8::text[])',
  );
  expect(calls[0]!.params).toEqual([
    ['A', 'A'],
    [null, null],
    ['2020-01-01', '2020-01-02'],
    [1, 2],
    [false, true],
    [null, null],
    ['k1', 'k2'],
    ['l', 'l'],
  ]);
  expect(calls[1]!.params[1]).toEqual(['P']);
  await insertRows(db, things, []);
  expect(calls).toHaveLength(2);
  // A generated column given by the first row is written.
  await insertRows(db, things, [{ ...rows[0]!, id: 7 }]);
  expect(calls[2]!.sql).toMatch(/^INSERT INTO things \(id, kind,/);
});

import { GraphQLError } from 'graphql';
import { ConfigError, loadSubgraphConfig } from '../config';
import { alignMany, alignOne, groupedLoader } from '../loaders';
import { decodeCursor, encodeCursor, pageWindow, toConnection } from '../pagination';
import { Prng } from '../prng';
import { DateScalar, parseIntId } from '../scalars';

const isNum = (v: unknown): v is number => typeof v === 'number';
const codeOf = (e: unknown) => (e as GraphQLError).extensions?.code;

describe('config', () => {
  const defaults = { port: 4101, root: '/srv/govgraph' };
  test('defaults', () => {
    const c = loadSubgraphConfig('documents', {}, defaults);
    expect(c).toMatchObject({
      port: 4101,
      host: '127.0.0.1',
      databaseUrl: null,
      dataDir: '/srv/govgraph/data/documents',
      seed: true,
    });
    expect(Object.isFrozen(c)).toBe(true);
  });
  test.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ SEED: 'maybe' }, 'SEED'],
    [{ SEED_SCALE: '-1' }, 'SEED_SCALE'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  ])('%j fails naming %s', (env, setting) => {
    expect(() => loadSubgraphConfig('documents', env, defaults)).toThrow(ConfigError);
    expect(() => loadSubgraphConfig('documents', env, defaults)).toThrow(setting);
  });
  test(':memory: keeps the embedded database in memory', () => {
    expect(loadSubgraphConfig('documents', { DATA_DIR: ':memory:' }, defaults).dataDir).toBeNull();
  });
});

describe('pagination', () => {
  test('cursors round-trip and garbage is BAD_USER_INPUT naming the argument', () => {
    expect(decodeCursor(encodeCursor(42), isNum)).toBe(42);
    expect(() => decodeCursor('not-a-cursor', isNum)).toThrow(/after/);
    try {
      decodeCursor(encodeCursor('text'), isNum);
    } catch (e) {
      expect(codeOf(e)).toBe('BAD_USER_INPUT');
    }
  });
  test('page size is capped', () => {
    expect(() => pageWindow({ first: 101 }, 100, isNum)).toThrow(/at most 100/);
    expect(() => pageWindow({ first: -1 }, 100, isNum)).toThrow(/first/);
    expect(pageWindow({}, 100, isNum)).toEqual({ size: 20, fetch: 21, after: null });
  });
  test('a connection fetches one extra row to know about the next page', () => {
    const w = pageWindow({ first: 2 }, 100, isNum);
    const c = toConnection([1, 2, 3], w, (n) => n);
    expect(c.nodes).toEqual([1, 2]);
    expect(c.pageInfo.hasNextPage).toBe(true);
    expect(decodeCursor(c.pageInfo.endCursor!, isNum)).toBe(2);
    expect(toConnection([1], w, (n) => n).pageInfo).toEqual({
      hasNextPage: false,
      endCursor: c.edges[0]!.cursor,
    });
  });
});

describe('loaders', () => {
  test('align rows to keys', () => {
    expect(alignOne([3, 1, 2], [{ id: 1 }, { id: 3 }], (r) => r.id)).toEqual([{ id: 3 }, { id: 1 }, null]);
    expect(
      alignMany(
        ['a', 'b'],
        [
          { k: 'a', v: 1 },
          { k: 'a', v: 2 },
        ],
        (r) => r.k,
      ),
    ).toEqual([
      [
        { k: 'a', v: 1 },
        { k: 'a', v: 2 },
      ],
      [],
    ]);
  });
  test('grouped loader makes one batch call per distinct argument group', async () => {
    const calls: string[][] = [];
    const l = groupedLoader(
      (k: { code: string; year: number }) => String(k.year),
      (k) => k.code,
      async (keys) => {
        calls.push(keys.map((k) => `${k.code}:${k.year}`));
        return keys.map((k) => `${k.code}/${k.year}`);
      },
    );
    const out = await Promise.all([
      l.load({ code: 'a', year: 2014 }),
      l.load({ code: 'b', year: 2014 }),
      l.load({ code: 'a', year: 2017 }),
      l.load({ code: 'a', year: 2014 }),
    ]);
    expect(out).toEqual(['a/2014', 'b/2014', 'a/2017', 'a/2014']);
    expect(calls.sort()).toEqual([['a:2014', 'b:2014'], ['a:2017']]);
  });
});

describe('scalars and ids', () => {
  test('Date rejects impossible dates with BAD_USER_INPUT', () => {
    expect(DateScalar.parseValue('2024-02-29')).toBe('2024-02-29');
    for (const bad of ['2023-02-29', '2024-13-01', '24-01-01', 20240101]) {
      expect(() => DateScalar.parseValue(bad)).toThrow(GraphQLError);
    }
  });
  test('ids must be positive integers', () => {
    expect(parseIntId('15', 'id')).toBe(15);
    for (const bad of ['0', '-1', 'abc', '1e3', '99999999999999999'])
      expect(() => parseIntId(bad, 'id')).toThrow(/id/);
  });
});

test('the PRNG is deterministic', () => {
  const a = new Prng(7);
  const b = new Prng(7);
  const seq = Array.from({ length: 5 }, () => a.int(1, 1000));
  expect(Array.from({ length: 5 }, () => b.int(1, 1000))).toEqual(seq);
  expect(new Set(seq).size).toBeGreaterThan(1);
});

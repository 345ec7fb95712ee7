import { GraphQLError } from 'graphql';
import { ConfigError, loadSubgraphConfig } from '../config';
import { alignMany, alignOne, groupedLoader } from '../loaders';
import { decodeCursor, encodeCursor, pageWindow, toConnection } from '../pagination';
import { Prng } from '../prng';
import { DateScalar, DateTimeScalar, parseIntId } from '../scalars';
import { InvalidValueError } from '../errors';

const isNum = (v: unknown): v is number => typeof v === 'number';
const codeOf = (e: unknown) => (e as GraphQLError).extensions?.code;
/** What `fn` throws, or undefined when it returns. */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('config', () => {
  const defaults = { port: 4101 };
  const URL = 'postgres://postgres@127.0.0.1:5432/documents';
  test('settings carry the subgraph prefix; defaults apply to unset ones', () => {
    const c = loadSubgraphConfig('documents', { DOCUMENTS_DATABASE_URL: URL }, defaults);
    expect(c).toEqual({
      name: 'documents',
      port: 4101,
      host: '127.0.0.1',
      databaseUrl: URL,
      poolSize: 10,
      poolMaxWaiting: 100,
      poolAcquireTimeoutMs: 5000,
      shutdownTimeoutMs: 10_000,
      statementTimeoutMs: 15_000,
      transactionTimeoutMs: 30_000,
      seed: true,
      seedScale: 1,
      logLevel: 'info',
      maxPageSize: 100,
    });
    expect(Object.isFrozen(c)).toBe(true);
  });
  test.each([
    [{ DOCUMENTS_PORT: 'eighty' }, /^DOCUMENTS_PORT: must be a port number 0-65535, got "eighty"$/],
    [{ DOCUMENTS_PORT: '70000' }, /^DOCUMENTS_PORT: must be a port number 0-65535, got "70000"$/],
    [{ DOCUMENTS_DATABASE_URL: 'mysql://x' }, /^DOCUMENTS_DATABASE_URL: must be a postgres:\/\/ URL/],
    [{ DOCUMENTS_SEED: 'maybe' }, /^DOCUMENTS_SEED: must be true or false, got "maybe"$/],
    [{ DOCUMENTS_SEED_SCALE: '-1' }, /^DOCUMENTS_SEED_SCALE: must be a number in \(0, 1000\]/],
    [{ DOCUMENTS_LOG_LEVEL: 'loud' }, /^DOCUMENTS_LOG_LEVEL: must be one of fatal, error/],
    [{ DOCUMENTS_DB_POOL_SIZE: '0' }, /^DOCUMENTS_DB_POOL_SIZE: must be an integer from 1 to 500/],
    [
      { DOCUMENTS_DB_POOL_ACQUIRE_TIMEOUT_MS: '0' },
      /^DOCUMENTS_DB_POOL_ACQUIRE_TIMEOUT_MS: must be an integer from 1/,
    ],
    [{ DOCUMENTS_SHUTDOWN_TIMEOUT_MS: '10s' }, /^DOCUMENTS_SHUTDOWN_TIMEOUT_MS: must be an integer from 0/],
    [
      { DOCUMENTS_MIGRATION_DATABASE_URL: 'x' },
      /^DOCUMENTS_MIGRATION_DATABASE_URL: must be a postgres:\/\/ URL/,
    ],
    [{ DOCUMENTS_STATEMENT_TIMEOUT_MS: '15s' }, /^DOCUMENTS_STATEMENT_TIMEOUT_MS: must be an integer from 0/],
    [
      { DOCUMENTS_TRANSACTION_TIMEOUT_MS: '-1' },
      /^DOCUMENTS_TRANSACTION_TIMEOUT_MS: must be an integer from 0/,
    ],
    // A misspelt name is an error, not a silent fallback to a default database.
    [{ DOCUMENTS_DATABSE_URL: URL }, /^DOCUMENTS_DATABSE_URL: unknown setting/],
  ])('%j fails naming the setting', (env, message) => {
    expect(() => loadSubgraphConfig('documents', { DOCUMENTS_DATABASE_URL: URL, ...env }, defaults)).toThrow(
      ConfigError,
    );
    expect(() => loadSubgraphConfig('documents', { DOCUMENTS_DATABASE_URL: URL, ...env }, defaults)).toThrow(
      message,
    );
  });
  test('the database URL is required: no silent embedded fallback', () => {
    expect(() => loadSubgraphConfig('documents', {}, defaults)).toThrow(
      /^DOCUMENTS_DATABASE_URL: is required$/,
    );
  });
  test('migrations may run as another role than requests, and both timeouts are configurable', () => {
    const owner = 'postgres://owner:pw@127.0.0.1:5432/documents';
    const c = loadSubgraphConfig(
      'documents',
      {
        DOCUMENTS_DATABASE_URL: URL,
        DOCUMENTS_MIGRATION_DATABASE_URL: owner,
        DOCUMENTS_STATEMENT_TIMEOUT_MS: '500',
        DOCUMENTS_TRANSACTION_TIMEOUT_MS: '0',
      },
      defaults,
    );
    expect([c.databaseUrl, c.migrationDatabaseUrl, c.statementTimeoutMs, c.transactionTimeoutMs]).toEqual([
      URL,
      owner,
      500,
      0,
    ]);
  });
  test('log levels are case-insensitive (LOG_LEVEL=DEBUG works everywhere)', () => {
    const c = loadSubgraphConfig(
      'documents',
      { DOCUMENTS_DATABASE_URL: URL, DOCUMENTS_LOG_LEVEL: 'DEBUG' },
      defaults,
    );
    expect(c.logLevel).toBe('debug');
  });
  test("other processes' settings are none of its business", () => {
    const c = loadSubgraphConfig(
      'documents',
      {
        DOCUMENTS_DATABASE_URL: URL,
        LAND_PORT: 'x',
        GATEWAY_PORT: '4000',
        SUBGRAPH_URL_DOCUMENTS: 'http://x',
      },
      defaults,
    );
    expect(c.port).toBe(4101);
  });
  test('in production nothing is seeded unless asked for explicitly', () => {
    const prod = { NODE_ENV: 'production', DOCUMENTS_DATABASE_URL: URL };
    expect(loadSubgraphConfig('documents', prod, defaults).seed).toBe(false);
    expect(loadSubgraphConfig('documents', { ...prod, DOCUMENTS_SEED: 'true' }, defaults).seed).toBe(true);
  });
});

describe('pagination', () => {
  test('cursors round-trip and garbage is BAD_USER_INPUT naming the argument', () => {
    expect(decodeCursor(encodeCursor(42), isNum)).toBe(42);
    expect(() => decodeCursor('not-a-cursor', isNum)).toThrow(/after/);
    const thrown = thrownBy(() => decodeCursor(encodeCursor('text'), isNum));
    expect(thrown).toBeInstanceOf(GraphQLError); // fails when nothing is thrown
    expect(codeOf(thrown)).toBe('BAD_USER_INPUT');
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
  test('Date refuses impossible dates with the real reason, never rolling them over', () => {
    expect(DateScalar.parseValue('2024-02-29')).toBe('2024-02-29');
    const reasons: [unknown, string][] = [
      ['2023-02-29', '"2023-02-29" is not a calendar date (February 2023 has 28 days)'],
      ['2024-04-31', '"2024-04-31" is not a calendar date (April 2024 has 30 days)'],
      ['2024-13-01', '"2024-13-01" is not a calendar date (there is no month 13)'],
      ['0000-01-01', 'year 0 is outside 1900–2100'],
      ['10000-01-01', 'expected a date written YYYY-MM-DD, got "10000-01-01"'],
      ['24-01-01', 'expected a date written YYYY-MM-DD, got "24-01-01"'],
      [20240101, 'expected a date written YYYY-MM-DD, got 20240101'],
    ];
    for (const [bad, reason] of reasons) {
      expect(() => DateScalar.parseValue(bad)).toThrow(new InvalidValueError(reason));
    }
  });
  test('DateTime refuses impossible instants instead of normalising them (2026-02-30T03:00Z is not 2 March)', () => {
    expect(DateTimeScalar.parseValue('2024-02-29T23:30+07:00')).toBe('2024-02-29T16:30:00.000Z');
    const reasons: [unknown, string][] = [
      ['2026-02-30T03:00Z', '"2026-02-30" is not a calendar date (February 2026 has 28 days)'],
      [
        '2024-01-01T24:00Z',
        '"2024-01-01T24:00Z" is not a time of day (hours 00–23, minutes and seconds 00–59)',
      ],
      ['2024-01-01T10:00+15:00', '"2024-01-01T10:00+15:00" has no such UTC offset (at most ±14:00)'],
      ['1899-12-31T23:00Z', 'year 1899 is outside 1900–2100'],
      [
        '2024-01-01T10:00',
        'expected an ISO-8601 instant with a time zone like 2024-03-14T08:30:00+07:00, got "2024-01-01T10:00"',
      ],
    ];
    for (const [bad, reason] of reasons) {
      expect(() => DateTimeScalar.parseValue(bad)).toThrow(new InvalidValueError(reason));
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

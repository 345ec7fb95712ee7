/**
 * One small database interface over embedded PGlite (default) and a PostgreSQL server (`pg`, when a
 * URL is configured). The same SQL runs on both. Column types are parsed the same way on both:
 * int8/numeric → number, date → 'YYYY-MM-DD' string, timestamps → ISO-8601 string.
 *
 * `roundTrips` counts statements sent to the database, so tests can prove batching (no N+1).
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Pool, types as pgTypes } from 'pg';

export type Row = Record<string, unknown>;

export interface Queryable {
  /** One statement with `$1…` parameters. */
  query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Several statements, no parameters (migrations, seed bulk loads). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Statements sent so far (queries + execs, inside transactions too). */
  readonly roundTrips: number;
}

export interface DatabaseOptions {
  /** postgres://… — use a PostgreSQL server. */
  url?: string;
  /** Directory for embedded PGlite data; omitted = in memory. Ignored when `url` is set. */
  dataDir?: string;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
  /** Session time zone: `::date` casts and `now()` dates follow it. Default Asia/Ho_Chi_Minh. */
  timeZone?: string;
}

const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const OID = { INT8: 20, NUMERIC: 1700, DATE: 1082, TIMESTAMP: 1114, TIMESTAMPTZ: 1184 } as const;
const toNumber = (v: string): number => Number(v);
const toIso = (v: string): string =>
  new Date(v.includes('T') || /[+-]\d\d(:\d\d)?$/.test(v) ? v : `${v}Z`).toISOString();
const identity = (v: string): string => v;
const PARSERS: Record<number, (v: string) => unknown> = {
  [OID.INT8]: toNumber,
  [OID.NUMERIC]: toNumber,
  [OID.DATE]: identity,
  [OID.TIMESTAMP]: toIso,
  [OID.TIMESTAMPTZ]: toIso,
};

export async function openDatabase(opts: DatabaseOptions = {}): Promise<Database> {
  const timeZone = opts.timeZone ?? DEFAULT_TIME_ZONE;
  if (!/^[A-Za-z_]+(\/[A-Za-z_+-]+)*$/.test(timeZone)) throw new Error(`invalid time zone "${timeZone}"`);
  return opts.url
    ? openPostgres(opts.url, opts.poolSize ?? 10, timeZone)
    : openPglite(opts.dataDir, timeZone);
}

async function openPglite(dataDir: string | undefined, timeZone: string): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pg = await PGlite.create(dataDir, { parsers: PARSERS });
  await pg.exec(`SET TIME ZONE '${timeZone}'`); // one embedded connection: set once
  let trips = 0;
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<T>(sql: string, params: readonly unknown[] = []) {
      trips++;
      return (await q.query<T>(sql, params as unknown[])).rows;
    },
    async exec(sql: string) {
      trips++;
      await q.exec(sql);
    },
  });
  const root = wrap(pg);
  return {
    kind: 'pglite',
    ...root,
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    close: () => pg.close(),
    get roundTrips() {
      return trips;
    },
  };
}

async function openPostgres(url: string, max: number, timeZone: string): Promise<Database> {
  const parse = (oid: number, format?: string): ((v: string) => unknown) =>
    PARSERS[oid] ?? (pgTypes.getTypeParser(oid, format as 'text') as (v: string) => unknown);
  const pool = new Pool({
    connectionString: url,
    max,
    types: { getTypeParser: parse as never },
    options: `-c TimeZone=${timeZone}`, // every pooled connection
  });
  pool.on('error', () => undefined); // idle client errors surface on the next query instead
  let trips = 0;
  type Client = Pick<Pool, 'query'>;
  const wrap = (c: Client): Queryable => ({
    async query<T>(sql: string, params: readonly unknown[] = []) {
      trips++;
      return (await c.query(sql, params as unknown[])).rows as T[];
    },
    async exec(sql: string) {
      trips++;
      await c.query(sql);
    },
  });
  await pool.query('select 1'); // fail fast on a bad URL
  return {
    kind: 'postgres',
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        trips++;
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        trips++;
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
    get roundTrips() {
      return trips;
    },
  };
}

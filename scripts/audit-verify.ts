/**
 * `npm run audit:verify`: verifies the audit log hash chain of every registered subgraph's database
 * (kit/runtime/auditlog/chain.ts — recomputed here, nothing the database computes is trusted) and prints the
 * entries and head of each.
 *
 * Where the databases are: `<NAME>_DATABASE_URL` when set (production, or any server by URL);
 * otherwise the database `npm start` made on its embedded server in `<GOVGRAPH_DATA_DIR>/postgres`
 * (default `data/`) — the running server when `npm start` is up, else the server is started for the
 * check and stopped after. With `REGISTRY_DATABASE_URL` set, the schema registry's log is verified too
 * (as `registry`).
 *
 *   --anchor <file>   JSON of heads recorded by an earlier run ({ "<subgraph>": { seq, hash } }): each
 *                     must still be in its log with the same hash (a truncated or rewritten log fails);
 *                     when every chain verifies, the file is updated to the new heads. Keep it where
 *                     the database's administrators cannot write (docs/security.md "Audit log").
 *
 * Exit 0: every chain verifies. 1: a chain is broken (the first broken entry is named). 2: a log
 * could not be read (no database, not migrated yet, server down) or bad arguments.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { envPrefix } from '../common/env';
import { verifyChain } from '../kit/runtime/auditlog';
import type { ChainAnchor, ChainReport } from '../kit/runtime/auditlog';
import { openDatabase, redactUrl } from '../kit/runtime/db';
import {
  embeddedAdminUrl,
  embeddedDatabaseName,
  runningServerPort,
  startEmbeddedPostgres,
} from '../kit/embedded-postgres';
import type { EmbeddedPostgres } from '../kit/embedded-postgres';
import { loadRegistry, ROOT } from '../schema/registry';

type Anchors = Record<string, ChainAnchor>;

export interface SubgraphCheck {
  name: string;
  url: string;
  report?: ChainReport;
  /** Why the log could not be read. */
  error?: string;
}

function parseArgs(argv: readonly string[]): { anchor: string | null } {
  let anchor: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    if (flag !== '--anchor') throw new Error(`unknown argument ${argv[i]} (only --anchor <file>)`);
    anchor = inline ?? argv[++i] ?? null;
    if (!anchor) throw new Error('--anchor needs a file');
  }
  return { anchor };
}

async function checkOne(name: string, url: string, anchor: ChainAnchor | null): Promise<SubgraphCheck> {
  let db;
  try {
    db = await openDatabase({ url, poolSize: 1 });
  } catch (err) {
    return { name, url, error: (err as Error).message };
  }
  try {
    const [table] = await db.query<{ t: string | null }>(`SELECT to_regclass('audit_log')::text AS t`);
    if (!table?.t) return { name, url, error: 'no audit_log table (start the subgraph once to migrate it)' };
    return { name, url, report: await verifyChain(db, { anchor }) };
  } catch (err) {
    return { name, url, error: (err as Error).message };
  } finally {
    await db.close();
  }
}

function line(c: SubgraphCheck, anchored: ChainAnchor | null): string {
  const name = c.name.padEnd(12);
  if (c.error) return `${name}UNREADABLE  ${c.error} (${redactUrl(c.url)})`;
  const r = c.report!;
  if (!r.ok)
    return `${name}BROKEN      first broken entry: seq ${r.firstBrokenSeq} — ${r.problem} (${r.entries} entries verified before it)`;
  const head = r.head ? `head ${r.head.seq} ${r.head.hash}` : 'empty';
  return `${name}ok          ${r.entries} entries, ${head}${anchored ? `, anchored head ${anchored.seq} still there` : ''}`;
}

async function main(): Promise<number> {
  const { anchor: anchorFile } = parseArgs(process.argv.slice(2));
  const anchors: Anchors =
    anchorFile && existsSync(anchorFile) ? (JSON.parse(readFileSync(anchorFile, 'utf8')) as Anchors) : {};
  const registry = loadRegistry();
  const dataDir = path.resolve(ROOT, process.env.GOVGRAPH_DATA_DIR || 'data', 'postgres');
  let started: EmbeddedPostgres | null = null;
  const embeddedUrl = async (name: string): Promise<string> => {
    let port = runningServerPort(dataDir);
    if (port === null) {
      if (!existsSync(path.join(dataDir, 'PG_VERSION')))
        throw new Error(
          `${envPrefix(name)}DATABASE_URL is not set and there is no npm start data in ${path.relative(ROOT, dataDir)}`,
        );
      started ??= await startEmbeddedPostgres({ dataDir });
      port = started.port;
    }
    return embeddedAdminUrl(dataDir, port, embeddedDatabaseName(name));
  };
  const checks: SubgraphCheck[] = [];
  try {
    for (const e of registry) {
      const url = process.env[`${envPrefix(e.name)}DATABASE_URL`] || (await embeddedUrl(e.name));
      const check = await checkOne(e.name, url, anchors[e.name] ?? null);
      checks.push(check);
      console.log(line(check, anchors[e.name] ?? null));
    }
    // The schema registry's log (registry/, docs/registry.md), when its database is named.
    const registryUrl = process.env.REGISTRY_DATABASE_URL;
    if (registryUrl) {
      const check = await checkOne('registry', registryUrl, anchors.registry ?? null);
      checks.push(check);
      console.log(line(check, anchors.registry ?? null));
    }
  } finally {
    await (started as EmbeddedPostgres | null)?.stop();
  }
  const broken = checks.filter((c) => c.report && !c.report.ok);
  const unreadable = checks.filter((c) => c.error);
  if (broken.length) {
    console.error(
      `audit:verify: ${broken.map((c) => `${c.name} at seq ${c.report!.firstBrokenSeq}`).join(', ')} BROKEN`,
    );
    return 1;
  }
  if (unreadable.length) {
    console.error(`audit:verify: could not read ${unreadable.map((c) => c.name).join(', ')}`);
    return 2;
  }
  if (anchorFile) {
    const heads: Anchors = { ...anchors };
    for (const c of checks) if (c.report?.head) heads[c.name] = c.report.head;
    writeFileSync(anchorFile, `${JSON.stringify(heads, null, 2)}\n`);
    console.log(`heads written to ${anchorFile}`);
  }
  console.log(`audit:verify: ${checks.length} audit logs verified`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`audit:verify: ${err.message}`);
    process.exit(2);
  },
);

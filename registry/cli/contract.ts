/**
 * `contract <name> [--include a,b] [--exclude c] [--partners AGENCY,scope:x] [--schema] [--delete]
 * [--file f]` (docs/contracts.md). With the registry (the default): with tags or partners, sets the
 * contract (the options given replace those parts, the others are kept) with an official's or
 * administrator's token; without, prints it; `--schema` prints its API schema; `--delete` deletes it.
 * With `--file` (or GOVGRAPH_CONTRACTS_FILE): the same on a local contracts file, no registry call.
 * Exit 1 when the registry refuses a contract on its merits (CONTRACT_EMPTY, CONTRACT_IN_USE), 2 for
 * the rest.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseFlags, request, requestText, target, Usage } from './common';
import type { Outcome, Target } from './common';

/** A contract as the registry and the contracts file hold it. */
interface Contract {
  include: string[];
  exclude: string[];
  partners: string[];
}

const TAKES = ['--include', '--exclude', '--partners', '--file', '--registry', '--token', '--env'];
const SWITCHES = ['--json', '--schema', '--delete'];

function contractLine(name: string, where: string, c: Contract & { revision?: number }): string {
  const list = (v: readonly string[] | undefined) => (v?.length ? v.join(',') : '-');
  const revision = c.revision === undefined ? '' : `, revision ${c.revision}`;
  return `✓ contract ${name} (${where}${revision}): include ${list(c.include)}; exclude ${list(c.exclude)}; partners ${list(c.partners)}`;
}

const list = (v: string) =>
  v
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

interface Request {
  name: string;
  given: Partial<Contract>;
  setting: boolean;
  json: boolean;
  printSchema: boolean;
  remove: boolean;
}

const merged = (given: Partial<Contract>, current: Partial<Contract> | undefined): Contract => ({
  include: given.include ?? current?.include ?? [],
  exclude: given.exclude ?? current?.exclude ?? [],
  partners: given.partners ?? current?.partners ?? [],
});

function inFile(file: string, r: Request): Outcome {
  const { name } = r;
  if (r.printSchema) throw new Usage('--schema needs the registry (a contracts file has no graph)');
  let all: Record<string, Contract> = {};
  try {
    if (existsSync(file)) all = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Usage(`cannot read ${file}: ${(error as Error).message}`);
  }
  if (!r.setting && !all[name])
    return { code: 2, out: [], err: [`✗ contract ${name}: NOT_FOUND: not in ${file}`] };
  if (r.remove && all[name]?.partners?.length)
    return {
      code: 1,
      out: [],
      err: [
        `✗ contract ${name} (${file}): CONTRACT_IN_USE: still served to ${all[name].partners.join(', ')}: give them another contract, or set its partners to none first (--partners '')`,
      ],
    };
  if (r.remove) delete all[name];
  if (r.setting) {
    const next = merged(r.given, all[name]);
    if (!next.include.length && !next.exclude.length)
      throw new Usage('contract needs at least one --include or --exclude tag');
    all[name] = next;
  }
  if (r.setting || r.remove) writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
  if (r.remove) return { code: 0, out: [`✓ contract ${name} (${file}): deleted`], err: [] };
  const def = merged(r.given, all[name]);
  return {
    code: 0,
    out: [r.json ? JSON.stringify({ name, ...def }, null, 2) : contractLine(name, file, def)],
    err: [],
  };
}

async function inRegistry(to: Target, r: Request): Promise<Outcome> {
  const { name, json } = r;
  const path = `v1/environments/${encodeURIComponent(to.env)}/contracts/${encodeURIComponent(name)}`;
  const refused = (status: number, body: { error?: { code: string; message: string } }): Outcome => {
    const error = body.error ?? { code: `HTTP_${status}`, message: 'no error message' };
    // A contract the graph cannot serve is refused on its merits, as a failed check is.
    return {
      code: error.code === 'CONTRACT_EMPTY' || error.code === 'CONTRACT_IN_USE' ? 1 : 2,
      out: json ? [JSON.stringify(body, null, 2)] : [],
      err: json ? [] : [`✗ contract ${name} (${to.env}): ${error.code}: ${error.message}`],
    };
  };
  if (r.printSchema) {
    const answer = await requestText(to, `${path}/schema`);
    if (answer.status !== 200) return refused(answer.status, answer.body as never);
    return { code: 0, out: [String(answer.body).trimEnd()], err: [] };
  }
  let answer: Awaited<ReturnType<typeof request>>;
  if (r.remove) answer = await request(to, 'DELETE', path);
  else if (r.setting) {
    const current = await request(to, 'GET', path);
    if (current.status !== 200 && current.status !== 404) return refused(current.status, current.body);
    answer = await request(
      to,
      'PUT',
      path,
      merged(r.given, current.status === 200 ? current.body : undefined),
    );
  } else answer = await request(to, 'GET', path);
  if (answer.status !== 200) return refused(answer.status, answer.body);
  if (json) return { code: 0, out: [JSON.stringify(answer.body, null, 2)], err: [] };
  if (r.remove)
    return {
      code: 0,
      out: [`✓ contract ${name} (${to.env}): deleted (was revision ${answer.body.revision})`],
      err: [],
    };
  const contract = r.setting ? answer.body.contract : answer.body;
  const out = [contractLine(name, to.env, contract)];
  if (r.setting && !answer.body.changed) out.push('  unchanged');
  if (r.setting && answer.body.queryFields !== null)
    out.push(`  ${answer.body.queryFields} Query fields on the current graph`);
  const unknown: string[] = answer.body.unknownTags ?? [];
  const err = unknown.length
    ? [
        `  warning: nothing in the current graph carries ${unknown.join(', ')} (a misspelt tag excludes nothing)`,
      ]
    : [];
  return { code: 0, out, err };
}

export async function runContract(name: string | undefined, rest: readonly string[]): Promise<Outcome> {
  if (!name || !/^[a-z][a-z0-9-]{0,62}$/.test(name))
    throw new Usage('contract needs a name: lower-case letters, digits and hyphens');
  const { flags, on } = parseFlags(rest, TAKES, SWITCHES, 'contract');
  const given: Partial<Contract> = {
    ...(flags['--include'] !== undefined && { include: list(flags['--include']) }),
    ...(flags['--exclude'] !== undefined && { exclude: list(flags['--exclude']) }),
    ...(flags['--partners'] !== undefined && { partners: list(flags['--partners']) }),
  };
  const r: Request = {
    name,
    given,
    setting: Object.keys(given).length > 0,
    json: on.has('--json'),
    printSchema: on.has('--schema'),
    remove: on.has('--delete'),
  };
  if ([r.setting, r.printSchema, r.remove].filter(Boolean).length > 1)
    throw new Usage('contract: give tags or partners to set it, or --schema, or --delete, not several');
  const file = flags['--file'] ?? process.env.GOVGRAPH_CONTRACTS_FILE;
  if (file !== undefined) return inFile(file, r);
  return await inRegistry(target(flags, ' (or --file <contracts.json>)'), r);
}

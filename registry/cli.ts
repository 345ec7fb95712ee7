/**
 * `npm run schema -- <command> …`: the registry's command-line tool for CI (docs/registry.md "CLI").
 * It imports nothing of this repository (Node's built-ins only), so a partner copies this one file and
 * runs it with `npx tsx schema-cli.ts …` in its own CI (docs/partners.md).
 *
 *   check    <subgraph> --schema <file> [--url <url>]          compose + classify, store nothing
 *   publish  <subgraph> --schema <file> [--url <url>] [--override-reason <text>]
 *   rollback <subgraph> --to <version>
 *   versions <subgraph>
 *   documents <client> --manifest <file>                       registers the client's trusted documents
 *            (replaces its set; govgraph's, Codegen's or Apollo's manifest format): a check counts
 *            them as usage of every field they select, whether or not they ran
 *   contract <name> [--include <tags>] [--exclude <tags>] [--partners <AGENCY,scope:x,…>]
 *            sets (with tags or partners; an official's or admin's token) or prints a schema
 *            contract in the registry; --schema prints its API schema, --delete deletes it;
 *            --file <contracts.json> works on a local contracts file instead (no registry call)
 *
 *   --registry <url>  or GOVGRAPH_REGISTRY_URL     --token <jwt>  or GOVGRAPH_REGISTRY_TOKEN
 *   --env <name>      or GOVGRAPH_REGISTRY_ENV (default production)     --json  the answer as JSON
 *
 * One file on purpose, past the usual ~300 lines: a partner copies it alone into its repository, so
 * it has no second file to import (each command is its own function: run…, runContract, runDocuments).
 *
 * Exit codes: 0 passed / done; 1 the check failed (breaking changes, or the graph does not compose),
 * for check and for a publish the registry refused for that reason, and trusted documents that do not
 * validate against the graph; 2 anything else: usage, the registry unreachable, a refused token, an
 * unknown version, a file that is not a manifest.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const USAGE = `usage: schema check|publish <subgraph> --schema <file> [--url <url>] [--override-reason <text>]
       schema rollback <subgraph> --to <version>
       schema versions <subgraph>
       schema documents <client> --manifest <file>
       schema contract <name> [--include <tag,…>] [--exclude <tag,…>] [--partners <AGENCY,scope:x,…>]
       schema contract <name> [--schema | --delete]   (--file <contracts.json>: a local file, no registry)
options: --registry <url> (GOVGRAPH_REGISTRY_URL)  --token <jwt> (GOVGRAPH_REGISTRY_TOKEN)
         --env <name> (GOVGRAPH_REGISTRY_ENV, default production)  --json`;

const COMMANDS = ['check', 'publish', 'rollback', 'versions', 'documents'] as const;
type Command = (typeof COMMANDS)[number];
const ALLOWED: Record<Command, readonly string[]> = {
  check: ['--schema', '--url'],
  publish: ['--schema', '--url', '--override-reason'],
  rollback: ['--to'],
  versions: [],
  documents: ['--manifest'],
};
const FLAGS = ['--registry', '--token', '--env', ...Object.values(ALLOWED).flat()];

/** Exits with a usage or connection error (2). */
class Usage extends Error {}

interface Change {
  severity: 'breaking' | 'dangerous' | 'safe';
  coordinate: string | null;
  message: string;
  usedBy?: { client: string; operation: string; count: number; trusted?: boolean }[];
  usedByMore?: number;
}

function parseArgs(argv: readonly string[]) {
  const [command, subgraph, ...rest] = argv;
  if (!command || !(COMMANDS as readonly string[]).includes(command))
    throw new Usage(command ? `unknown command "${command}"` : 'no command');
  if (!subgraph || subgraph.startsWith('--'))
    throw new Usage(`${command} needs a ${command === 'documents' ? 'client' : 'subgraph'} name`);
  const flags: Record<string, string> = {};
  let json = false;
  for (let i = 0; i < rest.length; i++) {
    const [flag, inline] = rest[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    if (flag === '--json') {
      json = true;
      continue;
    }
    if (!FLAGS.includes(flag)) throw new Usage(`unknown option ${flag}`);
    if (!['--registry', '--token', '--env', ...ALLOWED[command as Command]].includes(flag))
      throw new Usage(`${command} takes no ${flag}`);
    const value = inline ?? rest[++i];
    if (value === undefined || value.startsWith('--')) throw new Usage(`${flag} needs a value`);
    flags[flag] = value;
  }
  const registry = flags['--registry'] ?? process.env.GOVGRAPH_REGISTRY_URL;
  const token = flags['--token'] ?? process.env.GOVGRAPH_REGISTRY_TOKEN;
  const env = flags['--env'] ?? process.env.GOVGRAPH_REGISTRY_ENV ?? 'production';
  if (!registry) throw new Usage('no registry: --registry <url> or GOVGRAPH_REGISTRY_URL');
  if (!/^https?:\/\//.test(registry)) throw new Usage(`--registry must be an http(s) URL, got "${registry}"`);
  if (!token) throw new Usage('no token: --token <jwt> or GOVGRAPH_REGISTRY_TOKEN');
  if ((command === 'check' || command === 'publish') && !flags['--schema'])
    throw new Usage(`${command} needs --schema <file>`);
  if (command === 'documents' && !flags['--manifest']) throw new Usage('documents needs --manifest <file>');
  if (command === 'rollback' && !/^[1-9]\d*$/.test(flags['--to'] ?? ''))
    throw new Usage('rollback needs --to <version> (a positive whole number)');
  return { command: command as Command, subgraph, flags, registry, token, env, json };
}

function readSchema(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Usage(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

async function request(
  registry: string,
  token: string,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  // The registry's JSON answers (docs/registry.md "HTTP API"); read field by field below.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: any }> {
  let response: Response;
  try {
    response = await fetch(new URL(path, registry.endsWith('/') ? registry : `${registry}/`), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new Usage(`cannot reach the registry at ${registry}: ${reason}`);
  }
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    throw new Usage(`the registry answered HTTP ${response.status} with something that is not JSON`);
  }
}

/** `12×`, `trusted document` (registered, whether or not it ran), or both. */
const howUsed = (u: { count: number; trusted?: boolean }) =>
  [...(u.count ? [`${u.count}×`] : []), ...(u.trusted ? ['trusted document'] : [])].join(', ');

function changeLines(changes: readonly Change[]): string[] {
  const width = Math.max(10, ...changes.map((c) => (c.coordinate ?? '').length));
  return changes.flatMap((c) => [
    `  ${c.severity.toUpperCase().padEnd(9)} ${(c.coordinate ?? '-').padEnd(width)}  ${c.message}`,
    ...(c.usedBy ?? []).map((u) => `            used by ${u.client}: ${u.operation} (${howUsed(u)})`),
    ...(c.usedByMore ? [`            and ${c.usedByMore} more uses`] : []),
    ...(c.usedBy && !c.usedBy.length
      ? ['            unused (by trusted documents, and in the usage window)']
      : []),
  ]);
}

function summary(changes: readonly Change[]): string {
  const count = (s: Change['severity']) => changes.filter((c) => c.severity === s).length;
  return `${count('breaking')} breaking, ${count('dangerous')} dangerous, ${count('safe')} safe`;
}

type Outcome = { code: number; out: string[]; err: string[] };

/** A contract as the registry and the contracts file hold it. */
interface Contract {
  include: string[];
  exclude: string[];
  partners: string[];
}

const CONTRACT_FLAGS = ['--include', '--exclude', '--partners', '--file', '--registry', '--token', '--env'];

function contractLine(name: string, where: string, c: Contract & { revision?: number }): string {
  const list = (v: readonly string[] | undefined) => (v?.length ? v.join(',') : '-');
  const revision = c.revision === undefined ? '' : `, revision ${c.revision}`;
  return `✓ contract ${name} (${where}${revision}): include ${list(c.include)}; exclude ${list(c.exclude)}; partners ${list(c.partners)}`;
}

/**
 * `contract <name> [--include a,b] [--exclude c] [--partners AGENCY,scope:x] [--schema] [--delete]
 * [--file f]`. With the registry (the default): with tags or partners, sets the contract (the options
 * given replace those parts, the others are kept) with an official's or administrator's token;
 * without, prints it; `--schema` prints its API schema; `--delete` deletes it. With `--file` (or
 * GOVGRAPH_CONTRACTS_FILE): the same on a local contracts file, no registry call.
 */
async function runContract(argv: readonly string[]): Promise<Outcome> {
  const [, name, ...rest] = argv;
  const fail = (message: string): Outcome => ({ code: 2, out: [], err: [`schema: ${message}`, USAGE] });
  if (!name || !/^[a-z][a-z0-9-]{0,62}$/.test(name))
    return fail('contract needs a name: lower-case letters, digits and hyphens');
  const flags: Record<string, string> = {};
  let json = false;
  let printSchema = false;
  let remove = false;
  for (let i = 0; i < rest.length; i++) {
    const [flag, inline] = rest[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    if (flag === '--json' || flag === '--schema' || flag === '--delete') {
      if (flag === '--json') json = true;
      else if (flag === '--schema') printSchema = true;
      else remove = true;
      continue;
    }
    if (!CONTRACT_FLAGS.includes(flag)) return fail(`contract takes no ${flag}`);
    const value = inline ?? rest[++i];
    if (value === undefined || value.startsWith('--')) return fail(`${flag} needs a value`);
    flags[flag] = value;
  }
  const list = (v: string) =>
    v
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
  const given: Partial<Contract> = {
    ...(flags['--include'] !== undefined && { include: list(flags['--include']) }),
    ...(flags['--exclude'] !== undefined && { exclude: list(flags['--exclude']) }),
    ...(flags['--partners'] !== undefined && { partners: list(flags['--partners']) }),
  };
  const setting = Object.keys(given).length > 0;
  if ([setting, printSchema, remove].filter(Boolean).length > 1)
    return fail('contract: give tags or partners to set it, or --schema, or --delete, not several');
  const merged = (current: Partial<Contract> | undefined): Contract => ({
    include: given.include ?? current?.include ?? [],
    exclude: given.exclude ?? current?.exclude ?? [],
    partners: given.partners ?? current?.partners ?? [],
  });

  const file = flags['--file'] ?? process.env.GOVGRAPH_CONTRACTS_FILE;
  if (file !== undefined) {
    if (printSchema) return fail('--schema needs the registry (a contracts file has no graph)');
    let all: Record<string, Contract> = {};
    try {
      if (existsSync(file)) all = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      return fail(`cannot read ${file}: ${(error as Error).message}`);
    }
    if (!setting && !all[name])
      return { code: 2, out: [], err: [`✗ contract ${name}: NOT_FOUND: not in ${file}`] };
    if (remove) delete all[name];
    if (setting) {
      const next = merged(all[name]);
      if (!next.include.length && !next.exclude.length)
        return fail('contract needs at least one --include or --exclude tag');
      all[name] = next;
    }
    if (setting || remove) writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
    if (remove) return { code: 0, out: [`✓ contract ${name} (${file}): deleted`], err: [] };
    const def = merged(all[name]);
    return {
      code: 0,
      out: [json ? JSON.stringify({ name, ...def }, null, 2) : contractLine(name, file, def)],
      err: [],
    };
  }

  const registry = flags['--registry'] ?? process.env.GOVGRAPH_REGISTRY_URL;
  const token = flags['--token'] ?? process.env.GOVGRAPH_REGISTRY_TOKEN;
  const env = flags['--env'] ?? process.env.GOVGRAPH_REGISTRY_ENV ?? 'production';
  if (!registry)
    return fail('no registry: --registry <url> or GOVGRAPH_REGISTRY_URL (or --file <contracts.json>)');
  if (!/^https?:\/\//.test(registry)) return fail(`--registry must be an http(s) URL, got "${registry}"`);
  if (!token) return fail('no token: --token <jwt> or GOVGRAPH_REGISTRY_TOKEN');
  const path = `v1/environments/${encodeURIComponent(env)}/contracts/${encodeURIComponent(name)}`;
  const refused = (status: number, body: { error?: { code: string; message: string } }): Outcome => {
    const error = body.error ?? { code: `HTTP_${status}`, message: 'no error message' };
    // A contract the graph cannot serve is refused on its merits, as a failed check is.
    return {
      code: error.code === 'CONTRACT_EMPTY' ? 1 : 2,
      out: json ? [JSON.stringify(body, null, 2)] : [],
      err: json ? [] : [`✗ contract ${name} (${env}): ${error.code}: ${error.message}`],
    };
  };
  try {
    if (printSchema) {
      const answer = await requestText(registry, token, `${path}/schema`);
      if (answer.status !== 200) return refused(answer.status, answer.body as never);
      return { code: 0, out: [String(answer.body).trimEnd()], err: [] };
    }
    let answer: Awaited<ReturnType<typeof request>>;
    if (remove) answer = await request(registry, token, 'DELETE', path);
    else if (setting) {
      const current = await request(registry, token, 'GET', path);
      if (current.status !== 200 && current.status !== 404) return refused(current.status, current.body);
      answer = await request(
        registry,
        token,
        'PUT',
        path,
        merged(current.status === 200 ? current.body : undefined),
      );
    } else answer = await request(registry, token, 'GET', path);
    if (answer.status !== 200) return refused(answer.status, answer.body);
    if (json) return { code: 0, out: [JSON.stringify(answer.body, null, 2)], err: [] };
    if (remove)
      return {
        code: 0,
        out: [`✓ contract ${name} (${env}): deleted (was revision ${answer.body.revision})`],
        err: [],
      };
    const contract = setting ? answer.body.contract : answer.body;
    const out = [contractLine(name, env, contract)];
    if (setting && !answer.body.changed) out.push('  unchanged');
    if (setting && answer.body.queryFields !== null)
      out.push(`  ${answer.body.queryFields} Query fields on the current graph`);
    const unknown: string[] = answer.body.unknownTags ?? [];
    const err = unknown.length
      ? [
          `  warning: nothing in the current graph carries ${unknown.join(', ')} (a misspelt tag excludes nothing)`,
        ]
      : [];
    return { code: 0, out, err };
  } catch (error) {
    if (error instanceof Usage) return { code: 2, out: [], err: [`schema: ${error.message}`] };
    throw error;
  }
}

/** A GET whose answer is text when it succeeds (the contract's schema), the registry's JSON error otherwise. */
async function requestText(
  registry: string,
  token: string,
  path: string,
): Promise<{ status: number; body: unknown }> {
  let response: Response;
  try {
    response = await fetch(new URL(path, registry.endsWith('/') ? registry : `${registry}/`), {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Usage(
      `cannot reach the registry at ${registry}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
    );
  }
  const text = await response.text();
  if (response.status === 200) return { status: 200, body: text };
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    throw new Usage(`the registry answered HTTP ${response.status} with something that is not JSON`);
  }
}

/** The manifest file's JSON, sent as is: the registry reads the three formats and checks each hash. */
function readManifest(file: string): unknown {
  const text = readSchema(file);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Usage(`${file} is not JSON: ${(error as Error).message}`);
  }
}

/**
 * `documents <client> --manifest <file>`: replaces the client's registered trusted documents. Exit 1
 * when documents do not validate against the graph (DOCUMENTS_INVALID, each listed), 2 for the rest.
 */
async function runDocuments(args: ReturnType<typeof parseArgs>): Promise<Outcome> {
  const { subgraph: client, flags, registry, token, env, json } = args;
  const path = `v1/environments/${encodeURIComponent(env)}/clients/${encodeURIComponent(client)}/documents`;
  const manifest = readManifest(flags['--manifest']!);
  const { status, body } = await request(registry, token, 'PUT', path, { manifest });
  const code = status === 200 ? 0 : body.error?.code === 'DOCUMENTS_INVALID' ? 1 : 2;
  if (json) return { code, out: [JSON.stringify(body, null, 2)], err: [] };
  if (status !== 200) {
    const error = body.error ?? { code: `HTTP_${status}`, message: 'no error message' };
    const invalid = (error.documents ?? []) as { hash: string; errors: string[] }[];
    return {
      code,
      out: [],
      err: [
        `✗ ${client} (${env}): ${error.code}: ${error.message}`,
        ...invalid.map((d) => `  ${d.hash}  ${d.errors.join(' ')}`),
      ],
    };
  }
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const set = `${count(body.documents, 'trusted document')} (${count(body.operations.length, 'operation')})`;
  if (!body.registered) return { code, out: [`✓ ${client} (${env}): unchanged, ${set}`], err: [] };
  const out = [`✓ ${client} (${env}): registered ${set}; checks count them as usage`];
  if (body.added.length) out.push(`  added    ${body.added.join(', ')}`);
  if (body.removed.length) out.push(`  removed  ${body.removed.join(', ')}`);
  return { code, out, err: [] };
}

/** Runs one command; returns the exit code and what to print (stdout, stderr). */
async function run(argv: readonly string[]): Promise<Outcome> {
  if (argv[0] === 'contract') return await runContract(argv);
  const out: string[] = [];
  const err: string[] = [];
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (error instanceof Usage) return { code: 2, out, err: [`schema: ${error.message}`, USAGE] };
    throw error;
  }
  const { command, subgraph, flags, registry, token, env, json } = args;
  const base = `v1/environments/${encodeURIComponent(env)}/subgraphs/${encodeURIComponent(subgraph)}`;
  try {
    if (command === 'documents') return await runDocuments(args);
    const answer =
      command === 'versions'
        ? await request(registry, token, 'GET', `${base}/versions`)
        : command === 'rollback'
          ? await request(registry, token, 'POST', `${base}/rollback`, { to: Number(flags['--to']) })
          : await request(registry, token, 'POST', `${base}/${command}`, {
              sdl: readSchema(flags['--schema']!),
              ...(flags['--url'] && { url: flags['--url'] }),
              ...(flags['--override-reason'] && { overrideReason: flags['--override-reason'] }),
            });
    const { status, body } = answer;
    if (json) out.push(JSON.stringify(body, null, 2));
    if (status !== 200) {
      const error = body.error ?? { code: `HTTP_${status}`, message: 'no error message' };
      const failedCheck = error.code === 'CHECK_FAILED' || error.code === 'COMPOSITION_FAILED';
      if (!json) {
        err.push(`✗ ${subgraph} (${env}): ${error.code}: ${error.message}`);
        if (error.changes) err.push(...changeLines(error.changes));
        for (const message of error.compositionErrors ?? []) err.push(`  ${message}`);
      }
      return { code: failedCheck ? 1 : 2, out, err };
    }
    if (json) return { code: command === 'check' && !body.ok ? 1 : 0, out, err };
    if (command === 'check') {
      const mark = body.ok ? '✓' : '✗';
      if (body.compositionErrors.length) {
        out.push(`${mark} ${subgraph} (${env}): does not compose`);
        for (const message of body.compositionErrors) out.push(`  ${message}`);
      } else out.push(`${mark} ${subgraph} (${env}): ${summary(body.changes)}`, ...changeLines(body.changes));
      return { code: body.ok ? 0 : 1, out, err };
    }
    if (command === 'publish')
      out.push(
        body.published
          ? `✓ ${subgraph} (${env}): published version ${body.version}${body.overridden ? ' (check overridden)' : ''}; supergraph ${body.supergraphHash}`
          : `✓ ${subgraph} (${env}): unchanged, version ${body.version} is current; supergraph ${body.supergraphHash}`,
        ...changeLines(body.changes),
      );
    else if (command === 'rollback')
      out.push(
        body.rolledBack
          ? `✓ ${subgraph} (${env}): rolled back from version ${body.from} to ${body.to}; supergraph ${body.supergraphHash}`
          : `✓ ${subgraph} (${env}): version ${body.to} is already current`,
        ...changeLines(body.changes),
      );
    else
      for (const v of body.versions)
        out.push(
          `${v.current ? '*' : ' '} ${String(v.version).padStart(4)}  ${v.createdAt}  ${v.author} (${v.authorRole})  ${v.hash.slice(0, 12)}  ${v.url}`,
        );
    return { code: 0, out, err };
  } catch (error) {
    if (error instanceof Usage) return { code: 2, out, err: [`schema: ${error.message}`] };
    throw error;
  }
}

run(process.argv.slice(2)).then(
  ({ code, out, err }) => {
    if (out.length) process.stdout.write(`${out.join('\n')}\n`);
    if (err.length) process.stderr.write(`${err.join('\n')}\n`);
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`schema: unexpected error: ${(error as Error).message}\n`);
    process.exitCode = 2;
  },
);

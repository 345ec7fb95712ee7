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
 *   contract <name> [--include <tags>] [--exclude <tags>] [--file <contracts.json>]
 *            stores (with tags) or prints a schema contract in the contracts file the gateways
 *            read (GATEWAY_CONTRACTS; default schema/contracts.json); no registry call
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
       schema contract <name> [--include <tag,…>] [--exclude <tag,…>] [--file <contracts.json>]
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
  method: 'GET' | 'POST' | 'PUT',
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

/**
 * `contract <name> [--include a,b] [--exclude c] [--file f]`: with tags, stores the contract in the
 * contracts file (created when missing, other contracts kept) and prints it; without, prints it.
 */
function runContract(argv: readonly string[]): Outcome {
  const [, name, ...rest] = argv;
  const fail = (message: string): Outcome => ({ code: 2, out: [], err: [`schema: ${message}`, USAGE] });
  if (!name || !/^[a-z][a-z0-9-]*$/.test(name))
    return fail('contract needs a name: lower-case letters, digits and hyphens');
  const flags: Record<string, string> = {};
  let json = false;
  for (let i = 0; i < rest.length; i++) {
    const [flag, inline] = rest[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    if (flag === '--json') {
      json = true;
      continue;
    }
    if (!['--include', '--exclude', '--file'].includes(flag)) return fail(`contract takes no ${flag}`);
    const value = inline ?? rest[++i];
    if (value === undefined || value.startsWith('--')) return fail(`${flag} needs a value`);
    flags[flag] = value;
  }
  const file = flags['--file'] ?? process.env.GOVGRAPH_CONTRACTS_FILE ?? 'schema/contracts.json';
  let all: Record<string, { include: string[]; exclude: string[] }> = {};
  try {
    if (existsSync(file)) all = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return fail(`cannot read ${file}: ${(error as Error).message}`);
  }
  const tags = (v: string | undefined) =>
    (v ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
  if (flags['--include'] !== undefined || flags['--exclude'] !== undefined) {
    const definition = { include: tags(flags['--include']), exclude: tags(flags['--exclude']) };
    if (!definition.include.length && !definition.exclude.length)
      return fail('contract needs at least one --include or --exclude tag');
    all[name] = definition;
    writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
  } else if (!all[name]) return { code: 2, out: [], err: [`✗ contract ${name}: NOT_FOUND: not in ${file}`] };
  const def = all[name]!;
  return {
    code: 0,
    out: json
      ? [JSON.stringify({ name, ...def }, null, 2)]
      : [
          `✓ contract ${name} (${file}): include ${def.include.join(',') || '-'}; exclude ${def.exclude.join(',') || '-'}`,
        ],
    err: [],
  };
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
  if (argv[0] === 'contract') return runContract(argv);
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

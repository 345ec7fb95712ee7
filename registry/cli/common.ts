/**
 * What every command of the schema CLI shares: the usage text, the outcome it returns, reading files
 * and calling the registry over HTTP (docs/registry.md "CLI" and "HTTP API"). Node's built-ins only:
 * the CLI is bundled into one dependency-free file for partners (`npm run build` →
 * dist/schema-cli.mjs, docs/partners.md).
 */
import { readFileSync } from 'node:fs';

export const USAGE = `usage: schema check|publish <subgraph> --schema <file> [--url <url>] [--override-reason <text>]
       schema rollback <subgraph> --to <version>
       schema versions <subgraph>
       schema documents <client> --manifest <file>
       schema contract <name> [--include <tag,…>] [--exclude <tag,…>] [--partners <AGENCY,scope:x,…>]
       schema contract <name> [--schema | --delete]   (--file <contracts.json>: a local file, no registry)
options: --registry <url> (GOVGRAPH_REGISTRY_URL)  --token <jwt> (GOVGRAPH_REGISTRY_TOKEN)
         --env <name> (GOVGRAPH_REGISTRY_ENV, default production)  --json`;

/** Wrong arguments: exit 2, with the usage text. */
export class Usage extends Error {}
/** A file that cannot be read, a registry that cannot be reached or answers nonsense: exit 2. */
export class Failure extends Error {}

/** A command's exit code and what it prints on standard output and standard error. */
export type Outcome = { code: number; out: string[]; err: string[] };

/** The registry, token and environment a command talks to: options first, then the environment. */
export interface Target {
  registry: string;
  token: string;
  env: string;
}

export function target(flags: Record<string, string>, hint = ''): Target {
  const registry = flags['--registry'] ?? process.env.GOVGRAPH_REGISTRY_URL;
  const token = flags['--token'] ?? process.env.GOVGRAPH_REGISTRY_TOKEN;
  const env = flags['--env'] ?? process.env.GOVGRAPH_REGISTRY_ENV ?? 'production';
  if (!registry) throw new Usage(`no registry: --registry <url> or GOVGRAPH_REGISTRY_URL${hint}`);
  if (!/^https?:\/\//.test(registry)) throw new Usage(`--registry must be an http(s) URL, got "${registry}"`);
  if (!token) throw new Usage('no token: --token <jwt> or GOVGRAPH_REGISTRY_TOKEN');
  return { registry, token, env };
}

export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Failure(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

async function send(
  { registry, token }: Target,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; text: string }> {
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
    throw new Failure(`cannot reach the registry at ${registry}: ${reason}`);
  }
  return { status: response.status, text: await response.text() };
}

function json(status: number, text: string) {
  try {
    return JSON.parse(text);
  } catch {
    throw new Failure(`the registry answered HTTP ${status} with something that is not JSON`);
  }
}

/** A call whose answer is the registry's JSON. */
export async function request(
  to: Target,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  // The registry's JSON answers (docs/registry.md "HTTP API"); read field by field by each command.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: any }> {
  const { status, text } = await send(to, method, path, body);
  return { status, body: json(status, text) };
}

/** A GET whose answer is text when it succeeds (a contract's schema), the registry's JSON error otherwise. */
export async function requestText(to: Target, path: string): Promise<{ status: number; body: unknown }> {
  const { status, text } = await send(to, 'GET', path);
  return status === 200 ? { status, body: text } : { status, body: json(status, text) };
}

/** `--flag value` / `--flag=value` pairs and switches, checked against what the command takes. */
export function parseFlags(
  rest: readonly string[],
  takes: readonly string[],
  switches: readonly string[],
  command: string,
): { flags: Record<string, string>; on: Set<string> } {
  const flags: Record<string, string> = {};
  const on = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const [flag, inline] = rest[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    if (switches.includes(flag)) {
      on.add(flag);
      continue;
    }
    if (!takes.includes(flag)) throw new Usage(`${command} takes no ${flag}`);
    const value = inline ?? rest[++i];
    if (value === undefined || value.startsWith('--')) throw new Usage(`${flag} needs a value`);
    flags[flag] = value;
  }
  return { flags, on };
}

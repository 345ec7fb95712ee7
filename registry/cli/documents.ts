/**
 * `documents <client> --manifest <file>`: replaces the client's registered trusted documents
 * (docs/registry.md "Trusted documents always count"). Exit 1 when documents do not validate against
 * the graph (DOCUMENTS_INVALID, each listed), 2 for the rest.
 */
import { Failure, parseFlags, readText, request, target, Usage } from './common';
import type { Outcome } from './common';

/** The manifest file's JSON, sent as is: the registry reads the three formats and checks each hash. */
function readManifest(file: string): unknown {
  const text = readText(file);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Failure(`${file} is not JSON: ${(error as Error).message}`);
  }
}

export async function runDocuments(client: string, rest: readonly string[]): Promise<Outcome> {
  const { flags, on } = parseFlags(
    rest,
    ['--registry', '--token', '--env', '--manifest'],
    ['--json'],
    'documents',
  );
  const to = target(flags);
  if (!flags['--manifest']) throw new Usage('documents needs --manifest <file>');
  const path = `v1/environments/${encodeURIComponent(to.env)}/clients/${encodeURIComponent(client)}/documents`;
  const manifest = readManifest(flags['--manifest']);
  const { status, body } = await request(to, 'PUT', path, { manifest });
  const code = status === 200 ? 0 : body.error?.code === 'DOCUMENTS_INVALID' ? 1 : 2;
  if (on.has('--json')) return { code, out: [JSON.stringify(body, null, 2)], err: [] };
  const where = `${client} (${to.env})`;
  if (status !== 200) {
    const error = body.error ?? { code: `HTTP_${status}`, message: 'no error message' };
    const invalid = (error.documents ?? []) as { hash: string; errors: string[] }[];
    return {
      code,
      out: [],
      err: [
        `✗ ${where}: ${error.code}: ${error.message}`,
        ...invalid.map((d) => `  ${d.hash}  ${d.errors.join(' ')}`),
      ],
    };
  }
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const set = `${count(body.documents, 'trusted document')} (${count(body.operations.length, 'operation')})`;
  if (!body.registered) return { code, out: [`✓ ${where}: unchanged, ${set}`], err: [] };
  const out = [`✓ ${where}: registered ${set}; checks count them as usage`];
  if (body.added.length) out.push(`  added    ${body.added.join(', ')}`);
  if (body.removed.length) out.push(`  removed  ${body.removed.join(', ')}`);
  return { code, out, err: [] };
}

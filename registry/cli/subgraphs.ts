/**
 * `check`, `publish`, `rollback` and `versions` of a subgraph (docs/registry.md "CLI"): exit 1 when a
 * check fails (breaking changes, or the graph does not compose), from `check` or a refused `publish`.
 */
import { parseFlags, readText, request, target, Usage } from './common';
import type { Outcome, Target } from './common';

const TAKES = {
  check: ['--schema', '--url'],
  publish: ['--schema', '--url', '--override-reason'],
  rollback: ['--to'],
  versions: [],
} as const;
export type SubgraphCommand = keyof typeof TAKES;
export const isSubgraphCommand = (c: string): c is SubgraphCommand => Object.hasOwn(TAKES, c);

interface Change {
  severity: 'breaking' | 'dangerous' | 'safe';
  coordinate: string | null;
  message: string;
  usedBy?: { client: string; operation: string; count: number; trusted?: boolean }[];
  usedByMore?: number;
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

/** The call the command makes, its arguments checked first (a usage error before any request). */
function call(command: SubgraphCommand, subgraph: string, flags: Record<string, string>, to: Target) {
  if ((command === 'check' || command === 'publish') && !flags['--schema'])
    throw new Usage(`${command} needs --schema <file>`);
  if (command === 'rollback' && !/^[1-9]\d*$/.test(flags['--to'] ?? ''))
    throw new Usage('rollback needs --to <version> (a positive whole number)');
  const base = `v1/environments/${encodeURIComponent(to.env)}/subgraphs/${encodeURIComponent(subgraph)}`;
  if (command === 'versions') return () => request(to, 'GET', `${base}/versions`);
  if (command === 'rollback')
    return () => request(to, 'POST', `${base}/rollback`, { to: Number(flags['--to']) });
  const sdl = readText(flags['--schema']!);
  return () =>
    request(to, 'POST', `${base}/${command}`, {
      sdl,
      ...(flags['--url'] && { url: flags['--url'] }),
      ...(flags['--override-reason'] && { overrideReason: flags['--override-reason'] }),
    });
}

export async function runSubgraphCommand(
  command: SubgraphCommand,
  subgraph: string,
  rest: readonly string[],
): Promise<Outcome> {
  const { flags, on } = parseFlags(
    rest,
    ['--registry', '--token', '--env', ...TAKES[command]],
    ['--json'],
    command,
  );
  const to = target(flags);
  const json = on.has('--json');
  const { status, body } = await call(command, subgraph, flags, to)();
  const out: string[] = json ? [JSON.stringify(body, null, 2)] : [];
  const err: string[] = [];
  const where = `${subgraph} (${to.env})`;
  if (status !== 200) {
    const error = body.error ?? { code: `HTTP_${status}`, message: 'no error message' };
    const failedCheck = error.code === 'CHECK_FAILED' || error.code === 'COMPOSITION_FAILED';
    if (!json) {
      err.push(`✗ ${where}: ${error.code}: ${error.message}`);
      if (error.changes) err.push(...changeLines(error.changes));
      for (const message of error.compositionErrors ?? []) err.push(`  ${message}`);
    }
    return { code: failedCheck ? 1 : 2, out, err };
  }
  if (json) return { code: command === 'check' && !body.ok ? 1 : 0, out, err };
  if (command === 'check') {
    const mark = body.ok ? '✓' : '✗';
    if (body.compositionErrors.length) {
      out.push(`${mark} ${where}: does not compose`);
      for (const message of body.compositionErrors) out.push(`  ${message}`);
    } else out.push(`${mark} ${where}: ${summary(body.changes)}`, ...changeLines(body.changes));
    return { code: body.ok ? 0 : 1, out, err };
  }
  if (command === 'publish')
    out.push(
      body.published
        ? `✓ ${where}: published version ${body.version}${body.overridden ? ' (check overridden)' : ''}; supergraph ${body.supergraphHash}`
        : `✓ ${where}: unchanged, version ${body.version} is current; supergraph ${body.supergraphHash}`,
      ...changeLines(body.changes),
    );
  else if (command === 'rollback')
    out.push(
      body.rolledBack
        ? `✓ ${where}: rolled back from version ${body.from} to ${body.to}; supergraph ${body.supergraphHash}`
        : `✓ ${where}: version ${body.to} is already current`,
      ...changeLines(body.changes),
    );
  else
    for (const v of body.versions)
      out.push(
        `${v.current ? '*' : ' '} ${String(v.version).padStart(4)}  ${v.createdAt}  ${v.author} (${v.authorRole})  ${v.hash.slice(0, 12)}  ${v.url}`,
      );
  return { code: 0, out, err };
}

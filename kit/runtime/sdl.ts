/**
 * The kit's shared SDL (kit/runtime/sdl/shared.graphql: Date, DateTime, PageInfo, PeriodInput, the audit
 * log's types) merged into a subgraph's own SDL, so those types are written once and identical in
 * every subgraph, as Federation 2 requires of shared value types. The subgraph's `@link` must import
 * `@shareable` (PageInfo is shared). Pair it with `scalarResolvers` from kit/runtime/scalars.ts in the resolver map.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { auditQuerySdl } from './auditlog/graphql';

export const SHARED_SDL_PATH = path.join(__dirname, 'sdl/shared.graphql');

/** The shared SDL text. */
export const sharedSdl = (): string => readFileSync(SHARED_SDL_PATH, 'utf8');

/** A subgraph's SDL with the shared SDL prepended; throws when its federation link lacks `@shareable`. */
export function withSharedSdl(subgraphSdl: string): string {
  const link = /@link\(\s*url:\s*"https:\/\/specs\.apollo\.dev\/federation\/[^"]+"[^)]*\)/.exec(subgraphSdl);
  if (!link || !/"@shareable"/.test(link[0]))
    throw new Error(
      'the subgraph SDL must link Federation 2 with import: [..., "@shareable"] (for PageInfo)',
    );
  return `${subgraphSdl}\n${sharedSdl()}`;
}

/**
 * A subgraph's full SDL, read from its folder: its `schema.graphql`, the shared SDL, and the root fields
 * of its audit log (`<name>AuditLog`, `<name>AuditChain`: kit/runtime/auditlog/graphql.ts), which every
 * subgraph has without writing them. Those fields are `@policy(policies: [["admin"]])`, so the
 * subgraph's federation link (v2.6 or later) must import `@policy` too; start-up fails saying so.
 */
export function subgraphSdl(dir: string, name: string): string {
  const own = readFileSync(path.join(dir, 'schema.graphql'), 'utf8');
  const link = /@link\(\s*url:\s*"https:\/\/specs\.apollo\.dev\/federation\/[^"]+"[^)]*\)/.exec(own);
  if (link && !/"@policy"/.test(link[0]))
    throw new Error(
      `${name}: the subgraph SDL must link Federation (v2.6+) with import: [..., "@policy"] (the audit log's admin fields use it)`,
    );
  return `${withSharedSdl(own)}${auditQuerySdl(name)}`;
}

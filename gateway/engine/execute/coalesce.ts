/**
 * Entity fetches coalesced across paths. A Parallel node often holds the same entity fetch at two
 * paths — `agency` and `agency.children.@` in the scorecard: the same subgraph operation (the
 * planner names each copy differently), the same `requires` — and the reference engine sends one
 * request per path. Those fetches are sent as ONE request whose representations are the
 * concatenation of every path's (identical ones once), so the subgraph resolves them in one batch:
 * one DataLoader batch, one SQL statement per stats loader instead of one per path. The answers
 * are merged back into each path's entities and subgraph errors mapped to each path exactly as
 * separate fetches would have produced them.
 *
 * Groups are worked out once per Parallel node (plans are cached per operation).
 */
import type { FetchNode, ParallelNode, PlanNode } from '@apollo/query-planner';

export type ParallelPart = { node: PlanNode } | { group: Member[] };
type FetchPath = readonly (string | number)[];
/** One Flatten → Fetch child of the Parallel node. */
interface Member {
  node: PlanNode;
  path: FetchPath;
  fetch: FetchNode;
}

const groupsOf = new WeakMap<ParallelNode, ParallelPart[]>();

/** What must be equal for two entity fetches to be sent as one. */
function fetchIdentity(fetch: FetchNode): string {
  return JSON.stringify([
    fetch.serviceName,
    fetch.operationName ? fetch.operation.split(fetch.operationName).join('') : fetch.operation,
    fetch.variableUsages,
    fetch.requires,
    fetch.inputRewrites,
    fetch.outputRewrites,
    fetch.contextRewrites,
    fetch.operationKind,
  ]);
}

/** The Parallel node's children, with coalescible entity fetches (Flatten → Fetch with `requires`) grouped. */
export function parallelParts(node: ParallelNode): ParallelPart[] {
  let parts = groupsOf.get(node);
  if (parts) return parts;
  parts = [];
  const byIdentity = new Map<string, Member[]>();
  for (const child of node.nodes) {
    if (child.kind !== 'Flatten' || child.node.kind !== 'Fetch' || !child.node.requires) {
      parts.push({ node: child });
      continue;
    }
    const member = { node: child, path: child.path, fetch: child.node };
    const identity = fetchIdentity(child.node);
    const group = byIdentity.get(identity);
    if (group) {
      group.push(member);
      continue;
    }
    const fresh = [member];
    byIdentity.set(identity, fresh);
    parts.push({ group: fresh });
  }
  // A fetch with no twin runs as the Flatten node it is.
  parts = parts.map((p) => ('group' in p && p.group.length === 1 ? { node: p.group[0]!.node } : p));
  groupsOf.set(node, parts);
  return parts;
}

/**
 * What the gateway decides about an event before it runs anything (docs/subscriptions.md):
 * - which subscription field an event feeds: the field named as the event type in camelCase
 *   (`DossierStatusChanged` feeds `dossierStatusChanged`), a convention every subgraph follows;
 * - a cheap pre-filter on the envelope's access attributes (docs/security.md roles): an official
 *   or a partner receives events whose `agencyPath` holds their agency; a citizen, events whose
 *   `citizenIds` hold theirs; analysts and admins, all; anonymous callers, none. The owning
 *   subgraph's row rules then decide for real, as the receiver: this only skips work;
 * - an argument named as a key field of the event's entity (`code` of a Dossier) that the client
 *   set to another value skips the event too;
 * - a public field — its name holds the word `Public` (`dossierPublicStatusChanged`), fed by the
 *   event named without it (`DossierStatusChanged`) — reaches any receiver, anonymous included, but
 *   only when the subscription's arguments give every key field of the event's entity and each
 *   equals the event's (`code` = the dossier's code): one entity at a time, never a feed. What such
 *   a field returns must be as public as the lookup it mirrors (the subgraph's business).
 */
import { Kind, getOperationAST, valueFromASTUntyped } from 'graphql';
import type { DocumentNode, FieldNode, FragmentDefinitionNode, SelectionSetNode } from 'graphql';
import type { Caller } from '../../../common/identity';
import type { EventEnvelope } from '../../../common/events';

export function mayReceive(caller: Caller, event: EventEnvelope): boolean {
  switch (caller.role) {
    case 'admin':
    case 'analyst':
      return true;
    case 'official':
    case 'partner':
      return caller.agencyCode !== null && event.agencyPath.includes(caller.agencyCode);
    case 'citizen':
      return caller.citizenId !== null && event.citizenIds.includes(caller.citizenId);
    default:
      return false;
  }
}

const PUBLIC = /Public(?=[A-Z]|$)/;

/** Whether a subscription field is public (its name holds the word `Public`). */
export const isPublicField = (field: string): boolean => PUBLIC.test(field);

/**
 * The event type a subscription field is fed by: `dossierStatusChanged` → `DossierStatusChanged`,
 * and a public field's without the word `Public`: `dossierPublicStatusChanged` → the same.
 */
export const eventTypeOf = (field: string): string => {
  const name = field.replace(PUBLIC, '');
  return name.charAt(0).toUpperCase() + name.slice(1);
};

/** Whether a public field's subscription names exactly the event's entity (every key field, equal). */
export function namesEntity(root: RootField, event: EventEnvelope): boolean {
  const key = Object.entries(event.entity.key);
  return key.length > 0 && key.every(([name, value]) => String(root.args[name] ?? '') === value);
}

/** The pre-filter for one subscription: a public field by its key arguments, the others by role. */
export const mayReceiveOn = (root: RootField, caller: Caller, event: EventEnvelope): boolean =>
  isPublicField(root.name) ? namesEntity(root, event) : mayReceive(caller, event);

export interface RootField {
  /** The schema field (not its alias). */
  readonly name: string;
  /** Where `data` holds it: its alias, or its name. */
  readonly responseKey: string;
  /** Its arguments' values, variables substituted. */
  readonly args: Readonly<Record<string, unknown>>;
}

/** The one root field of a subscription operation (GraphQL allows exactly one), or undefined. */
export function subscriptionRoot(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): RootField | undefined {
  const operation = getOperationAST(document, operationName);
  if (!operation || operation.operation !== 'subscription') return undefined;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const field = firstField(operation.selectionSet, fragments, new Set());
  if (!field) return undefined;
  const args: Record<string, unknown> = {};
  for (const a of field.arguments ?? []) args[a.name.value] = valueFromASTUntyped(a.value, variables ?? {});
  return { name: field.name.value, responseKey: field.alias?.value ?? field.name.value, args };
}

function firstField(
  set: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  seen: Set<string>,
): FieldNode | undefined {
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) {
      if (s.name.value !== '__typename') return s;
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      const f = firstField(s.selectionSet, fragments, seen);
      if (f) return f;
    } else if (!seen.has(s.name.value)) {
      seen.add(s.name.value);
      const fragment = fragments.get(s.name.value);
      const f = fragment && firstField(fragment.selectionSet, fragments, seen);
      if (f) return f;
    }
  }
  return undefined;
}

/** Whether `event` may concern the subscription at all: its type, and its entity's key arguments. */
export function concerns(root: RootField, event: EventEnvelope): boolean {
  if (eventTypeOf(root.name) !== event.type) return false;
  for (const [name, value] of Object.entries(event.entity.key)) {
    const asked = root.args[name];
    if (asked !== undefined && asked !== null && String(asked) !== value) return false;
  }
  return true;
}

/** Orders two stream ids (`<ms>-<seq>`): negative when `a` comes first. */
export function compareStreamIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bm, bs] = b.split('-').map(BigInt) as [bigint, bigint];
  return am !== bm ? (am < bm ? -1 : 1) : as === bs ? 0 : as < bs ? -1 : 1;
}

/**
 * The access policy (docs/access-policy.md, machine-readable in docs/access-policy.json) held against
 * the committed supergraph: an anonymous caller, walking every route from the root types — nested
 * fields, entity fields other subgraphs contribute, every member of an interface or union — reaches
 * exactly the fields the policy lists as public, judged by the gateway's own reading of the
 * authorization directives. A new field reachable anonymously fails here, naming the route to it,
 * until the policy lists it (or a directive protects it). The portal's trusted documents stay inside
 * the public list.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { TypeInfo, parse, visit, visitWithTypeInfo } from 'graphql';
import { ANONYMOUS } from '../common/identity';
import { composeSupergraph } from '../schema/compose';
import { ROOT } from '../schema/registry';
import { reachableFields, supergraphSchema } from './support/reach';

interface Policy {
  reserved: { types: string[]; fields: string[] };
  anonymous: Record<string, { why: string; fields: string[] }>;
}

const policy = JSON.parse(readFileSync(path.join(ROOT, 'docs/access-policy.json'), 'utf8')) as Policy;
const supergraph = readFileSync(path.join(ROOT, 'schema/supergraph.graphql'), 'utf8');
const publicFields = new Set(
  Object.entries(policy.anonymous).flatMap(([type, { fields }]) => fields.map((f) => `${type}.${f}`)),
);
const reached = reachableFields(supergraph, ANONYMOUS);

test('every field an anonymous caller reaches, by any route, is one the policy lists as public', () => {
  const unlisted = [...reached.values()]
    .filter((r) => !publicFields.has(r.coordinate))
    .map((r) => `${r.coordinate} is reachable anonymously by ${r.path}`);
  expect(unlisted).toEqual([]);
});

test('every field the policy lists as public is reachable anonymously (no stale entry)', () => {
  const stale = [...publicFields].filter((c) => !reached.has(c));
  expect(stale).toEqual([]);
});

test('no reserved type or field is reachable anonymously, nor listed as public', () => {
  const reserved = (coordinate: string) =>
    policy.reserved.fields.includes(coordinate) || policy.reserved.types.includes(coordinate.split('.')[0]!);
  expect([...reached.keys()].filter(reserved)).toEqual([]);
  expect([...publicFields].filter(reserved)).toEqual([]);
  // The reserved names exist: a renamed type would otherwise be silently unprotected by this list.
  const schema = supergraphSchema(supergraph);
  const missing = [
    ...policy.reserved.types.filter((t) => !schema.getType(t)),
    ...policy.reserved.fields.filter((c) => {
      const [t, f] = c.split('.');
      const type = schema.getType(t!);
      return !type || !('getFields' in type) || !type.getFields()[f!];
    }),
  ];
  expect(missing).toEqual([]);
  // Every public type says why.
  for (const [type, entry] of Object.entries(policy.anonymous))
    expect([type, entry.why.length > 20]).toEqual([type, true]);
});

test('regression: the staff directory is not reachable through a published document signer', () => {
  expect(reached.has('Signer.fullName')).toBe(true);
  expect(reached.has('Signer.position')).toBe(true);
  expect(reached.has('Signer.official')).toBe(false);
  for (const c of ['Official.fullName', 'Official.mailbox', 'Official.documentsSigned', 'Query.official'])
    expect([c, reached.has(c)]).toEqual([c, false]);
});

test('regression: the scorecard aggregates are all equally public', () => {
  const aggregates = [
    'Agency.documentStats',
    'Agency.dossierStats',
    'Agency.mailStats',
    'Agency.landStats',
    'Agency.budget',
    'AdministrativeUnit.landStats',
    'Query.budgetDisclosure',
  ];
  expect(aggregates.filter((c) => !reached.has(c))).toEqual([]);
});

test("the portal's trusted documents select only public fields", () => {
  const schema = supergraphSchema(supergraph);
  const dir = path.join(ROOT, 'clients/portal');
  const outside: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.graphql'))) {
    const typeInfo = new TypeInfo(schema);
    visit(
      parse(readFileSync(path.join(dir, file), 'utf8')),
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const parent = typeInfo.getParentType();
          if (!parent || node.name.value.startsWith('__')) return;
          const coordinate = `${parent.name}.${node.name.value}`;
          if (!publicFields.has(coordinate)) outside.push(`${file}: ${coordinate}`);
        },
      }),
    );
  }
  expect(outside).toEqual([]);
});

describe('the walk itself (small supergraphs)', () => {
  const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9",
    import: ["@key", "@authenticated", "@requiresScopes", "@policy"])`;
  const walk = (...sdls: string[]) =>
    reachableFields(
      composeSupergraph(sdls.map((sdl, i) => ({ name: `s${i}`, url: `http://s${i}`, typeDefs: sdl }))),
      ANONYMOUS,
    );

  test('follows entity fields another subgraph contributes, and names the route', () => {
    const reachedHere = walk(
      `${LINK} type Query { doc: Doc } type Doc @key(fields: "id") { id: ID! signer: Person }
       type Person @key(fields: "id") { id: ID! }`,
      `${LINK} type Person @key(fields: "id") { id: ID! name: String mailbox: Box @authenticated }
       type Box { address: String }`,
    );
    expect(reachedHere.get('Person.name')?.path).toBe('Query.doc › Doc.signer › Person.name');
    expect(reachedHere.has('Person.mailbox')).toBe(false);
    expect(reachedHere.has('Box.address')).toBe(false);
  });

  test('a type-level directive protects every field returning the type', () => {
    const reachedHere = walk(
      `${LINK} type Query { doc: Doc } type Doc { id: ID! signer: Person }
       type Person @authenticated { name: String }`,
    );
    expect([...reachedHere.keys()].sort()).toEqual(['Doc.id', 'Query.doc']);
  });

  test('enters every member of a union and every implementation of an interface', () => {
    const reachedHere = walk(
      `${LINK} type Query { items: [Item!]! results: [Result!]! }
       interface Item { id: ID! }
       type File implements Item { id: ID! secret: String }
       union Result = File | Folder
       type Folder { owner: String @requiresScopes(scopes: [["x:read"]]) size: Int }`,
    );
    expect(reachedHere.get('File.secret')?.path).toBe('Query.items … on File › File.secret');
    expect(reachedHere.get('Folder.size')?.path).toBe('Query.results … on Folder › Folder.size');
    expect(reachedHere.has('Folder.owner')).toBe(false);
  });

  test('regression: a type-level directive holds when the type is spread from a union or interface', () => {
    // `... on Vault { label }` selects Vault.label without any field returning Vault: the gateway must
    // apply Vault's own requirement to its fields (gateway/features/authorization/requirements.ts).
    const reachedHere = walk(
      `${LINK} type Query { items: [Item!]! any: [Any!]! }
       interface Item { id: ID! }
       type File implements Item { id: ID! label: String }
       type Vault implements Item @authenticated { id: ID! label: String }
       union Any = File | Vault`,
    );
    expect([...reachedHere.keys()].filter((c) => c.startsWith('Vault.'))).toEqual([]);
    expect(reachedHere.has('File.label')).toBe(true);
  });
});

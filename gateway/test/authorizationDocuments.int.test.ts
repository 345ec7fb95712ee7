/**
 * The operation authorization rewrites, whatever its shape (features/authorization/rewrite.ts):
 * fragments, inline fragments, aliases, variables, interfaces and unions, a selection set left
 * empty; and no subgraph is asked for a removed field. Over the stack of
 * support/authorizationStack.ts.
 */
import { CALLERS, denied, gql, useAuthorizationStack } from './support/authorizationStack';

const stack = useAuthorizationStack();

test('fragments, inline fragments, aliases and variables: the denied fields are found wherever they are', async () => {
  const query = `query($id: ID!, $skip: Boolean!) {
    first: file(id: $id) { ...F  secret: classified }
    again: file(id: "f2") { ... on File { n: notes title } }
    hidden: me @skip(if: $skip)
  }
  fragment F on File { id title c: classified ... on File { notes } }`;
  const r = await gql(query, CALLERS.citizen, { id: 'f1', skip: true });
  expect(r.body.data).toEqual({
    first: { id: 'f1', title: 'Kế hoạch', c: 'mật', secret: 'mật', notes: null },
    again: { n: null, title: 'Báo cáo' },
  });
  expect(denied(r.body)).toEqual(['again.n', 'first.notes']);
  const anonymous = await gql(query, undefined, { id: 'f1', skip: false });
  expect(denied(anonymous.body)).toEqual(['again.n', 'first.c', 'first.notes', 'first.secret', 'hidden']);
  expect(anonymous.body.data.first).toEqual({
    id: 'f1',
    title: 'Kế hoạch',
    c: null,
    secret: null,
    notes: null,
  });
});

test('interfaces: asking through the interface needs what every implementation needs; per type otherwise', async () => {
  const through = await gql('{ items { id label } }');
  expect(through.body.data).toEqual({
    items: [
      { id: 'f1', label: null },
      { id: 'd1', label: null },
    ],
  });
  expect(denied(through.body)).toEqual(['items.label']);
  // Per type condition, only the Folder loses its label; the File keeps it (no placeholder shows).
  const perType = await gql('{ items { id ... on File { label } ... on Folder { folder: label } } }');
  expect(perType.body.data).toEqual({
    items: [
      { id: 'f1', label: 'tệp' },
      { id: 'd1', folder: null },
    ],
  });
  expect(denied(perType.body)).toEqual(['items.folder']);
  const signedIn = await gql('{ items { id label } }', CALLERS.citizen);
  expect(signedIn.body).toEqual({
    data: {
      items: [
        { id: 'f1', label: 'tệp' },
        { id: 'd1', label: 'thư mục' },
      ],
    },
  });
});

test('regression: a type-level directive holds for a type spread from a union, where no field returns it', async () => {
  const query = '{ entries { ... on File { id } ... on Vault { code } } }';
  const anonymous = await gql(query);
  expect(anonymous.body.data).toEqual({ entries: [{ id: 'f1' }, { code: null }] });
  expect(denied(anonymous.body)).toEqual(['entries.code']);
  const signedIn = await gql(query, CALLERS.citizen);
  expect(signedIn.body).toEqual({ data: { entries: [{ id: 'f1' }, { code: 'V-1' }] } });
});

test('a selection set left empty still answers, without the placeholder', async () => {
  const r = await gql('{ file(id: "f2") { classified } }');
  expect(r.body.data).toEqual({ file: { classified: null } });
  expect(JSON.stringify(r.body)).not.toContain('_authz');
});

test('no subgraph is asked for a removed field', async () => {
  const before = stack.notes.requestIds.length;
  const r = await gql('{ file(id: "f1") { id title notes } }', CALLERS.citizen);
  expect(r.body.data).toEqual({ file: { id: 'f1', title: 'Kế hoạch', notes: null } });
  expect(stack.notes.requestIds.length).toBe(before);
  const allowed = await gql('{ file(id: "f1") { id title notes } }', CALLERS.official);
  expect(allowed.body.data.file.notes).toEqual(['note of f1']);
  expect(stack.notes.requestIds.length).toBe(before + 1);
});

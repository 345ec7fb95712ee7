/**
 * Authorization directives enforced by the gateway (features/authorization/), over two small
 * subgraphs whose SDL uses every directive kind (support/authorizationStack.ts): what each role gets,
 * partial data with errors, null propagation, a registered policy, mutations, the role → scope table
 * and a supergraph naming an unknown policy. How the operation is rewritten, whatever its shape:
 * authorizationDocuments.int.test.ts.
 */
import { readFileSync } from 'node:fs';
import { loadGatewayConfig } from '../config';
import { createGateway } from '../server';
import {
  CALLERS,
  denied,
  features,
  gql,
  logger,
  startGateway,
  useAuthorizationStack,
  writeSupergraph,
  CATALOG_SDL,
} from './support/authorizationStack';

const stack = useAuthorizationStack();

test('the composed supergraph links the security features for: SECURITY, and the gateway loads it', async () => {
  expect(readFileSync(stack.supergraphFile, 'utf8')).toMatch(
    /@link\(url: "https:\/\/specs\.apollo\.dev\/authenticated\/v0\.1", for: SECURITY\)/,
  );
  expect((await gql('{ notice }')).body).toEqual({ data: { notice: 'Thông báo công khai' } });
});

test('anonymous: public fields answer, @authenticated ones are null with an error at their path', async () => {
  const r = await gql('{ notice me stamp files { id classified } }');
  expect(r.status).toBe(200);
  expect(r.body.data).toEqual({
    notice: 'Thông báo công khai',
    me: null,
    stamp: null,
    files: [
      { id: 'f1', classified: null },
      { id: 'f2', classified: null },
    ],
  });
  // One error per removed field; list paths carry no indices.
  expect(denied(r.body)).toEqual(['files.classified', 'me', 'stamp']);
  const unauthorized = (coordinate: string, path: string[]) => ({
    message: `Unauthorized field or type: ${coordinate}`,
    path,
    extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
  });
  expect([...r.body.errors!].sort((a, b) => a.message.localeCompare(b.message))).toEqual([
    unauthorized('File.classified', ['files', 'classified']),
    unauthorized('Query.me', ['me']),
    unauthorized('Query.stamp', ['stamp']),
  ]);
});

test('each role sees exactly what its directives allow', async () => {
  const query = `{ me stamp people { name } files { id classified localNote notes } }`;
  const expected: Record<string, string[]> = {
    anonymous: ['files.classified', 'files.localNote', 'files.notes', 'me', 'people', 'stamp'],
    citizen: ['files.localNote', 'files.notes', 'people'], // citizens imply dossiers:read only
    official: [],
    otherOfficial: ['files.localNote'],
    analyst: ['files.localNote', 'files.notes'],
    partner: ['files.localNote', 'files.notes'],
    admin: ['files.localNote'],
  };
  for (const [who, paths] of Object.entries(expected)) {
    const r = await gql(query, CALLERS[who]);
    expect([who, denied(r.body)]).toEqual([who, paths]);
    if (!paths.includes('people')) expect(r.body.data.people).toEqual([{ name: 'Nguyễn Văn An' }]);
    if (!paths.includes('files.notes')) expect(r.body.data.files[0].notes).toEqual(['note of f1']);
  }
});

test('@requiresScopes is an OR of ANDs over the token scopes and the scopes implied by role', async () => {
  const partner = (scope: string) => ({ role: 'partner', agency: '000.00.21.H26', scope });
  const people = [{ name: 'Nguyễn Văn An' }];
  // [["documents:read"], ["people:read", "registry:read"]]
  expect((await gql('{ people { name } }', partner('documents:read'))).body).toEqual({ data: { people } });
  expect((await gql('{ people { name } }', partner('registry:read people:read'))).body).toEqual({
    data: { people },
  });
  const half = await gql('{ people { name } }', partner('people:read'));
  expect(half.body.data).toEqual({ people: null });
  expect(denied(half.body)).toEqual(['people']);
  // An analyst's role implies documents:read (the default table).
  expect((await gql('{ people { name } }', CALLERS.analyst)).body).toEqual({ data: { people } });
});

test('a non-null field denied makes its nearest nullable parent null', async () => {
  const r = await gql('{ notice file(id: "f1") { id auditCode } }', CALLERS.official);
  expect(r.body.data).toEqual({ notice: 'Thông báo công khai', file: null });
  expect(denied(r.body)).toEqual(['file.auditCode']);
  // In a list of non-null items inside a non-null list, the propagation reaches `data`.
  const all = await gql('{ notice files { auditCode } }', CALLERS.official);
  expect(all.body.data).toBeNull();
  expect(denied(all.body)).toEqual(['files.auditCode']);
  const admin = await gql('{ file(id: "f1") { auditCode } }', CALLERS.admin);
  expect(admin.body).toEqual({ data: { file: { auditCode: 'A-1' } } });
});

test('a mutation without an official: null with an error, and nothing is executed', async () => {
  const before = stack.catalog.requestIds.length;
  const r = await gql('mutation { publish(title: "x") { id } }');
  expect(r.status).toBe(200);
  expect(r.body.data).toBeNull();
  expect(denied(r.body)).toEqual(['publish']);
  for (const who of ['citizen', 'analyst', 'partner', 'admin']) {
    expect(denied((await gql('mutation { publish(title: "x") { id } }', CALLERS[who])).body)).toEqual([
      'publish',
    ]);
  }
  expect(stack.catalog.requestIds.length).toBe(before);
  const ok = await gql('mutation { publish(title: "Quyết định") { title } }', CALLERS.official);
  expect(ok.body).toEqual({ data: { publish: { title: 'Quyết định' } } });
});

test('GATEWAY_ROLE_SCOPES replaces the role → scope table', async () => {
  const custom = await startGateway({ GATEWAY_ROLE_SCOPES: 'citizen=documents:read;official=' });
  expect((await gql('{ people { name } }', CALLERS.citizen, {}, custom)).body.data.people).toHaveLength(1);
  expect(denied((await gql('{ people { name } }', CALLERS.official, {}, custom)).body)).toEqual(['people']);
  expect(() => loadGatewayConfig({ GATEWAY_ROLE_SCOPES: 'mayor=people:read' }, [], features)).toThrow(
    /GATEWAY_ROLE_SCOPES.*"mayor" is not a role/,
  );
});

test('a supergraph naming a policy nobody registered stops start-up with a clear message', async () => {
  const file = writeSupergraph(CATALOG_SDL.replace('[["admin"]]', '[["treasurer"]]'));
  const config = loadGatewayConfig({ SUPERGRAPH_PATH: file, GATEWAY_PORT: '0' }, [], features);
  const gateway = createGateway(config, { logger, features });
  await expect(gateway.start()).rejects.toThrow(
    /SUPERGRAPH_PATH.*@policy names "treasurer", which no policy is registered for/,
  );
});

/**
 * The access policy (docs/access-policy.md) on what `npm start` runs, as the outside tester met it
 * (issue 14, finding 9): an anonymous caller without a token, trusted documents off (the default).
 * A published document's signature block answers but the directory behind it does not; the scorecard
 * aggregates all answer, with the figures an analyst gets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signDevToken } from '../scripts/devKeys';
import { startStack } from './support/stack';
import type { Stack } from './support/stack';

jest.setTimeout(300_000);

const dataDir = mkdtempSync(path.join(tmpdir(), 'govgraph-e2e-access-'));
let stack: Stack;

async function gql(query: string, variables: Record<string, unknown> = {}, analyst = false): Promise<any> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (analyst) headers.authorization = `Bearer ${await signDevToken(dataDir, { role: 'analyst' })}`;
  const res = await fetch(stack.gateway, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  expect(res.status).toBe(200);
  return res.json();
}

beforeAll(async () => {
  stack = await startStack(dataDir);
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('regression: anonymous `document { signer { official } }` gets the signature block, not the staff directory', async () => {
  const found = await gql(
    `{ documents(first: 20, filter: { agencyCode: "000.00.94.H18", direction: OUTGOING }) {
      nodes { id signer { fullName position official { id } } } } }`,
    {},
    true,
  );
  const doc = found.data.documents.nodes.find((d: any) => d.signer?.official);
  expect(doc.signer.official.id).toMatch(/^\d{3}\.\d{2}\.94\.H18\/[1-3]$/);
  const r = await gql(
    `query($id: ID!) { document(id: $id) { signer { fullName position
      official { fullName position employmentType activeFrom mailbox { address } } } } }`,
    { id: doc.id },
  );
  expect(r.data).toEqual({
    document: { signer: { fullName: doc.signer.fullName, position: doc.signer.position, official: null } },
  });
  expect(r.errors.map((e: any) => [e.extensions.code, e.path.join('.')])).toEqual([
    ['UNAUTHORIZED_FIELD_OR_TYPE', 'document.signer.official'],
  ]);
  const direct = await gql(`{ official(id: "${doc.signer.official.id}") { fullName } }`);
  expect(direct.errors.map((e: any) => [e.extensions.code, e.path.join('.')])).toEqual([
    ['UNAUTHORIZED_FIELD_OR_TYPE', 'official'],
  ]);
});

test('regression: every scorecard aggregate answers anonymously, as it answers an analyst', async () => {
  const query = `{ agency(code: "000.00.21.H26") { name
    documentStats(period: { from: "2014-01-01", to: "2014-12-31" }) { electronicRatio }
    dossierStats(period: { from: "2014-01-01", to: "2014-12-31" }, includeSubordinates: true) { received onTimeRatio }
    mailStats(period: { from: "2014-01-01", to: "2014-12-31" }, includeSubordinates: true) { mailboxCoverage }
    landStats(period: { from: "2020-01-01", to: "2020-12-31" }, includeSubordinates: true) { parcelCount digitisedRatio }
    budget(year: 2024) { executionRate } } }`;
  const anonymous = await gql(query);
  expect(anonymous.errors).toBeUndefined();
  expect(anonymous.data).toEqual((await gql(query, {}, true)).data);
  // The published figures of the README's headline: Bắc Từ Liêm 2014.
  expect(anonymous.data.agency).toMatchObject({
    name: 'Ủy ban nhân dân quận Bắc Từ Liêm',
    documentStats: { electronicRatio: 0.9 },
    mailStats: { mailboxCoverage: 1 },
  });
});

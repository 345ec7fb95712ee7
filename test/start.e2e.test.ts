/**
 * End to end: the processes `npm start` runs (every registered subgraph and the gateway, each its own
 * process, embedded storage), queried over HTTP; then stopped with Ctrl-C (SIGINT) and started again
 * on the same data directory to show that nothing is lost and the seed does not run twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadRegistry } from '../schema/registry';
import { signDevToken } from '../scripts/devKeys';
import { startStack } from './support/stack';
import type { Stack } from './support/stack';

const DIEN_BIEN_OFFICIAL = { role: 'official', agency: '000.00.00.H18' };
const ANALYST = { role: 'analyst' }; // documents need documents:read
const asAnalyst = async (): Promise<string> => `Bearer ${await signDevToken(dataDir, ANALYST)}`;
const dataDir = mkdtempSync(path.join(tmpdir(), 'govgraph-e2e-'));
let running: Stack | null = null;

/** With a development token: reads as an analyst, mutations as an official of the agency concerned. */
async function gql(url: string, query: string, authorization?: string): Promise<any> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query }),
  });
  expect(res.status).toBe(200);
  return res.json();
}

afterAll(async () => {
  await running?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('npm start serves the federated graph, stops on Ctrl-C, and keeps data across restarts', async () => {
  const first = (running = await startStack(dataDir));
  expect(first.output()).toMatch(/govgraph is up \(\d+\.\d s\)/);
  for (const e of loadRegistry()) expect(first.output()).toContain(`${e.name}:`);

  const scorecard = await gql(
    first.gateway,
    `{ agency(code: "000.00.21.H26") { name documentStats(period: {from: "2014-01-01", to: "2014-12-31"}) { electronicRatio }
       legacyReceipts(first: 1) { totalCount nodes { number } } } }`,
    await asAnalyst(),
  );
  // legacyReceipts: the connector subgraph legacy-mc, its stand-in vendor system started by npm start.
  expect(scorecard.data.agency).toEqual({
    name: 'Ủy ban nhân dân quận Bắc Từ Liêm',
    documentStats: { electronicRatio: 0.9 },
    legacyReceipts: { totalCount: 83, nodes: [{ number: 'BL-000.00.21.H26-0001' }] },
  });

  const page = await fetch(first.graphiql);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('govgraph');

  const issued = await gql(
    first.gateway,
    `mutation { issueOutgoingDocument(input: { agencyCode: "000.00.00.H18", typeCode: "KH",
    subject: "Kế hoạch chuyển đổi số năm 2006", issuedDate: "2006-01-04", signer: { officialId: "000.00.00.H18/1" }, electronic: true }) { id numberSymbol } }`,
    `Bearer ${await signDevToken(dataDir, DIEN_BIEN_OFFICIAL)}`,
  );
  expect(issued.data.issueOutgoingDocument.numberSymbol).toBe('1/KH-UBND');
  const count = (
    await gql(
      first.gateway,
      `{ agency(code: "000.00.00.H18") { documentStats(period: {from: "2013-01-01", to: "2034-12-31"}) { outgoingTotal } } }`,
      await asAnalyst(),
    )
  ).data.agency.documentStats.outgoingTotal;

  expect(await first.stop()).toBe(0);

  const second = (running = await startStack(dataDir));
  const again = await gql(
    second.gateway,
    `{ document(id: "${issued.data.issueOutgoingDocument.id}") { numberSymbol subject }
    agency(code: "000.00.00.H18") { documentStats(period: {from: "2013-01-01", to: "2034-12-31"}) { outgoingTotal } } }`,
    await asAnalyst(),
  );
  expect(again.data.document).toEqual({
    numberSymbol: '1/KH-UBND',
    subject: 'Kế hoạch chuyển đổi số năm 2006',
  });
  expect(again.data.agency.documentStats.outgoingTotal).toBe(count); // not seeded twice
  expect(await second.stop()).toBe(0);
}, 240_000);

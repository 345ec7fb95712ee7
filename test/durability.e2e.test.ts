/**
 * Nothing committed is lost when processes die, and nothing is left behind: `kill -9` of `npm start`
 * stops its database server and subgraphs too; after a crash of the database server itself (kill -9
 * of the postmaster), a restart on the same data directory still has every committed mutation.
 */
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { embeddedServerRunning } from '../kit/embedded-postgres';
import { signDevToken } from '../scripts/devKeys';
import { startStack } from './support/stack';
import type { Stack } from './support/stack';

const DIEN_BIEN_OFFICIAL = { role: 'official', agency: '000.00.00.H18' };
const dataDir = mkdtempSync(path.join(tmpdir(), 'govgraph-kill-'));
const pgDir = path.join(dataDir, 'postgres');
let running: Stack | null = null;

/** As an anonymous client, or with a development token (mutations: an official of the agency concerned). */
async function gql(url: string, query: string, authorization?: string): Promise<any> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query }),
  });
  return res.json();
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return check();
}

const issue = async (url: string, subject: string) =>
  gql(
    url,
    `mutation { issueOutgoingDocument(input: { agencyCode: "000.00.00.H18", typeCode: "KH", subject: "${subject}",
    issuedDate: "2005-01-04", signer: { officialId: "000.00.00.H18/1" }, electronic: true }) { id numberSymbol } }`,
    `Bearer ${await signDevToken(dataDir, DIEN_BIEN_OFFICIAL)}`,
  );

afterAll(async () => {
  await running?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('kill -9 of npm start leaves no database server, subgraph or gateway running', async () => {
  running = await startStack(dataDir);
  const health = [
    running.gateway,
    ...[...running.output().matchAll(/^ {2}[a-z-]+:\s+(\S+)$/gm)].map((m) => m[1]!),
  ]
    .filter((u) => u.endsWith('/graphql'))
    .map((u) => u.replace(/\/graphql$/, '/health'));
  expect(health.length).toBeGreaterThanOrEqual(2); // the gateway and every subgraph
  expect(embeddedServerRunning(pgDir)).toBe(true);
  await running.kill9();
  expect(await waitFor(() => !embeddedServerRunning(pgDir), 10_000)).toBe(true);
  for (const url of health) {
    const refused = async (): Promise<boolean> =>
      fetch(url).then(
        () => false,
        () => true,
      );
    const deadline = Date.now() + 10_000;
    while (!(await refused()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect({ url, refused: await refused() }).toEqual({ url, refused: true });
  }
}, 120_000);

test('a document issued just before the database server crashes is there after the restart, its number not reused', async () => {
  running = await startStack(dataDir);
  const before = await issue(running.gateway, 'Kế hoạch trước sự cố');
  expect(before.data.issueOutgoingDocument.numberSymbol).toBe('1/KH-UBND');
  const postmaster = Number(readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  process.kill(postmaster, 'SIGKILL'); // a crash: no shutdown checkpoint, recovery from the WAL
  await running.kill9();

  running = await startStack(dataDir);
  const found = await gql(
    running.gateway,
    `{ document(id: "${before.data.issueOutgoingDocument.id}") { numberSymbol subject } }`,
  );
  expect(found.data.document).toEqual({ numberSymbol: '1/KH-UBND', subject: 'Kế hoạch trước sự cố' });
  const after = await issue(running.gateway, 'Kế hoạch sau sự cố');
  expect(after.data.issueOutgoingDocument.numberSymbol).toBe('2/KH-UBND');
  expect(await running.stop()).toBe(0);
  running = null;
  expect(embeddedServerRunning(pgDir)).toBe(false); // Ctrl-C stops the server too
}, 180_000);

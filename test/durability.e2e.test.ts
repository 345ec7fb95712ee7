/**
 * Nothing committed is lost when a subgraph process dies: a mutation answered before `kill -9` is
 * there after a restart on the same embedded data directory.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadRegistry, mainPath } from '../schema/registry';

const dataDir = mkdtempSync(path.join(tmpdir(), 'govgraph-kill-'));
const entry = loadRegistry().find((e) => e.name === 'documents')!;
let proc: ChildProcess | null = null;

function start(): Promise<string> {
  proc = fork(mainPath(entry), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, SEED_SCALE: '0.02', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    proc!.on('message', (m: { type?: string; url?: string }) => m.type === 'listening' && resolve(m.url!));
    proc!.on('exit', (code) => reject(new Error(`documents exited with ${code}`)));
  });
}

function kill9(): Promise<void> {
  return new Promise((resolve) => {
    proc!.removeAllListeners('exit');
    proc!.once('exit', () => resolve());
    proc!.kill('SIGKILL');
  });
}

async function gql(url: string, query: string): Promise<any> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return res.json();
}

afterAll(async () => {
  if (proc && proc.exitCode === null && proc.signalCode === null) await kill9();
  rmSync(dataDir, { recursive: true, force: true });
});

test('a document issued just before kill -9 is there after the restart, and its number is not reused', async () => {
  let url = await start();
  const issue = (subject: string) =>
    gql(
      url,
      `mutation { issueOutgoingDocument(input: { agencyCode: "000.00.00.H18", typeCode: "KH", subject: "${subject}",
      issuedDate: "2035-01-02", signer: { fullName: "Lò Văn Thắng" }, electronic: true }) { id numberSymbol } }`,
    );
  const before = await issue('Kế hoạch trước sự cố');
  expect(before.data.issueOutgoingDocument.numberSymbol).toBe('1/KH-UBND');
  await kill9();

  url = await start();
  const found = await gql(
    url,
    `{ document(id: "${before.data.issueOutgoingDocument.id}") { numberSymbol subject } }`,
  );
  expect(found.data.document).toEqual({ numberSymbol: '1/KH-UBND', subject: 'Kế hoạch trước sự cố' });
  const after = await issue('Kế hoạch sau sự cố');
  expect(after.data.issueOutgoingDocument.numberSymbol).toBe('2/KH-UBND');
}, 120_000);

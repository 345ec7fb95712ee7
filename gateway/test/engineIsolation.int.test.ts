/**
 * The govgraph engine owns its supergraph (issue 15): a gateway process started with
 * GATEWAY_ENGINE=govgraph constructs no ApolloGateway and loads no module under
 * @apollo/gateway/dist, from start-up through a query that fetches a subgraph to shutdown. The same
 * probe (test/support/moduleProbe.js, preloaded with `node --require`) run on GATEWAY_ENGINE=apollo
 * sees stock @apollo/gateway load and construct one, so the probe itself can fail.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { composeSupergraph } from '../../schema/compose';

jest.setTimeout(90_000);

const ROOT = path.resolve(__dirname, '../..');
const PROBE = path.join(ROOT, 'test/support/moduleProbe.js');

interface ProbeReport {
  loaded: string[];
  constructed: number;
}

let dir: string;
let subgraph: Server;
let supergraphPath: string;
let subgraphRequests: { query: string }[];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'engine-isolation-'));
  subgraphRequests = [];
  // A real HTTP subgraph that answers the one field of the supergraph.
  subgraph = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      subgraphRequests.push(JSON.parse(body) as { query: string });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ data: { greeting: 'xin chào' } }));
    });
  });
  await new Promise<void>((resolve) => subgraph.listen(0, '127.0.0.1', resolve));
  const { port } = subgraph.address() as AddressInfo;
  supergraphPath = path.join(dir, 'supergraph.graphql');
  writeFileSync(
    supergraphPath,
    composeSupergraph([
      {
        name: 'greetings',
        url: `http://127.0.0.1:${port}/graphql`,
        typeDefs: `
          extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
          type Query { greeting: String }
        `,
      },
    ]),
  );
});

afterAll(async () => {
  await new Promise((resolve) => subgraph.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** Starts gateway/main.ts under the probe, asks `{ greeting }`, stops it; the answer and the probe's report. */
async function runGateway(engine: 'govgraph' | 'apollo'): Promise<{ answer: unknown; report: ProbeReport }> {
  const out = path.join(dir, `probe-${engine}.json`);
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--require',
      PROBE,
      '--import',
      'tsx',
      path.join(ROOT, 'gateway/main.ts'),
      '--supergraph',
      supergraphPath,
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        GATEWAY_ENGINE: engine,
        GATEWAY_PORT: '0',
        GATEWAY_HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        MODULE_PROBE_OUT: out,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /Gateway ready at (\S+)/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      void exited.then((code) => reject(new Error(`gateway exited with ${code}: ${stderr}`)));
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ greeting }' }),
    });
    const answer: unknown = await response.json();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    return { answer, report: JSON.parse(readFileSync(out, 'utf8')) as ProbeReport };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

test('GATEWAY_ENGINE=govgraph constructs no ApolloGateway and loads no module of @apollo/gateway/dist', async () => {
  const before = subgraphRequests.length;
  const { answer, report } = await runGateway('govgraph');
  expect(answer).toEqual({ data: { greeting: 'xin chào' } });
  expect(subgraphRequests.length).toBe(before + 1); // the query went to the subgraph
  expect(report).toEqual({ loaded: [], constructed: 0 });
});

test('the probe sees stock @apollo/gateway when GATEWAY_ENGINE=apollo (so it can fail)', async () => {
  const { answer, report } = await runGateway('apollo');
  expect(answer).toEqual({ data: { greeting: 'xin chào' } });
  expect(report.constructed).toBe(1);
  expect(report.loaded).toEqual(
    expect.arrayContaining(['index.js', 'dataRewrites.js', 'datasources/types.js']),
  );
});

/**
 * docs/partners.md's worked example, run as written: its shell commands, from a temporary folder
 * outside this repository, against a registry process that serves this repository's graph (published
 * by the platform with an official token), with a partner token of agency 000.00.00.H62. The doc's
 * placeholders are replaced: `<govgraph>/dist/schema-cli.mjs` by the CLI bundled as `npm run build`
 * bundles it, `<govgraph>` by this repository, `<partner token>` by the token, the registry URL it
 * exports by the test registry's.
 * Each command's exit code, and the output lines its `#   ` comments show, are checked.
 */
import { generateKeyPairSync } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateGatewayKeys } from '../common/identity';
import { createTestDatabase } from '../kit/testing';
import type { TestDatabase } from '../kit/testing';
import { call, OFFICIAL, tokenFor } from '../registry/test/support';
import type { TestRegistry } from '../registry/test/support';
import { ROOT } from '../schema/registry';
import { registeredSources } from '../scripts/compose';
import { shellSteps } from './support/markdown';
import { killStarted, startRegistryProcess } from './support/registryProcesses';
import { bundleSchemaCli } from '../scripts/build';

jest.setTimeout(180_000);

const DOC_REGISTRY = 'http://127.0.0.1:4400';
const PARTNER = { sub: 'partner-permits-ci', role: 'partner', agency: '000.00.00.H62' };
let db: TestDatabase;
let registry: { url: string };
let partner: string;
let dir: string;
/** Where the test bundles the CLI, as `npm run build` writes dist/schema-cli.mjs. */
let cliDir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const idp = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  registry = await startRegistryProcess({
    REGISTRY_DATABASE_URL: db.url,
    REGISTRY_SIGNING_KEY: generateGatewayKeys().privateKey,
    REGISTRY_JWT_PUBLIC_KEY: idp.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  });
  const asIdp = { idp: { privateKey: idp.privateKey } } as TestRegistry;
  const official = await tokenFor(asIdp, OFFICIAL);
  partner = await tokenFor(asIdp, PARTNER);
  for (const source of registeredSources()) {
    const answer = await call(
      registry,
      'POST',
      `/v1/environments/production/subgraphs/${source.name}/publish`,
      {
        token: official,
        body: { sdl: source.typeDefs, url: source.url },
      },
    );
    expect({ name: source.name, status: answer.status }).toEqual({ name: source.name, status: 200 });
  }
  dir = mkdtempSync(path.join(os.tmpdir(), 'partners-doc-'));
  cliDir = mkdtempSync(path.join(os.tmpdir(), 'partners-doc-cli-'));
  await bundleSchemaCli(path.join(cliDir, 'schema-cli.mjs'));
});
afterAll(async () => {
  killStarted();
  await db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (cliDir) rmSync(cliDir, { recursive: true, force: true });
});

/** A line as the doc shows it, as a pattern: `…` anything, `<hash>` a sha256; runs of spaces alike. */
const pattern = (line: string) =>
  new RegExp(
    `^${line
      .split(/(…|<hash>|\s+)/)
      .map((part) =>
        part === '…'
          ? '.*'
          : part === '<hash>'
            ? '[0-9a-f]{64}'
            : /^\s+$/.test(part)
              ? '\\s+'
              : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('')}$`,
  );

test("the worked example's commands print what the doc shows and exit as it says", () => {
  const steps = shellSteps(
    readFileSync(path.join(ROOT, 'docs/partners.md'), 'utf8'),
    '## Worked example: the permits fixture as an external project',
  );
  // What the doc runs: set-up lines, then the CLI's commands in this order.
  expect(steps).toHaveLength(10);
  expect(
    steps.filter((s) => s.command.startsWith('node schema-cli.mjs')).map((s) => s.command.split(' ')[2]),
  ).toEqual(['check', 'publish', 'versions', 'check', 'publish']);
  // One shell for the whole example (cd and export carry over); a marker and $? after each command.
  const script = [
    'exec 2>&1',
    ...steps.flatMap((s, i) => [
      `echo "@@step ${i}"`,
      s.command
        .replace('<govgraph>/dist/schema-cli.mjs', path.join(cliDir, 'schema-cli.mjs'))
        .replaceAll('<govgraph>', ROOT)
        .replace('<partner token>', partner)
        .replace(DOC_REGISTRY, registry.url),
      `echo "@@exit $?"`,
    ]),
  ].join('\n');
  const run = spawnSync('bash', ['-c', script], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: dir },
    encoding: 'utf8',
  });
  const outputs = run.stdout.split(/^@@step \d+\n/m).slice(1);
  expect(outputs).toHaveLength(steps.length);
  steps.forEach((step, i) => {
    const lines = outputs[i]!.trimEnd().split('\n');
    const exit = Number(/^@@exit (\d+)$/.exec(lines.pop()!)?.[1]);
    expect({
      command: step.command,
      exit,
      printed: exit === step.exitCode ? 'as the doc says' : lines,
    }).toEqual({
      command: step.command,
      exit: step.exitCode,
      printed: 'as the doc says',
    });
    // The doc's lines, in order, among the lines printed (stdout and stderr).
    let at = 0;
    for (const expected of step.output) {
      const found = lines.findIndex((l, j) => j >= at && pattern(expected).test(l.trim()));
      expect({ command: step.command, expected, printed: found >= 0 ? 'yes' : lines }).toEqual({
        command: step.command,
        expected,
        printed: 'yes',
      });
      at = found + 1;
    }
  });
});

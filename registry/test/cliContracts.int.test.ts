/**
 * The CLI's `contract` command as a partner or the platform runs it: the bundled CLI (dist/schema-cli.mjs, as `npm run build` writes it) copied alone
 * outside this repository and run as a process against a registry over HTTP — set (the options given
 * replace those parts), print, the contract's schema, delete, refusals with their exit codes — and the
 * same on a local contracts file the gateway reads (`--file`), without a registry.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseContractDefinitions } from '../../schema/contracts';
import { call, OFFICIAL, PARTNER, startTestRegistry, tokenFor } from './support';
import type { TestRegistry } from './support';
import { bundleSchemaCli } from '../../scripts/build';

jest.setTimeout(120_000);

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@tag"])';
let registry: TestRegistry;
let dir: string;
let partner: string;
let official: string;

beforeAll(async () => {
  registry = await startTestRegistry();
  partner = await tokenFor(registry, PARTNER);
  official = await tokenFor(registry, OFFICIAL);
  dir = mkdtempSync(path.join(os.tmpdir(), 'contracts-ci-'));
  await bundleSchemaCli(path.join(dir, 'schema-cli.mjs'));
  for (const [name, sdl] of [
    [
      'agencies',
      `${LINK}\ntype Agency @key(fields: "code") { code: ID! name: String! }\ntype Query { agency(code: ID!): Agency }`,
    ],
    [
      'permits',
      `${LINK}\ntype Permit @tag(name: "permits") { number: ID! }\ntype Query { permit(number: ID!): Permit @tag(name: "permits") }`,
    ],
  ])
    expect(
      await call(registry, 'POST', `/v1/environments/production/subgraphs/${name}/publish`, {
        token: official,
        body: { sdl, url: `http://${name}.test/graphql` },
      }),
    ).toMatchObject({ status: 200 });
});
afterAll(async () => {
  await registry.close();
  rmSync(dir, { recursive: true, force: true });
});

function schema(args: string[], token = official): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['schema-cli.mjs', ...args],
      {
        cwd: dir,
        env: { PATH: process.env.PATH, GOVGRAPH_REGISTRY_URL: registry.url, GOVGRAPH_REGISTRY_TOKEN: token },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

test('set, amend, print, schema and delete a contract in the registry, with exit codes', async () => {
  expect(await schema(['contract', 'shop', '--exclude', 'permits', '--partners', PARTNER.agency])).toEqual({
    code: 0,
    stdout: `✓ contract shop (production, revision 1): include -; exclude permits; partners ${PARTNER.agency}\n  1 Query fields on the current graph\n`,
    stderr: '',
  });
  // Only the partners change; the tags are kept.
  expect(await schema(['contract', 'shop', `--partners=${PARTNER.agency},scope:shop:read`])).toMatchObject({
    code: 0,
    stdout: expect.stringContaining(
      `revision 2): include -; exclude permits; partners ${PARTNER.agency},scope:shop:read`,
    ),
  });
  // A tag nothing carries: set, with a warning.
  const typo = await schema(['contract', 'typo', '--exclude', 'permitz']);
  expect(typo.code).toBe(0);
  expect(typo.stderr).toBe(
    '  warning: nothing in the current graph carries permitz (a misspelt tag excludes nothing)\n',
  );

  // The partner reads its contract and the schema it is served.
  expect(await schema(['contract', 'shop'], partner)).toMatchObject({
    code: 0,
    stdout: `✓ contract shop (production, revision 2): include -; exclude permits; partners ${PARTNER.agency}\n`,
  });
  const sdl = await schema(['contract', 'shop', '--schema'], partner);
  expect(sdl.code).toBe(0);
  expect(sdl.stdout).toContain('agency(code: ID!): Agency');
  expect(sdl.stdout).not.toContain('permit');

  // Refusals: an empty contract fails as a check does (1); the rest exit 2 with one line.
  expect(await schema(['contract', 'nothing', '--include', 'nope'])).toMatchObject({
    code: 1,
    stderr:
      '✗ contract nothing (production): CONTRACT_EMPTY: contract "nothing" leaves no Query field on the current graph of production\n',
  });
  for (const [args, token, message] of [
    [
      ['contract', 'mine', '--exclude', 'permits'],
      partner,
      'FORBIDDEN: a partner token may not change contracts',
    ],
    [['contract', 'typo'], partner, 'NOT_FOUND: no contract "typo" in production'],
    [['contract', 'other', '--exclude', 'x', '--partners', PARTNER.agency], official, 'CONTRACT_CONFLICT'],
    [['contract', 'shop', '--schema', '--delete'], official, 'not several'],
    [['contract', 'Shop'], official, 'contract needs a name'],
  ] as const) {
    const result = await schema([...args], token);
    expect({ args, code: result.code }).toEqual({ args, code: 2 });
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }

  expect(await schema(['contract', 'typo', '--delete'])).toMatchObject({
    code: 0,
    stdout: '✓ contract typo (production): deleted (was revision 1)\n',
  });
  // A contract still served to partners is not deleted (exit 1, as a failed check); with its
  // partners set to none first, it is.
  expect(await schema(['contract', 'shop', '--delete'])).toEqual({
    code: 1,
    stdout: '',
    stderr: `✗ contract shop (production): CONTRACT_IN_USE: contract "shop" is still served to ${PARTNER.agency}, scope:shop:read in production: give them another contract, or set its partners to none first (they would then see the whole graph)\n`,
  });
  expect(await schema(['contract', 'shop', '--partners', ''])).toMatchObject({
    code: 0,
    stdout: expect.stringContaining('revision 3): include -; exclude permits; partners -'),
  });
  expect(await schema(['contract', 'shop', '--delete'])).toMatchObject({ code: 0 });
  expect(await schema(['contract', 'typo'])).toMatchObject({ code: 2 });
});

test('--file: the same on a local contracts file the gateway reads, no registry call', async () => {
  const file = path.join(dir, 'contracts.json');
  const local = (args: string[]) => schema([...args, '--file', file], 'unused');
  expect(
    await local(['contract', 'shop', '--exclude', 'budgets,mail', '--partners', PARTNER.agency]),
  ).toEqual({
    code: 0,
    stdout: `✓ contract shop (${file}): include -; exclude budgets,mail; partners ${PARTNER.agency}\n`,
    stderr: '',
  });
  expect(await local(['contract', 'shop', '--partners', 'scope:shop:read'])).toMatchObject({
    stdout: expect.stringContaining('exclude budgets,mail; partners scope:shop:read'),
  });
  expect(parseContractDefinitions(JSON.parse(readFileSync(file, 'utf8')))).toEqual({
    shop: { include: [], exclude: ['budgets', 'mail'], partners: ['scope:shop:read'] },
  });
  expect(await local(['contract', 'shop', '--schema'])).toMatchObject({ code: 2 });
  expect(await local(['contract', 'none'])).toMatchObject({
    code: 2,
    stderr: expect.stringContaining('NOT_FOUND'),
  });
  expect(await local(['contract', 'shop', '--delete'])).toEqual({
    code: 1,
    stdout: '',
    stderr: `✗ contract shop (${file}): CONTRACT_IN_USE: still served to scope:shop:read: give them another contract, or set its partners to none first (--partners '')\n`,
  });
  expect(await local(['contract', 'shop', '--partners='])).toMatchObject({ code: 0 });
  expect(await local(['contract', 'shop', '--delete'])).toMatchObject({ code: 0 });
  expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({});
});

/**
 * The CLI as a partner's CI runs it: the bundled CLI (dist/schema-cli.mjs, as `npm run build` writes it) copied alone into a folder outside this repository
 * and run as a process (tsx), against a registry over HTTP. Exit codes: 0 passed, 1 check failed, 2
 * usage or connection error.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AGENCIES, OFFICIAL, PARTNER, permits, startTestRegistry, tokenFor } from './support';
import type { TestRegistry } from './support';
import { bundleSchemaCli } from '../../scripts/build';

jest.setTimeout(120_000);

let registry: TestRegistry;
let dir: string;
let partner: string;
let official: string;

beforeAll(async () => {
  registry = await startTestRegistry();
  partner = await tokenFor(registry, PARTNER);
  official = await tokenFor(registry, OFFICIAL);
  dir = mkdtempSync(path.join(os.tmpdir(), 'partner-ci-'));
  await bundleSchemaCli(path.join(dir, 'schema-cli.mjs'));
  writeFileSync(path.join(dir, 'agencies.graphql'), AGENCIES);
  writeFileSync(path.join(dir, 'permits.graphql'), permits());
  writeFileSync(path.join(dir, 'permits-no-holder.graphql'), permits({ holder: false }));
  writeFileSync(path.join(dir, 'permits-expiry.graphql'), permits({ extra: 'expiresOn: String' }));
  writeFileSync(
    path.join(dir, 'permits-clash.graphql'),
    permits().replace('code: ID! permits', 'code: Int! permits'),
  );
});
afterAll(async () => {
  await registry.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `node schema-cli.mjs args` in the partner's folder; the registry and token from the environment. */
function schema(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['schema-cli.mjs', ...args],
      {
        cwd: dir,
        env: {
          PATH: process.env.PATH,
          GOVGRAPH_REGISTRY_URL: registry.url,
          GOVGRAPH_REGISTRY_TOKEN: partner,
          ...env,
        },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

test('check, publish and rollback from outside the repository, with CI exit codes', async () => {
  expect(
    await schema(
      ['publish', 'agencies', '--schema', 'agencies.graphql', '--url', 'http://agencies.test/graphql'],
      { GOVGRAPH_REGISTRY_TOKEN: official },
    ),
  ).toMatchObject({ code: 0, stdout: expect.stringContaining('agencies (production): published version 1') });
  expect(
    await schema(['publish', 'permits', '--schema=permits.graphql', '--url=http://permits.test/graphql']),
  ).toMatchObject({ code: 0, stdout: expect.stringContaining('published version 1') });

  // A field removed: the check fails (1) and names it by coordinate.
  const failed = await schema(['check', 'permits', '--schema', 'permits-no-holder.graphql']);
  expect(failed.code).toBe(1);
  expect(failed.stdout).toContain('✗ permits (production): 1 breaking, 0 dangerous, 0 safe');
  expect(failed.stdout).toMatch(
    /BREAKING\s+Permit\.holder\s+Field 'holder' was removed from object type 'Permit'/,
  );
  // Publishing it is refused the same way.
  const refused = await schema(['publish', 'permits', '--schema', 'permits-no-holder.graphql']);
  expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('CHECK_FAILED') });
  // Not composing fails the check too.
  const clash = await schema(['check', 'permits', '--schema', 'permits-clash.graphql']);
  expect(clash).toMatchObject({ code: 1, stdout: expect.stringContaining('does not compose') });

  // The fixed proposal passes, and publishes as version 2.
  expect(await schema(['check', 'permits', '--schema', 'permits-expiry.graphql'])).toMatchObject({
    code: 0,
    stdout: expect.stringMatching(
      /✓ permits \(production\): 0 breaking, 0 dangerous, 1 safe\n\s+SAFE\s+Permit\.expiresOn/,
    ),
  });
  expect(await schema(['publish', 'permits', '--schema', 'permits-expiry.graphql'])).toMatchObject({
    code: 0,
    stdout: expect.stringContaining('published version 2'),
  });

  // --json for scripts.
  const json = await schema(['check', 'permits', '--schema', 'permits-no-holder.graphql', '--json']);
  expect(json.code).toBe(1);
  expect(JSON.parse(json.stdout)).toMatchObject({
    ok: false,
    changes: expect.arrayContaining([
      expect.objectContaining({ severity: 'breaking', coordinate: 'Permit.holder' }),
      expect.objectContaining({ severity: 'breaking', coordinate: 'Permit.expiresOn' }),
    ]),
  });

  // Rollback to version 1, and the versions list shows it current.
  expect(await schema(['rollback', 'permits', '--to', '1'])).toMatchObject({
    code: 0,
    stdout: expect.stringContaining('rolled back from version 2 to 1'),
  });
  const versions = await schema(['versions', 'permits']);
  expect(versions.code).toBe(0);
  expect(versions.stdout.split('\n')[1]).toMatch(/^\*\s+1\s.*partner-permits-ci \(partner\)/);
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('usage, token and connection errors exit 2 with one clear line', async () => {
  const nowhere = `http://127.0.0.1:${await closedPort()}`;
  const cases: [string[], Record<string, string>, RegExp][] = [
    [[], {}, /schema: no command/],
    [['deploy', 'permits'], {}, /unknown command "deploy"/],
    [['check', 'permits'], {}, /check needs --schema <file>/],
    [['check', 'permits', '--schema', 'missing.graphql'], {}, /cannot read missing.graphql: ENOENT/],
    [['rollback', 'permits', '--to', 'last'], {}, /rollback needs --to <version>/],
    [['rollback', 'permits', '--to', '1', '--schema', 'x'], {}, /rollback takes no --schema/],
    [['check', 'permits', '--schema', 'permits.graphql'], { GOVGRAPH_REGISTRY_TOKEN: '' }, /no token/],
    [
      ['check', 'permits', '--schema', 'permits.graphql', '--registry', nowhere],
      {},
      /cannot reach the registry at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/,
    ],
    [
      ['check', 'permits', '--schema', 'permits.graphql', '--token', 'a.b.c'],
      {},
      /UNAUTHENTICATED: Invalid or expired token/,
    ],
    [['rollback', 'permits', '--to', '9'], {}, /NOT_FOUND: "permits" has no version 9 in production/],
  ];
  for (const [args, env, message] of cases) {
    const result = await schema(args, env);
    expect({ args, code: result.code }).toEqual({ args, code: 2 });
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }
});

test('documents registers a client’s trusted documents; a check names them; bad manifests exit 1 or 2', async () => {
  // An environment of its own: the tests above publish and roll back in production.
  const docs = { GOVGRAPH_REGISTRY_ENV: 'docs', GOVGRAPH_REGISTRY_TOKEN: official };
  await schema(
    ['publish', 'agencies', '--schema', 'agencies.graphql', '--url', 'http://a.test/graphql'],
    docs,
  );
  await schema(['publish', 'permits', '--schema', 'permits.graphql', '--url', 'http://p.test/graphql'], docs);
  const view = 'query PermitView($n: ID!) { permit(number: $n) { number holder } }';
  const nope = 'query Nope { permit(number: "1") { nope } }';
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  writeFileSync(path.join(dir, 'portal.json'), JSON.stringify({ [sha256(view)]: view }));
  writeFileSync(path.join(dir, 'invalid.json'), JSON.stringify({ [sha256(nope)]: nope }));
  writeFileSync(path.join(dir, 'wrong-hash.json'), JSON.stringify({ [sha256('x')]: view }));
  writeFileSync(path.join(dir, 'not-json.json'), '{ "a": ');

  expect(await schema(['documents', 'portal', '--manifest', 'portal.json'], docs)).toMatchObject({
    code: 0,
    stdout:
      '✓ portal (docs): registered 1 trusted document (1 operation); checks count them as usage\n  added    PermitView\n',
  });
  expect(await schema(['documents', 'portal', '--manifest=portal.json'], docs)).toMatchObject({
    code: 0,
    stdout: '✓ portal (docs): unchanged, 1 trusted document (1 operation)\n',
  });

  // Nothing ever ran PermitView, and this registry does not even look at usage: it still counts.
  const failed = await schema(['check', 'permits', '--schema', 'permits-no-holder.graphql'], docs);
  expect(failed.code).toBe(1);
  expect(failed.stdout).toMatch(
    /BREAKING\s+Permit\.holder\s+Field 'holder' was removed from object type 'Permit'\n\s+used by portal: PermitView \(trusted document\)\n/,
  );
  const refused = await schema(['publish', 'permits', '--schema', 'permits-no-holder.graphql'], docs);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(
    'CHECK_FAILED: breaking changes: Permit.holder (used by portal: PermitView (trusted document))',
  );

  // A document that does not validate against the graph fails like a check (1), listed by hash.
  const invalid = await schema(['documents', 'portal', '--manifest', 'invalid.json'], docs);
  expect(invalid.code).toBe(1);
  expect(invalid.stderr).toContain('✗ portal (docs): DOCUMENTS_INVALID: 1 of 1 documents do not validate');
  expect(invalid.stderr).toContain(`  ${sha256(nope)}  Cannot query field "nope" on type "Permit".`);
  const json = await schema(['documents', 'portal', '--manifest', 'invalid.json', '--json'], docs);
  expect(json.code).toBe(1);
  expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'DOCUMENTS_INVALID' } });

  // Everything else exits 2, in one line.
  const cases: [string[], Record<string, string>, RegExp][] = [
    [['documents', 'portal'], docs, /schema: documents needs --manifest <file>/],
    [['documents', '--manifest', 'portal.json'], docs, /schema: documents needs a client name/],
    [['documents', 'portal', '--manifest', 'not-json.json'], docs, /schema: not-json\.json is not JSON: /],
    [['documents', 'portal', '--manifest', 'missing.json'], docs, /cannot read missing\.json: ENOENT/],
    [
      ['documents', 'portal', '--manifest', 'wrong-hash.json'],
      docs,
      /✗ portal \(docs\): MANIFEST_INVALID: body\.manifest: "[0-9a-f]{64}" is not the sha256 \(or sha1\) of its document/,
    ],
    [
      ['documents', 'portal', '--manifest', 'portal.json'],
      { ...docs, GOVGRAPH_REGISTRY_TOKEN: partner },
      /✗ portal \(docs\): FORBIDDEN: client "portal" belongs to the platform, not 000\.00\.31\.H26/,
    ],
  ];
  for (const [args, env, message] of cases) {
    const result = await schema(args, env);
    expect({ args, code: result.code }).toEqual({ args, code: 2 });
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }
});

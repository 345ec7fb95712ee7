import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseSites } from '../features/sites';

const dir = mkdtempSync(path.join(os.tmpdir(), 'govgraph-sites-'));
const RESERVED = ['/graphql', '/graphiql', '/health', '/ready'];
beforeAll(() => {
  mkdirSync(path.join(dir, 'site/assets'), { recursive: true });
  writeFileSync(path.join(dir, 'site/index.html'), '<!doctype html>');
  writeFileSync(path.join(dir, 'site/assets/app.js'), 'void 0');
  writeFileSync(path.join(dir, 'site/notes.md'), '# not served');
  mkdirSync(path.join(dir, 'empty'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a site serves its files of known types, index.html included, by path from its folder', () => {
  const [site] = parseSites(`/dashboard/=${dir}/site`, RESERVED);
  expect(site!.path).toBe('/dashboard');
  expect([...site!.files.keys()].sort()).toEqual(['assets/app.js', 'index.html']);
  expect(site!.files.get('assets/app.js')!.type).toBe('text/javascript; charset=utf-8');
});

test('unset or blank: no sites', () => {
  expect(parseSites(undefined, RESERVED)).toEqual([]);
  expect(parseSites('  ', RESERVED)).toEqual([]);
});

test.each([
  ['dashboard', 'GATEWAY_SITES: "dashboard" is not <path>=<folder> with a path like /dashboard'],
  ['/Dash=x', 'GATEWAY_SITES: "/Dash=x" is not <path>=<folder> with a path like /dashboard'],
  ['/../etc=x', 'GATEWAY_SITES: "/../etc=x" is not <path>=<folder> with a path like /dashboard'],
  ['/graphql=x', "GATEWAY_SITES: /graphql is one of the gateway's own paths"],
  ['/health=x', "GATEWAY_SITES: /health is one of the gateway's own paths"],
])('%s is refused at start-up', (value, message) => {
  expect(() => parseSites(value, RESERVED)).toThrow(message);
});

test('a folder that is missing or has no index.html stops the start', () => {
  expect(() => parseSites(`/a=${dir}/nowhere`, RESERVED)).toThrow(
    `GATEWAY_SITES: /a: no folder ${dir}/nowhere`,
  );
  expect(() => parseSites(`/a=${dir}/empty`, RESERVED)).toThrow(
    `GATEWAY_SITES: /a: ${dir}/empty has no index.html`,
  );
});

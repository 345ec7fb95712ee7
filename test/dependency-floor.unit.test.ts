/** The dependency floor (scripts/dependency-floor.ts) passes on the committed lock and fails, naming the package, on a lowered one. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkFloor, compareVersions, readFloor } from '../scripts/dependency-floor';

const lock = JSON.parse(readFileSync(path.join(__dirname, '../package-lock.json'), 'utf8'));
const floor = readFloor();

test('the committed lock is at or above every fixed version', () => {
  expect(floor.map((e) => e.package)).toEqual(
    expect.arrayContaining(['@apollo/gateway', '@apollo/server', 'graphql', 'mercurius']),
  );
  expect(checkFloor(lock, floor)).toEqual([]);
});

test('a lowered package, top-level or nested, fails naming it, its version and the advisory', () => {
  const lowered = structuredClone(lock);
  lowered.packages['node_modules/graphql'].version = '16.8.0';
  lowered.packages['node_modules/some-lib/node_modules/@apollo/gateway'] = { version: '2.13.1' };
  expect(checkFloor(lowered, floor)).toEqual([
    expect.stringMatching(
      /^graphql 16\.8\.0 \(node_modules\/graphql\) is below 16\.8\.1, which fixed: CVE-2023-26144/,
    ),
    expect.stringMatching(
      /^@apollo\/gateway 2\.13\.1 \(node_modules\/some-lib\/node_modules\/@apollo\/gateway\) is below 2\.13\.2/,
    ),
  ]);
});

test('versions compare numerically, pre-releases below their release', () => {
  expect(compareVersions('2.10.1', '2.9.6')).toBe(1);
  expect(compareVersions('16.8.1', '16.8.1')).toBe(0);
  expect(compareVersions('2.10.1-alpha.0', '2.10.1')).toBe(-1);
  expect(compareVersions('5.4.9', '5.5.0')).toBe(-1);
});

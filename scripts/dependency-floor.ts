/**
 * `npm run deps:check`: the dependency floor (shared/security.md §d). Every installed copy of a
 * package named in `scripts/dependency-floor.json` — every `node_modules/…/<name>` entry of
 * package-lock.json, nested copies included — must be at or above the version that fixed its known
 * advisories; otherwise the check fails naming the package, its version, where it sits and why.
 * (The registry mirror here has no audit endpoint, so the list is ours: add a package when an
 * advisory lands, raise `fixed` when a newer one does.)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../schema/registry';

export interface FloorEntry {
  package: string;
  fixed: string;
  advisories: string[];
}

interface Lock {
  packages?: Record<string, { version?: string }>;
}

/** -1, 0 or 1; a pre-release (`2.10.1-alpha.1`) sorts below its release. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core, pre] = v.split('-', 2) as [string, string | undefined];
    return { parts: core.split('.').map((n) => Number.parseInt(n, 10) || 0), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.parts[i] ?? 0) - (y.parts[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}

/** One line per installed copy below its floor (empty when all are at or above). */
export function checkFloor(lock: Lock, floor: readonly FloorEntry[]): string[] {
  const byName = new Map(floor.map((e) => [e.package, e]));
  const failures: string[] = [];
  for (const [where, meta] of Object.entries(lock.packages ?? {})) {
    const i = where.lastIndexOf('node_modules/');
    if (i === -1 || !meta.version) continue;
    const entry = byName.get(where.slice(i + 'node_modules/'.length));
    if (entry && compareVersions(meta.version, entry.fixed) < 0)
      failures.push(
        `${entry.package} ${meta.version} (${where}) is below ${entry.fixed}, which fixed: ${entry.advisories.join('; ')}`,
      );
  }
  return failures;
}

export const FLOOR_FILE = path.join(ROOT, 'scripts/dependency-floor.json');

export function readFloor(file = FLOOR_FILE): FloorEntry[] {
  return JSON.parse(readFileSync(file, 'utf8')) as FloorEntry[];
}

function main(): void {
  const lockFile = path.join(ROOT, process.argv[2] ?? 'package-lock.json');
  const floor = readFloor();
  const failures = checkFloor(JSON.parse(readFileSync(lockFile, 'utf8')) as Lock, floor);
  for (const f of failures) console.error(`dependency floor: ${f}`);
  if (failures.length > 0) process.exit(1);
  console.log(
    `dependency floor: ${floor.length} packages, every installed copy at or above its fixed version.`,
  );
}

if (require.main === module) main();

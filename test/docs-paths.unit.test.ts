/**
 * Every repository path the README and docs/ name in code spans (`gateway/...`, `kit/...`) exists:
 * a file moved or deleted without its docs fails here. A path may omit `.ts` or name a folder's
 * `index.ts`; a `:line` suffix is ignored.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');
const TOP = [
  'gateway',
  'kit',
  'subgraphs',
  'scripts',
  'test',
  'clients',
  'schema',
  'examples',
  'deploy',
  'docs',
];

function markdownFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (statSync(path.join(ROOT, rel)).isDirectory()) return markdownFiles(rel);
    return name.endsWith('.md') ? [rel] : [];
  });
}

function exists(rel: string): boolean {
  const p = path.join(ROOT, rel.replace(/:\d+(-\d+)?$/, '').replace(/\/$/, ''));
  return [p, `${p}.ts`, `${p}.js`, path.join(p, 'index.ts')].some((c) => existsSync(c));
}

test('every path named in the README and docs exists', () => {
  const span = new RegExp(`\`((?:${TOP.join('|')})/[A-Za-z0-9_.*/+-]*[A-Za-z0-9_/])\``, 'g');
  const missing: string[] = [];
  let checked = 0;
  for (const file of ['README.md', 'CHANGELOG.md', ...markdownFiles('docs')].filter(
    (f) => f !== 'CHANGELOG.md',
  )) {
    for (const m of readFileSync(path.join(ROOT, file), 'utf8').matchAll(span)) {
      if (m[1]!.includes('*')) continue; // a glob names a pattern, not a file
      checked++;
      if (!exists(m[1]!)) missing.push(`${file}: ${m[1]}`);
    }
  }
  expect(missing).toEqual([]);
  expect(checked).toBeGreaterThan(100); // the docs name many files; a broken pattern would check none
});

/**
 * No import cycle among the gateway's modules, type-only imports included: eslint's import-x/no-cycle
 * (eslint.config.mjs) ignores type imports, and a type cycle is still a layering knot (config.ts
 * once imported the feature list, whose features import feature.ts, which names config.ts's type).
 * Tests are left out: they may import anything.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const GATEWAY = path.resolve(__dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const child = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === 'test' ? [] : sources(child);
    return d.name.endsWith('.ts') ? [child] : [];
  });
}

/** The gateway modules `file` imports, types and `declare module` augmentations included. */
function importsOf(file: string): string[] {
  const { importedFiles, ambientExternalModules } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const specifiers = [...importedFiles.map((f) => f.fileName), ...(ambientExternalModules ?? [])];
  return specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => path.resolve(path.dirname(file), s))
    .map((base) => [`${base}.ts`, path.join(base, 'index.ts')].find((c) => existsSync(c)))
    .filter((f): f is string => f !== undefined && f.startsWith(GATEWAY + path.sep));
}

/** Strongly connected components of more than one module (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

test('the gateway has no import cycle, type imports included', () => {
  const files = sources(GATEWAY);
  expect(files.length).toBeGreaterThan(50); // the walk found the gateway, not an empty folder
  const found = cycles(new Map(files.map((f) => [f, importsOf(f)])));
  expect(found.map((c) => c.map((f) => path.relative(GATEWAY, f)))).toEqual([]);
});

test('the check follows type-only imports and finds a cycle through them', () => {
  // feature.ts imports config.ts for a type only.
  expect(importsOf(path.join(GATEWAY, 'feature.ts'))).toContain(path.join(GATEWAY, 'config/index.ts'));
  const graph = new Map([
    ['config.ts', ['features/index.ts']],
    ['features/index.ts', ['feature.ts']],
    ['feature.ts', ['config.ts']],
    ['server.ts', ['config.ts']],
  ]);
  expect(cycles(graph)).toEqual([['config.ts', 'feature.ts', 'features/index.ts']]);
});

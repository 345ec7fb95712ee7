/**
 * design.md: every type and field has a description (Vietnamese term plus English) that shows in
 * GraphiQL. Checked for every registered subgraph's SDL: types, fields, input fields, enum values.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse } from 'graphql';
import type { DefinitionNode } from 'graphql';
import { loadRegistry, ROOT, schemaPath } from './registry';

function undocumented(sdl: string): string[] {
  const missing: string[] = [];
  for (const def of parse(sdl).definitions as DefinitionNode[]) {
    if (!('name' in def) || !def.name) continue;
    const name = def.name.value;
    const isRoot = ['Query', 'Mutation', 'Subscription'].includes(name);
    if (!isRoot && !('description' in def && def.description)) missing.push(name);
    const children =
      def.kind === Kind.OBJECT_TYPE_DEFINITION || def.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION
        ? (def.fields ?? [])
        : def.kind === Kind.ENUM_TYPE_DEFINITION
          ? (def.values ?? [])
          : [];
    for (const child of children) if (!child.description) missing.push(`${name}.${child.name.value}`);
  }
  return missing;
}

// The kit's shared SDL (Date, DateTime, PageInfo, PeriodInput) is merged into every subgraph: read by
// path, as schema/ never imports the kit.
test("the kit's shared SDL: every type, field and enum value is described", () => {
  expect(undocumented(readFileSync(path.join(ROOT, 'kit/runtime/sdl/shared.graphql'), 'utf8'))).toEqual([]);
});

test.each(loadRegistry().map((e) => [e.name, e] as const))(
  '%s: every type, field and enum value is described',
  (_, e) => {
    expect(undocumented(readFileSync(schemaPath(e), 'utf8'))).toEqual([]);
  },
);

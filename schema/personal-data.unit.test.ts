/**
 * Personal data is marked the same way in every subgraph — `@personalData` from the kit's shared SDL —
 * and the marks reach the supergraph, where access control finds them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, isInputObjectType, isObjectType } from 'graphql';
import { ROOT } from './registry';

test('the supergraph lists the personal-data fields of every subgraph that holds them', () => {
  const sdl = readFileSync(path.join(ROOT, 'schema/supergraph.graphql'), 'utf8');
  const schema = buildSchema(sdl, { assumeValidSDL: true });
  const marked: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) && !isInputObjectType(type)) continue;
    for (const field of Object.values(type.getFields()))
      if (
        field.astNode?.directives?.some((d: { name: { value: string } }) => d.name.value === 'personalData')
      )
        marked.push(`${type.name}.${field.name}`);
  }
  expect(marked).toEqual(
    expect.arrayContaining([
      'Applicant.name',
      'Applicant.idNumber',
      'Applicant.phone',
      'Applicant.address',
      'LandHolder.fullName',
      'LandHolder.idNumber',
      'LandHolder.birthYear',
      'LandHolder.address',
    ]),
  );
});

/**
 * The EdxmlPackage scalar: XML text up to MAX_PACKAGE_CHARS. A String would be held to the kit's
 * 10,000-character bound for free text (kit/inputBounds.ts), which a package with attachments passes;
 * this scalar carries its own bound, and the XML checks are read.ts's and status.ts's.
 */
import { GraphQLScalarType, Kind, print } from 'graphql';
import { InvalidValueError } from '../../../kit';
import { MAX_PACKAGE_CHARS } from './format';

function parsePackage(v: unknown): string {
  if (typeof v !== 'string') throw new InvalidValueError(`expected the package as XML text, got ${typeof v}`);
  if (!v.trim()) throw new InvalidValueError('must not be blank');
  if (v.length > MAX_PACKAGE_CHARS)
    throw new InvalidValueError(
      `is ${v.length.toLocaleString('en')} characters; at most ${MAX_PACKAGE_CHARS.toLocaleString('en')}`,
    );
  return v;
}

export const EdxmlPackageScalar = new GraphQLScalarType({
  name: 'EdxmlPackage',
  serialize: (v) => String(v),
  parseValue: parsePackage,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new InvalidValueError(`expected a string, got ${print(ast)}`);
    return parsePackage(ast.value);
  },
});

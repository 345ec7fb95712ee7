import { buildSchema, parse, validate } from 'graphql';
import type { GraphQLError, OperationDefinitionNode } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { ErrorCode } from '../../schema/error-codes';
import { INTERNAL_ERROR_MESSAGE, toClientError } from '../errors';
import { maskError, redactAddresses } from '../features/errorMasking';

/** What a client receives: the core's formatError, then the error-masking feature. */
const clientSees = (error: Parameters<typeof toClientError>[0], maskInternalErrors?: boolean) =>
  maskError(toClientError(error), { maskInternalErrors });

describe('error masking', () => {
  test('URLs and host:port addresses are removed from messages', () => {
    expect(
      redactAddresses(
        'request to http://10.0.3.7:4101/graphql failed, reason: connect ECONNREFUSED 10.0.3.7:4101',
      ),
    ).toBe('request to [redacted] failed, reason: connect ECONNREFUSED [redacted]');
    expect(redactAddresses('cannot reach localhost:5432 or [::1]:5432')).toBe(
      'cannot reach [redacted] or [redacted]',
    );
    expect(redactAddresses('Dossier 125/QĐ-UBND not found')).toBe('Dossier 125/QĐ-UBND not found');
    // A list index in an argument path is not an IPv6 address (it was redacted: `input.results[redacted]`).
    expect(redactAddresses('input.results[0].area: must be positive')).toBe(
      'input.results[0].area: must be positive',
    );
    expect(redactAddresses('input.recipientCodes[12]: must not be blank')).toBe(
      'input.recipientCodes[12]: must not be blank',
    );
  });

  test('an error without a code gets INTERNAL_SERVER_ERROR and a generic message; no stacktrace survives', () => {
    expect(
      clientSees({
        message: 'TypeError: x is undefined at /srv/app.js:1',
        extensions: { stacktrace: ['at ...'] },
      }),
    ).toEqual({
      message: INTERNAL_ERROR_MESSAGE,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  test('coded errors keep their message, code, serviceName and field', () => {
    const error = {
      message: 'input.numberSymbol: malformed',
      path: ['registerDocument'],
      extensions: {
        code: 'BAD_USER_INPUT',
        field: 'input.numberSymbol',
        serviceName: 'documents',
        exception: { stack: 's' },
      },
    };
    expect(clientSees(error)).toEqual({
      message: 'input.numberSymbol: malformed',
      path: ['registerDocument'],
      extensions: { code: 'BAD_USER_INPUT', field: 'input.numberSymbol', serviceName: 'documents' },
    });
  });

  test('maskInternalErrors: false keeps internal messages (still redacted)', () => {
    expect(clientSees({ message: 'boom at http://x:1/y' }, false).message).toBe('boom at [redacted]');
  });
});

describe('private extensions are stripped in one place (toClientError)', () => {
  test('only code, serviceName and field survive; debugging and upstream details are dropped', () => {
    expect(
      toClientError({
        message: 'Conflict',
        extensions: {
          code: 'CONFLICT',
          serviceName: 'documents',
          stacktrace: [],
          exception: {},
          response: { url: 'http://a', body: 'b' },
          sql: 'INSERT INTO documents ...',
          debug: { host: '10.0.0.1' },
        },
      }),
    ).toEqual({ message: 'Conflict', extensions: { code: 'CONFLICT', serviceName: 'documents' } });
  });
});

describe('the shared error-code list', () => {
  test('"no such route" and "no such record" are two codes', () => {
    expect(ErrorCode.ROUTE_NOT_FOUND).toBe('ROUTE_NOT_FOUND');
    expect(ErrorCode.NOT_FOUND).toBe('NOT_FOUND');
    expect(ErrorCode.ROUTE_NOT_FOUND).not.toBe(ErrorCode.NOT_FOUND);
  });

  test('every code is its own name, so the list cannot drift from the strings clients see', () => {
    for (const [name, code] of Object.entries(ErrorCode)) expect(code).toBe(name);
    expect(ErrorCode.CONFLICT).toBe('CONFLICT');
  });
});

describe('values the gateway refuses are named by the argument path (toClientError)', () => {
  const schema = buildSchema(`
    enum Direction { INCOMING OUTGOING }
    input Filter { direction: Direction tags: [String!] }
    type Query { documents(filter: Filter, first: Int): Int }
  `);
  const formatted = (e: GraphQLError, code: string) =>
    toClientError({ ...e.toJSON(), extensions: { code } }, e);

  test('a literal of the wrong type: GRAPHQL_VALIDATION_FAILED with field and "<path>: <reason>"', () => {
    const [e] = validate(schema, parse('{ documents(filter: { direction: SIDEWAYS }) }'));
    expect(formatted(e!, 'GRAPHQL_VALIDATION_FAILED')).toEqual({
      message: 'filter.direction: Value "SIDEWAYS" does not exist in "Direction" enum.',
      locations: [{ line: 1, column: 34 }],
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', field: 'filter.direction' },
    });
  });

  test('a variable that does not coerce: BAD_USER_INPUT with the path where the variable is used', () => {
    const document = parse('query($f: Filter) { documents(filter: $f) }');
    const op = document.definitions[0] as OperationDefinitionNode;
    const { errors } = getVariableValues(schema, op.variableDefinitions!, { f: { tags: ['a', 7] } });
    expect(formatted(errors![0]!, 'BAD_USER_INPUT')).toEqual({
      message: 'filter.tags[1]: String cannot represent a non string value: 7',
      locations: [{ line: 1, column: 7 }],
      extensions: { code: 'BAD_USER_INPUT', field: 'filter.tags[1]' },
    });
  });

  test('other errors keep their message and have no field', () => {
    const [e] = validate(schema, parse('{ nope }'));
    expect(formatted(e!, 'GRAPHQL_VALIDATION_FAILED')).toEqual({
      message: 'Cannot query field "nope" on type "Query".',
      locations: [{ line: 1, column: 3 }],
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });
});

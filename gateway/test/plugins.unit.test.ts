import { stripPrivateExtensions } from '../datasource';
import { INTERNAL_ERROR_MESSAGE, maskError, redactAddresses } from '../plugins/errorMasking';

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
  });

  test('an error without a code gets INTERNAL_SERVER_ERROR and a generic message; no stacktrace survives', () => {
    expect(
      maskError({
        message: 'TypeError: x is undefined at /srv/app.js:1',
        extensions: { stacktrace: ['at ...'] },
      }),
    ).toEqual({
      message: INTERNAL_ERROR_MESSAGE,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  test('coded errors keep their message, code and serviceName', () => {
    const error = {
      message: 'Dossier not found',
      path: ['dossier'],
      extensions: { code: 'NOT_FOUND', serviceName: 'dossiers', exception: { stack: 's' } },
    };
    expect(maskError(error)).toEqual({
      message: 'Dossier not found',
      path: ['dossier'],
      extensions: { code: 'NOT_FOUND', serviceName: 'dossiers' },
    });
  });

  test('maskInternalErrors: false keeps internal messages (still redacted)', () => {
    expect(maskError({ message: 'boom at http://x:1/y' }, { maskInternalErrors: false }).message).toBe(
      'boom at [redacted]',
    );
  });

  test('subgraph errors lose stacktrace, exception and response extensions', () => {
    expect(
      stripPrivateExtensions({
        message: 'Conflict',
        extensions: {
          code: 'CONFLICT',
          stacktrace: [],
          exception: {},
          response: { url: 'http://a', body: 'b' },
        },
      }),
    ).toEqual({ message: 'Conflict', extensions: { code: 'CONFLICT' } });
  });
});

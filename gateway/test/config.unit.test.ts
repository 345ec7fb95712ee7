import path from 'node:path';
import { ROOT } from '../../schema/registry';
import { DEFAULTS, loadGatewayConfig, subgraphEnvName } from '../config';

describe('loadGatewayConfig', () => {
  test('defaults', () => {
    const config = loadGatewayConfig({});
    expect(config).toEqual({
      host: '127.0.0.1',
      port: 4000,
      supergraphPath: path.join(ROOT, 'schema/supergraph.graphql'),
      subgraphUrls: {},
      bodyLimit: 1048576,
      introspection: true,
      graphiql: true,
      logLevel: 'info',
      shutdownDelayMs: 0,
      shutdownTimeoutMs: 10000,
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.subgraphUrls)).toBe(true);
    expect(DEFAULTS.port).toBe(4000);
  });

  test('env values are parsed; flags override env', () => {
    const config = loadGatewayConfig(
      {
        GATEWAY_HOST: '0.0.0.0',
        GATEWAY_PORT: '5000',
        SUPERGRAPH_PATH: '/tmp/a.graphql',
        GATEWAY_BODY_LIMIT: '2048',
        GATEWAY_INTROSPECTION: 'false',
        GATEWAY_GRAPHIQL: '0',
        LOG_LEVEL: 'debug',
        SUBGRAPH_URL_LAND_RECORDS: 'http://land:4104/graphql',
      },
      ['--supergraph', '/tmp/b.graphql', '--port=0'],
    );
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 0,
      supergraphPath: '/tmp/b.graphql',
      bodyLimit: 2048,
      introspection: false,
      graphiql: false,
      logLevel: 'debug',
      subgraphUrls: { LAND_RECORDS: 'http://land:4104/graphql' },
    });
  });

  test.each([
    [{ GATEWAY_PORT: '70000' }, /^GATEWAY_PORT: must be a port number/],
    [{ GATEWAY_PORT: 'abc' }, /^GATEWAY_PORT:/],
    [{ GATEWAY_BODY_LIMIT: '-1' }, /^GATEWAY_BODY_LIMIT:/],
    [{ GATEWAY_INTROSPECTION: 'maybe' }, /^GATEWAY_INTROSPECTION: must be true or false/],
    [{ GATEWAY_GRAPHIQL: 'yesplease' }, /^GATEWAY_GRAPHIQL:/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: must be one of/],
    [{ SUBGRAPH_URL_DOCUMENTS: 'ftp://x' }, /^SUBGRAPH_URL_DOCUMENTS: must be an http\(s\) URL/],
    [{ SUBGRAPH_URL_DOCUMENTS: 'not a url' }, /^SUBGRAPH_URL_DOCUMENTS:/],
    [{ GATEWAY_PROT: '4000' }, /^GATEWAY_PROT: unknown setting/],
    [{ GATEWAY_HOST: ' ' }, /^GATEWAY_HOST: must not be empty/],
  ])('%j is rejected with a message naming the setting', (env, message) => {
    expect(() => loadGatewayConfig(env)).toThrow(message);
  });

  test('bad flags are rejected by name', () => {
    expect(() => loadGatewayConfig({}, ['--port', 'x'])).toThrow(/^--port:/);
    expect(() => loadGatewayConfig({}, ['--supergraph'])).toThrow(/^--supergraph: needs a value/);
    expect(() => loadGatewayConfig({}, ['--verbose'])).toThrow(/^--verbose: unknown command-line argument/);
  });

  test('subgraph env names', () => {
    expect(subgraphEnvName('documents')).toBe('DOCUMENTS');
    expect(subgraphEnvName('land-records.v2')).toBe('LAND_RECORDS_V2');
  });
});

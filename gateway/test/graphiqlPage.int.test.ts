/**
 * The GraphiQL page the gateway serves (local assets only), and its settings.
 * Over real HTTP: two fixture subgraphs and a gateway on port 0 (support/gatewayStack.ts).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../schema/registry';
import { useGatewayStack } from './support/gatewayStack';

const stack = useGatewayStack();

describe('GraphiQL', () => {
  test('the page is HTML titled govgraph, with no absolute URL at all, and its assets are served locally', async () => {
    const res = await fetch(`${stack.origin}/graphiql`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const html = await res.text();
    expect(html).toContain('<title>govgraph — GraphiQL</title>');
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/src="\/\/|href="\/\//);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBe(7); // React, ReactDOM, GraphiQL and the explorer (js, css), init script
    // The example tabs travel in a data attribute (the CSP forbids inline scripts): the scorecard first.
    const tabs = JSON.parse(
      /data-tabs="([^"]*)"/
        .exec(html)![1]!
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&'),
    ) as { query: string }[];
    // One tab per example operation file (examples/**/*.graphql, the deployment's default folder).
    const exampleFiles = readdirSync(path.join(ROOT, 'examples'), { recursive: true, encoding: 'utf8' });
    expect(tabs.length).toBe(exampleFiles.filter((f) => f.endsWith('.graphql')).length);
    expect(tabs[0]!.query).toContain('query Scorecard(');
    for (const asset of assets) {
      expect(asset.startsWith('/graphiql/assets/')).toBe(true);
      const a = await fetch(`${stack.origin}${asset}`);
      expect(a.status).toBe(200);
      expect(a.headers.get('content-type')).toMatch(
        asset.endsWith('.css') ? /^text\/css/ : /^text\/javascript/,
      );
      expect(a.headers.get('cache-control')).toContain('immutable');
      // The file itself, not an empty or error body.
      expect((await a.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
  });

  test('GATEWAY_GRAPHIQL=false removes it, and the landing page that points to it', async () => {
    const gw = await stack.startGateway({ GATEWAY_GRAPHIQL: 'false' });
    const res = await fetch(`${new URL(gw.url).origin}/graphiql`);
    expect(res.status).toBe(404);
    const landing = await fetch(gw.url, { headers: { accept: 'text/html' } });
    expect(await landing.text()).not.toContain('graphiql');
  });

  test('GATEWAY_GRAPHIQL_TITLE names the page', async () => {
    const gw = await stack.startGateway({ GATEWAY_GRAPHIQL_TITLE: 'Sở TT&TT — dữ liệu' });
    const html = await (await fetch(`${new URL(gw.url).origin}/graphiql`)).text();
    expect(html).toContain('<title>Sở TT&amp;TT — dữ liệu</title>');
  });
});

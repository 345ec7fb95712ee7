/**
 * GraphiQL for analysts, served entirely from local assets (graphiql UMD + React 18 UMD + the
 * explorer plugin's UMD build, @graphiql/plugin-explorer, from node_modules) so it works on an
 * isolated network: the page references no external URL, and its Content-Security-Policy forbids
 * loading anything from another origin. It opens with a tab per example operation of the folder the
 * deployment names (GATEWAY_GRAPHIQL_EXAMPLES_DIR; by default the project's `examples/`, file format
 * in common/examples.ts) and the explorer, which builds a query by clicking fields. The gateway knows
 * no example itself: another deployment brings its own folder, or none.
 *
 * A sign-in bar above GraphiQL applies one bearer token to every tab and keeps it across reloads
 * (./script.ts says where and how to clear it); tabs carry their example files' titles.
 *
 * Asset file names carry a content hash, so they can be cached forever. A browser opening the
 * GraphQL endpoint is sent here instead of Apollo's CDN-hosted landing page; with GraphiQL off it
 * gets no landing page at all.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../context';
import { ConfigError, env } from '../../../common/env';
import { ExampleFileError, readExamples } from '../../../common/examples';
import type { ExampleOperation } from '../../../common/examples';
import { ROOT } from '../../../schema/registry';
import { defineFeature } from '../../feature';
import { INIT_SCRIPT } from './script';

export const GRAPHIQL_PATH = '/graphiql';
export const DEFAULT_TITLE = 'govgraph — GraphiQL';
/** The examples GraphiQL opens with unless GATEWAY_GRAPHIQL_EXAMPLES_DIR names another folder. */
export const DEFAULT_EXAMPLES_DIR = path.join(ROOT, 'examples');

export interface GraphiqlOptions {
  /** Where the page is served (default `/graphiql`); assets live under `<path>/assets/`. */
  path?: string;
  /** The GraphQL endpoint, same origin (default `/graphql`). */
  endpoint?: string;
  title?: string;
  /** The tabs GraphiQL opens with, in order (default: none, one tab with the welcome text). */
  tabs?: readonly ExampleOperation[];
}

interface Asset {
  /** Hashed file name, e.g. `graphiql.3f2a9c1b.min.js`. */
  file: string;
  contentType: string;
  body: Buffer;
}

/** What the sign-in bar says to an anonymous caller, and when the schema is refused. */
export const SIGNIN_HINT =
  'Paste a bearer token here to sign in every tab (development: npm run -s token -- --role analyst).';

export const DEFAULT_QUERY = `# Welcome to govgraph, the shared government data graph.
#
# Write a query on the left and run it with Ctrl+Enter (or the ▶ button).
# Open the Documentation Explorer (book icon, top left) to browse every
# type and field with its description; Ctrl+Space autocompletes.
#
# Example: ask the gateway which root type answers queries.
{
  __typename
}
`;

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function asset(name: string, ext: string, contentType: string, body: Buffer): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { file: `${name}.${hash}.${ext}`, contentType, body };
}

type AssetName = 'react' | 'reactDom' | 'graphiql' | 'css' | 'explorer' | 'explorerCss' | 'init';

function loadAssets(): Record<AssetName, Asset> {
  const js = 'text/javascript; charset=utf-8';
  // Packages' `exports` hide their umd/ folders from require.resolve, so resolve package.json instead.
  const read = (pkg: string, file: string) =>
    readFileSync(path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file));
  return {
    react: asset('react', 'production.min.js', js, read('react', 'umd/react.production.min.js')),
    reactDom: asset(
      'react-dom',
      'production.min.js',
      js,
      read('react-dom', 'umd/react-dom.production.min.js'),
    ),
    graphiql: asset('graphiql', 'min.js', js, read('graphiql', 'graphiql.min.js')),
    css: asset('graphiql', 'min.css', 'text/css; charset=utf-8', read('graphiql', 'graphiql.min.css')),
    // The explorer's UMD build bundles graphiql-explorer and uses the globals React and GraphiQL.
    explorer: asset('explorer', 'umd.js', js, read('@graphiql/plugin-explorer', 'dist/index.umd.js')),
    explorerCss: asset(
      'explorer',
      'css',
      'text/css; charset=utf-8',
      read('@graphiql/plugin-explorer', 'dist/style.css'),
    ),
    init: asset('init', 'js', js, Buffer.from(INIT_SCRIPT)),
  };
}

const escapeHtml = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/**
 * A GraphiQL tab of an example: the whole file, so the tab opens on the example's title and
 * description, and its variables (the tab bar shows the title: tabTitles).
 */
export function tabOf(e: ExampleOperation): { query: string; variables?: string } {
  return e.variables === undefined ? { query: e.source } : { query: e.source, variables: e.variables };
}

/** Operation name → the example file's title, for the tab bar (GraphiQL itself shows the name). */
export function tabTitles(tabs: readonly ExampleOperation[]): Record<string, string> {
  return Object.fromEntries(tabs.map((e) => [e.operationName, e.title]));
}

/**
 * The examples of GATEWAY_GRAPHIQL_EXAMPLES_DIR (a path, relative to the working directory) or, unset,
 * of the project's `examples/` folder when there is one; `none` opens no example. A named folder that
 * is missing, or a file in it that is not one named operation, stops start-up naming the setting.
 */
export function loadTabs(setting: string | undefined): ExampleOperation[] {
  if (setting === 'none') return [];
  if (setting === undefined) {
    return existsSync(DEFAULT_EXAMPLES_DIR) ? readExamples(DEFAULT_EXAMPLES_DIR) : [];
  }
  try {
    return readExamples(path.resolve(setting));
  } catch (error) {
    if (error instanceof ExampleFileError)
      throw new ConfigError('GATEWAY_GRAPHIQL_EXAMPLES_DIR', error.message);
    throw error;
  }
}

export function renderGraphiqlHtml(
  assetBase: string,
  files: Record<string, Asset>,
  endpoint: string,
  title: string,
  tabs: readonly ExampleOperation[] = [],
): string {
  const src = (a: Asset) => escapeHtml(`${assetBase}/${a.file}`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${src(files.css)}">
<link rel="stylesheet" href="${src(files.explorerCss)}">
<style>
html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; font-family: system-ui, sans-serif; }
#graphiql { flex: 1; min-height: 0; }
#govgraph-signin { display: flex; gap: 8px; align-items: center; padding: 6px 12px; font-size: 14px; border-bottom: 1px solid #ddd; }
#govgraph-signin form { display: flex; gap: 6px; }
#govgraph-signin input { width: 22em; }
#govgraph-signin.govgraph-refused #govgraph-signin-status { color: #b00020; font-weight: 600; }
</style>
</head>
<body>
<div id="govgraph-signin" data-hint="${escapeHtml(SIGNIN_HINT)}">
<form id="govgraph-signin-form"><label for="govgraph-token">Token</label><input id="govgraph-token" type="password" autocomplete="off" placeholder="eyJ… (bearer token)"><button type="submit">Sign in</button></form>
<button id="govgraph-signout" type="button">Sign out</button>
<span id="govgraph-signin-status" role="status">Anonymous. ${escapeHtml(SIGNIN_HINT)}</span>
</div>
<div id="graphiql" data-endpoint="${escapeHtml(endpoint)}" data-default-query="${escapeHtml(DEFAULT_QUERY)}" data-tabs="${escapeHtml(JSON.stringify(tabs.map(tabOf)))}" data-tab-titles="${escapeHtml(JSON.stringify(tabTitles(tabs)))}">Loading GraphiQL…</div>
<script src="${src(files.react)}"></script>
<script src="${src(files.reactDom)}"></script>
<script src="${src(files.graphiql)}"></script>
<script src="${src(files.explorer)}"></script>
<script src="${src(files.init)}"></script>
</body>
</html>
`;
}

/** Registers `GET <path>` and its assets on a Fastify instance. Reads the asset files once. */
export function registerGraphiql(app: FastifyInstance, options: GraphiqlOptions = {}): void {
  const base = options.path ?? '/graphiql';
  const assetBase = `${base}/assets`;
  const files = loadAssets();
  const html = renderGraphiqlHtml(
    assetBase,
    files,
    options.endpoint ?? '/graphql',
    options.title ?? DEFAULT_TITLE,
    options.tabs,
  );

  app.get(base, async (_request, reply) => {
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .send(html);
  });

  const byFile = new Map(Object.values(files).map((a) => [a.file, a]));
  for (const a of byFile.values()) {
    app.get(`${assetBase}/${a.file}`, async (_request, reply) => {
      return reply
        .header('content-type', a.contentType)
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('x-content-type-options', 'nosniff')
        .send(a.body);
    });
  }
}

/** Sends browsers that open the GraphQL endpoint to GraphiQL. */
export function landingPagePlugin(graphiqlPath: string): ApolloServerPlugin<GatewayContext> {
  const href = graphiqlPath.replace(/[^A-Za-z0-9/_.-]/g, '');
  const html = `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=${href}"><title>govgraph</title></head><body><a href="${href}">Open GraphiQL</a></body></html>`;
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}

export const graphiql = defineFeature({
  name: 'graphiql',
  env: {
    /** Serve GraphiQL at `/graphiql`. */
    GATEWAY_GRAPHIQL: env.boolean().default(true),
    /** The page's title (browser tab). */
    GATEWAY_GRAPHIQL_TITLE: env.text().default(DEFAULT_TITLE),
    /**
     * The folder of example operations GraphiQL opens as tabs (`.graphql` files, common/examples.ts);
     * unset: the project's `examples/`; `none`: no tabs.
     */
    GATEWAY_GRAPHIQL_EXAMPLES_DIR: env.text().optional(),
  },
  create: (settings, host) => {
    if (!settings.GATEWAY_GRAPHIQL) return { plugins: [ApolloServerPluginLandingPageDisabled()] };
    const tabs = loadTabs(settings.GATEWAY_GRAPHIQL_EXAMPLES_DIR);
    return {
      plugins: [landingPagePlugin(GRAPHIQL_PATH)],
      routes: (app) =>
        registerGraphiql(app, {
          path: GRAPHIQL_PATH,
          endpoint: host.graphqlPath,
          title: settings.GATEWAY_GRAPHIQL_TITLE,
          tabs,
        }),
      links: { GraphiQL: GRAPHIQL_PATH },
    };
  },
});

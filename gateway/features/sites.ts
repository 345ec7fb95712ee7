/**
 * Static sites served beside the API, from folders the deployment names: `GATEWAY_SITES` =
 * `/dashboard=path/to/folder,…` (e.g. the analysts' scorecard dashboard, clients/dashboard/). The
 * gateway knows nothing of what they are: it serves each folder's files under its path, `index.html`
 * for the path itself, read once at start-up (a missing folder or one without `index.html` stops the
 * start). Same origin as `/graphql`, so a page calls the API without CORS; nothing leaves the
 * gateway (the pages' Content-Security-Policy allows only 'self').
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ConfigError, env } from '../../common/env';
import { defineFeature } from '../feature';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

interface Site {
  readonly path: string;
  readonly files: ReadonlyMap<string, { body: Buffer; type: string }>;
}

/** `GATEWAY_SITES` parsed: `/a=dir,/b=dir`; paths `/x` or `/x/y`, not the API's own. */
export function parseSites(value: string | undefined, reserved: readonly string[]): Site[] {
  if (!value?.trim()) return [];
  return value.split(',').map((entry) => {
    const eq = entry.indexOf('=');
    const at = entry.slice(0, eq).trim().replace(/\/+$/, '');
    const dir = entry.slice(eq + 1).trim();
    if (eq < 0 || !/^(\/[a-z0-9][a-z0-9-]*)+$/.test(at) || !dir)
      throw new ConfigError(
        'GATEWAY_SITES',
        `"${entry.trim()}" is not <path>=<folder> with a path like /dashboard`,
      );
    if (reserved.some((r) => r === at || r.startsWith(`${at}/`) || at.startsWith(`${r}/`)))
      throw new ConfigError('GATEWAY_SITES', `${at} is one of the gateway's own paths`);
    return { path: at, files: readSite(at, path.resolve(dir)) };
  });
}

function readSite(at: string, dir: string): Map<string, { body: Buffer; type: string }> {
  let names: string[];
  try {
    names = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  } catch {
    throw new ConfigError('GATEWAY_SITES', `${at}: no folder ${dir}`);
  }
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const name of names) {
    const file = path.join(dir, name);
    const type = TYPES[path.extname(name).toLowerCase()];
    if (!type || !statSync(file).isFile()) continue; // only known types are served
    files.set(name.split(path.sep).join('/'), { body: readFileSync(file), type });
  }
  if (!files.has('index.html')) throw new ConfigError('GATEWAY_SITES', `${at}: ${dir} has no index.html`);
  return files;
}

function registerSite(app: FastifyInstance, site: Site): void {
  const send = (file: { body: Buffer; type: string }, html: boolean) => ({
    'content-type': file.type,
    'cache-control': html ? 'no-cache' : 'public, max-age=300',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...(html ? { 'content-security-policy': CSP } : {}),
  });
  const index = site.files.get('index.html')!;
  app.get(site.path, async (_request, reply) => reply.redirect(`${site.path}/`, 301));
  app.get(`${site.path}/`, async (_request, reply) => reply.headers(send(index, true)).send(index.body));
  for (const [name, file] of site.files) {
    app.get(`${site.path}/${name}`, async (_request, reply) =>
      reply.headers(send(file, file.type.startsWith('text/html'))).send(file.body),
    );
  }
}

export const sites = defineFeature({
  name: 'sites',
  env: {
    /** `/path=folder,…`: static sites served at those paths (their files read at start-up). */
    GATEWAY_SITES: env.text().optional(),
  },
  create: (settings, host) => {
    const list = parseSites(settings.GATEWAY_SITES, [host.graphqlPath, '/graphiql', '/health', '/ready']);
    if (!list.length) return {};
    return {
      routes: (app) => {
        for (const site of list) registerSite(app, site);
      },
      links: Object.fromEntries(list.map((s) => [s.path.slice(1), `${s.path}/`])),
    };
  },
});

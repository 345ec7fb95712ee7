/**
 * `npm run dashboard:build`: the analysts' scorecard dashboard (clients/dashboard/) as a static folder
 * the gateway serves with `GATEWAY_SITES=/dashboard=<folder>` (gateway/features/sites.ts): index.html,
 * style.css and app.js, the page's TypeScript bundled with Chart.js by esbuild — no CDN, nothing
 * fetched at run time but `/graphql`. `npm start` builds it into data/dashboard and serves it.
 *
 *   npx tsx scripts/dashboard.ts [--outdir <folder>]   (default: data/dashboard)
 */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { ROOT } from '../schema/registry';

const SOURCE = path.join(ROOT, 'clients/dashboard');

export const buildDashboard = (outdir: string): Promise<string> => buildStaticSite(SOURCE, outdir);

/**
 * A static page folder (index.html, style.css, app.ts) built into `outdir`: app.ts and everything it
 * imports (npm packages, JSON) bundled by esbuild into app.js, the other two copied. Shared by the
 * dashboard and the citizens' portal page (scripts/portal.ts).
 */
export async function buildStaticSite(source: string, outdir: string): Promise<string> {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [path.join(source, 'app.ts')],
    outfile: path.join(outdir, 'app.js'),
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['chrome110', 'firefox110', 'safari16'],
    legalComments: 'eof', // Chart.js' MIT licence notice stays in the bundle
    logLevel: 'error',
  });
  for (const file of ['index.html', 'style.css'])
    copyFileSync(path.join(source, file), path.join(outdir, file));
  return outdir;
}

if (require.main === module) {
  const at = process.argv.indexOf('--outdir');
  const outdir = path.resolve(at > 0 ? process.argv[at + 1]! : path.join(ROOT, 'data/dashboard'));
  buildDashboard(outdir).then(
    (dir) => console.log(`wrote ${path.relative(process.cwd(), dir) || '.'}`),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}

/**
 * `npm run portal:build`: the citizens' reference portal page (clients/portal/page/) as a static folder
 * the gateway serves with `GATEWAY_SITES=/portal=<folder>` (gateway/features/sites.ts): index.html,
 * style.css and app.js, the page's TypeScript bundled by esbuild with the portal's trusted-document
 * manifest (clients/portal/manifest.json) inside — the page sends hashes, never query text. No CDN,
 * nothing fetched at run time but `/graphql`. `npm start` builds it into data/portal and serves it.
 *
 *   npx tsx scripts/portal.ts [--outdir <folder>]   (default: data/portal)
 */
import path from 'node:path';
import { ROOT } from '../schema/registry';
import { buildStaticSite } from './dashboard';

const SOURCE = path.join(ROOT, 'clients/portal/page');

export const buildPortal = (outdir: string): Promise<string> => buildStaticSite(SOURCE, outdir);

if (require.main === module) {
  const at = process.argv.indexOf('--outdir');
  const outdir = path.resolve(at > 0 ? process.argv[at + 1]! : path.join(ROOT, 'data/portal'));
  buildPortal(outdir).then(
    (dir) => console.log(`wrote ${path.relative(process.cwd(), dir) || '.'}`),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}

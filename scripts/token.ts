/**
 * `npm run token -- --role official --agency 000.00.21.H26`: prints a development token for the
 * gateway `npm start` runs (signed with the dev key pair in `<GOVGRAPH_DATA_DIR>/keys/`, made on
 * first use). Paste it in GraphiQL's Token box. Standard output holds only the token, so
 * `TOKEN=$(npm run -s token -- …)` works (`-s`: npm itself prints a banner on standard output first
 * otherwise, which this script cannot stop; it says so on standard error when it sees npm's banner on).
 *
 *   --role      citizen | official | analyst | partner | admin (required)
 *   --agency    agency code (officials, partners)      --citizen-id  12 digits (citizens)
 *   --scope     partner scopes, space-separated        --sub         subject (default dev-<role>)
 *   --ttl       lifetime in seconds (default 3600)
 */
import path from 'node:path';
import { env as setting, readEnv } from '../common/env';
import { ROOT } from '../schema/registry';
import { signDevToken } from './devKeys';

const FLAGS = ['--role', '--agency', '--citizen-id', '--scope', '--sub', '--ttl'] as const;
const ROLES = ['citizen', 'official', 'analyst', 'partner', 'admin'];

function fail(message: string): never {
  console.error(`token: ${message}`);
  process.exit(2);
}

function parseArgs(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    if (!(FLAGS as readonly string[]).includes(flag))
      fail(`unknown argument ${flag} (known: ${FLAGS.join(', ')})`);
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) fail(`${flag} needs a value`);
    out[flag] = value;
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const role = args['--role'];
  if (!role || !ROLES.includes(role)) fail(`--role must be one of ${ROLES.join(', ')}`);
  if ((role === 'official' || role === 'partner') && !args['--agency'])
    fail(`--agency is required for ${role}`);
  if (role === 'citizen' && !/^\d{12}$/.test(args['--citizen-id'] ?? ''))
    fail('--citizen-id (12 digits) is required for citizen');
  const ttl = Number(args['--ttl'] ?? 3600);
  if (!Number.isInteger(ttl) || ttl <= 0) fail('--ttl must be a positive number of seconds');

  const { GOVGRAPH_DATA_DIR } = readEnv(process.env, { GOVGRAPH_DATA_DIR: setting.text().default('data') });
  const claims: { role: string; agency?: string; citizen_id?: string; scope?: string } = { role };
  if (args['--agency']) claims.agency = args['--agency'];
  if (args['--citizen-id']) claims.citizen_id = args['--citizen-id'];
  if (args['--scope']) claims.scope = args['--scope'];
  const token = await signDevToken(path.resolve(ROOT, GOVGRAPH_DATA_DIR), claims, {
    subject: args['--sub'],
    ttlSeconds: ttl,
  });
  console.log(token);
  // Run by `npm run` without -s: npm has already printed its banner on standard output.
  if (process.env.npm_lifecycle_event === 'token' && process.env.npm_config_loglevel !== 'silent')
    console.error(
      'token: to capture only the token, run `npm run -s token -- …` (npm prints a banner otherwise)',
    );
}

main().catch((err: Error) => fail(err.message));

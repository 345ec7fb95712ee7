/**
 * `npm run schema -- <command> …`: the registry's command-line tool for CI (docs/registry.md "CLI").
 * It uses Node's built-ins only, so `npm run build` bundles it into one dependency-free file,
 * dist/schema-cli.mjs, that a partner copies into its own repository and runs with
 * `node schema-cli.mjs …` in its CI (docs/partners.md). One file per command family under cli/.
 *
 *   check    <subgraph> --schema <file> [--url <url>]          compose + classify, store nothing
 *   publish  <subgraph> --schema <file> [--url <url>] [--override-reason <text>]
 *   rollback <subgraph> --to <version>
 *   versions <subgraph>
 *   documents <client> --manifest <file>                       registers the client's trusted documents
 *            (replaces its set; govgraph's, Codegen's or Apollo's manifest format): a check counts
 *            them as usage of every field they select, whether or not they ran
 *   contract <name> [--include <tags>] [--exclude <tags>] [--partners <AGENCY,scope:x,…>]
 *            sets (with tags or partners; an official's or admin's token) or prints a schema
 *            contract in the registry; --schema prints its API schema, --delete deletes it;
 *            --file <contracts.json> works on a local contracts file instead (no registry call)
 *
 *   --registry <url>  or GOVGRAPH_REGISTRY_URL     --token <jwt>  or GOVGRAPH_REGISTRY_TOKEN
 *   --env <name>      or GOVGRAPH_REGISTRY_ENV (default production)     --json  the answer as JSON
 *
 * Exit codes: 0 passed / done; 1 the check failed (breaking changes, or the graph does not compose),
 * for check and for a publish the registry refused for that reason, trusted documents that do not
 * validate against the graph, a contract that leaves no query; 2 anything else: usage, the registry
 * unreachable, a refused token, an unknown version, a file that is not a manifest.
 */
import { Failure, Usage, USAGE } from './cli/common';
import type { Outcome } from './cli/common';
import { runContract } from './cli/contract';
import { runDocuments } from './cli/documents';
import { isSubgraphCommand, runSubgraphCommand } from './cli/subgraphs';

/** Runs one command; returns the exit code and what to print (stdout, stderr). */
async function run(argv: readonly string[]): Promise<Outcome> {
  const [command, name, ...rest] = argv;
  try {
    if (command === 'contract') return await runContract(name, rest);
    if (!command || (!isSubgraphCommand(command) && command !== 'documents'))
      throw new Usage(command ? `unknown command "${command}"` : 'no command');
    if (!name || name.startsWith('--'))
      throw new Usage(`${command} needs a ${command === 'documents' ? 'client' : 'subgraph'} name`);
    return command === 'documents'
      ? await runDocuments(name, rest)
      : await runSubgraphCommand(command, name, rest);
  } catch (error) {
    if (error instanceof Usage) return { code: 2, out: [], err: [`schema: ${error.message}`, USAGE] };
    if (error instanceof Failure) return { code: 2, out: [], err: [`schema: ${error.message}`] };
    throw error;
  }
}

run(process.argv.slice(2)).then(
  ({ code, out, err }) => {
    if (out.length) process.stdout.write(`${out.join('\n')}\n`);
    if (err.length) process.stderr.write(`${err.join('\n')}\n`);
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`schema: unexpected error: ${(error as Error).message}\n`);
    process.exitCode = 2;
  },
);

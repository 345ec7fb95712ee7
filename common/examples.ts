/**
 * Example operations kept as files: a folder of `.graphql` files, one named operation each (with the
 * fragments it uses), in sub-folders by audience (`portal/`, `analyst/`, …), read in path order (a
 * number prefix such as `01-` sets it). GraphiQL opens them as tabs; tests run them; the docs show
 * them. Neutral: no gateway, kit or subgraph code, no knowledge of any schema.
 *
 * A file opens with a comment header, then the operation:
 *
 *   # Dossier status by code                          ← the title (first line)
 *   #
 *   # Where is my dossier? Its status and dates by     ← a description (any lines)
 *   # the code on the receipt.
 *   #
 *   # Token: none (anonymous)                         ← `Key: value` lines closing the header
 *   query DossierStatusByCode {
 *     …
 *
 * Variables, when the operation has any worth showing, sit beside it in `<name>.variables.json`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse } from 'graphql';

export interface ExampleOperation {
  /** Its path in the folder without `.graphql`, e.g. `portal/04-dossier-status`. */
  readonly name: string;
  /** The header's first line, e.g. `Dossier status by code`. */
  readonly title: string;
  /** The header's other lines, joined into one paragraph per blank line. */
  readonly description: string;
  /** The `Key: value` lines that close the header, e.g. `{ Token: 'none (anonymous)' }`. */
  readonly meta: Readonly<Record<string, string>>;
  /** The operation's name, e.g. `DossierStatusByCode` (GraphiQL titles its tab with it). */
  readonly operationName: string;
  /** The whole file, header included: what GraphiQL's tab shows. */
  readonly source: string;
  /** The document without its header: what the docs show. */
  readonly query: string;
  /** The variables file's text (JSON), if there is one. */
  readonly variables?: string;
}

/** A file that is not an example as described above; the message names it. */
export class ExampleFileError extends Error {}

const META = /^([A-Z][A-Za-z]*): (.+)$/;

function graphqlFiles(dir: string, under = ''): string[] {
  return (
    readdirSync(path.join(dir, under), { withFileTypes: true })
      // Code-unit order, the same on every machine (localeCompare would depend on the locale).
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .flatMap((d) => {
        const rel = under ? `${under}/${d.name}` : d.name;
        if (d.isDirectory()) return graphqlFiles(dir, rel);
        return d.name.endsWith('.graphql') ? [rel] : [];
      })
  );
}

/** Parses one example file's text; `name` is only for messages and the result. */
export function parseExample(name: string, source: string, variables?: string): ExampleOperation {
  const lines = source.split('\n');
  const headerEnd = lines.findIndex((l) => !l.startsWith('#'));
  const header = lines.slice(0, headerEnd < 0 ? lines.length : headerEnd).map((l) => l.replace(/^# ?/, ''));
  const title = header[0]?.trim();
  if (!title) throw new ExampleFileError(`${name}.graphql: must open with a comment line, its title`);
  const rest = header.slice(1);
  // The last paragraph is metadata when each of its lines is `Key: value`.
  const lastBlank = rest.map((l) => l.trim()).lastIndexOf('');
  const tail = rest.slice(lastBlank + 1);
  const isMeta = tail.length > 0 && tail.every((l) => META.test(l)) && lastBlank >= 0;
  const meta = isMeta
    ? Object.fromEntries(tail.map((l) => META.exec(l)!.slice(1, 3) as [string, string]))
    : {};
  const description = (isMeta ? rest.slice(0, lastBlank) : rest)
    .join('\n')
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter(Boolean)
    .join('\n\n');
  const query = lines.slice(headerEnd < 0 ? lines.length : headerEnd).join('\n');
  let operations;
  try {
    operations = parse(query).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  } catch (error) {
    throw new ExampleFileError(`${name}.graphql: ${(error as Error).message}`);
  }
  if (operations.length !== 1 || !operations[0]!.name)
    throw new ExampleFileError(`${name}.graphql: must hold exactly one named operation`);
  if (variables !== undefined) {
    try {
      JSON.parse(variables);
    } catch (error) {
      throw new ExampleFileError(`${name}.variables.json: ${(error as Error).message}`);
    }
  }
  return {
    name,
    title,
    description,
    meta,
    operationName: operations[0]!.name.value,
    source,
    query,
    ...(variables !== undefined ? { variables } : {}),
  };
}

/** Every example under `dir`, in path order. Throws an ExampleFileError naming a bad file. */
export function readExamples(dir: string): ExampleOperation[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new ExampleFileError(`${dir}: no such folder of examples`);
  return graphqlFiles(dir).map((file) => {
    const name = file.slice(0, -'.graphql'.length);
    const vars = path.join(dir, `${name}.variables.json`);
    return parseExample(
      name,
      readFileSync(path.join(dir, file), 'utf8'),
      existsSync(vars) ? readFileSync(vars, 'utf8') : undefined,
    );
  });
}

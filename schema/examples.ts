/**
 * The example operations analysts start from, in one place: the scorecard query (the README's headline
 * analyst example, the benchmark's "scorecard" scenario, GraphiQL's first tab) and the README's other
 * examples, read from README.md's graphql blocks — the same blocks the README-example tests run — so
 * GraphiQL's tabs, the README and the tests cannot drift apart. Neutral: imports no gateway/, kit/ or
 * subgraphs/ code.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isExecutableDefinitionNode, parse } from 'graphql';
import { ROOT } from './registry';

/**
 * The live e-government scorecard: for one agency and every child of it on `$asOf`, for a period, the
 * seven KPIs — each contributed to `Agency` by the subgraph that owns the data — with the previous
 * period and the rank among siblings. The defaults are Bắc Từ Liêm and its 13 wards in 2014.
 */
export const SCORECARD_QUERY = `query Scorecard(
  $agency: ID! = "000.00.21.H26"
  $period: PeriodInput! = { from: "2014-01-01", to: "2014-12-31" }
  $year: Int! = 2014
  $asOf: Date! = "2014-12-31"
  $withSubordinates: Boolean! = false
) {
  agency(code: $agency) {
    code
    name
    ...Scorecard
    children(asOf: $asOf) {
      code
      name
      ...Scorecard
    }
  }
}

fragment Scorecard on Agency {
  documentStats(period: $period, includeSubordinates: $withSubordinates) {
    electronic {
      ...KpiFields
    }
    signed {
      ...KpiFields
    }
  }
  dossierStats(period: $period, includeSubordinates: $withSubordinates) {
    onTime {
      ...KpiFields
    }
    online {
      ...KpiFields
    }
  }
  mailStats(period: $period, includeSubordinates: $withSubordinates) {
    coverage {
      ...KpiFields
    }
    regularUse {
      ...KpiFields
    }
  }
  budget(year: $year, includeSubordinates: $withSubordinates) {
    execution {
      ...KpiFields
    }
  }
  landStats(period: $period, includeSubordinates: $withSubordinates) {
    digitised {
      ...KpiFields
    }
  }
}

fragment KpiFields on Kpi {
  value
  numerator
  denominator
  previous
  change
  rank
  rankOf
}
`;

export interface Example {
  /** A short title: the README section, then the words the README puts before the query. */
  title: string;
  query: string;
}

/** The title of a README block: its section and the bold label or first words of the text before it. */
function titleOf(section: string, before: string): string {
  const para =
    before
      .trim()
      .split(/\n\s*\n/)
      .pop() ?? '';
  const bold = /\*\*([^*]+)\*\*/.exec(para)?.[1];
  const words = (bold ?? para.replace(/[`*_]/g, ''))
    .replace(/\s+/g, ' ')
    .split(/[:(—.]/)[0]!
    .trim();
  const short = words.length > 48 ? `${words.slice(0, 47)}…` : words;
  if (!short || short.startsWith('#')) return section;
  return section === 'Example queries' ? short : `${section}: ${short}`;
}

/** True for a block of operations (a query to run), false for SDL such as a schema excerpt. */
function isOperation(source: string): boolean {
  try {
    return parse(source).definitions.every(isExecutableDefinitionNode);
  } catch {
    return true; // a broken example still gets its tab, where GraphiQL shows what is wrong
  }
}

/**
 * Every graphql block of the README that is an operation, titled, in order (none when there is no
 * README). Schema excerpts (SDL, e.g. the `@personalData` example) are not runnable and are left out.
 */
export function readmeExamples(file = path.join(ROOT, 'README.md')): Example[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const out: Example[] = [];
  const block = /```graphql\n([\s\S]*?)```/g;
  let last = 0;
  for (let m = block.exec(text); m; m = block.exec(text)) {
    const head = text.slice(0, m.index);
    const heading = head.lastIndexOf('\n## ');
    const section = heading < 0 ? 'govgraph' : head.slice(heading + 4, head.indexOf('\n', heading + 4));
    if (isOperation(m[1]!))
      out.push({ title: titleOf(section, text.slice(Math.max(last, heading), m.index)), query: m[1]! });
    last = m.index + m[0].length;
  }
  return out;
}

/** GraphiQL's tabs: the scorecard first, then the README's other examples. */
export function exampleTabs(file?: string): Example[] {
  const rest = readmeExamples(file).filter((e) => e.query.trim() !== SCORECARD_QUERY.trim());
  return [{ title: 'Scorecard', query: SCORECARD_QUERY }, ...rest];
}

/**
 * The project's example operations (`examples/`, one `.graphql` file each, format in
 * common/examples.ts): GraphiQL's default tabs, run by test/examples.int.test.ts, shown in the README
 * and docs/. The scorecard is also the benchmark's "scorecard" scenario. Neutral: imports no gateway/,
 * kit/ or subgraphs/ code.
 */
import path from 'node:path';
import { readExamples } from '../common/examples';
import type { ExampleOperation } from '../common/examples';
import { ROOT } from './registry';

export const EXAMPLES_DIR = path.join(ROOT, 'examples');

/** Every example of `examples/`, in path order. */
export const projectExamples = (): ExampleOperation[] => readExamples(EXAMPLES_DIR);

/** One example by its name, e.g. `portal/04-dossier-status`; throws naming a missing one. */
export function example(name: string): ExampleOperation {
  const found = projectExamples().find((e) => e.name === name);
  if (!found) throw new Error(`examples/${name}.graphql: no such example`);
  return found;
}

/**
 * The live e-government scorecard (`examples/analyst/01-scorecard.graphql`): for one agency and every
 * child of it on `$asOf`, for a period, the seven KPIs — each contributed to `Agency` by the subgraph
 * that owns the data — with the previous period and the rank among siblings. Its variables' defaults
 * are Bắc Từ Liêm and its 13 wards in 2014.
 */
export const SCORECARD_QUERY: string = example('analyst/01-scorecard').query;

/**
 * The kit's public entry for subgraphs, `…/kit`: the subgraph runtime, the shared reference data and
 * the scorecard KPIs, each area's curated surface (runtime/index.ts, reference/index.ts,
 * scorecard/index.ts). Seeds and tests also use `…/kit/synthetic` (synthetic data) and tests
 * `…/kit/testing`. Everything else under kit/ is the kit's own business, and ESLint rejects deep
 * imports of it from subgraphs/ (docs/development.md "Import boundaries"). Kit modules never import
 * this file.
 */
export * from './runtime';
export * from './reference';
export * from './scorecard';
export * from './connectors';
export * from './events';

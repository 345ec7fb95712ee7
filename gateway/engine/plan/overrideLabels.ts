/**
 * Progressive `@override(from:, label:)`: which labels are on for one request. A field overridden
 * with a label moves to the overriding subgraph only for requests where its label is on; otherwise
 * the `from` subgraph keeps serving it (the planner's default, every label off).
 *
 * The labels are those of the supergraph (`@join__field(overrideLabel:)`). A `percent(x)` label is
 * rolled per request, on for x% of requests; any label listed in `GATEWAY_OVERRIDE_LABELS` is fixed
 * to the configured value instead (so `percent(5)=false` stops a rollout, `beta=true` turns a custom
 * label on); other custom labels are off. The planner is given the resulting map
 * (`overrideConditions`) and the engine caches one plan per operation and set of labels that are on.
 */
import type { Supergraph } from '@apollo/federation-internals';

const PERCENT = /^percent\((\d+(?:\.\d+)?)\)$/;
const LABEL = /^[a-zA-Z][a-zA-Z0-9_\-:./]*$/;

/** Whether `label` is valid for `@override(label:)`: a custom name or `percent(x)`, 0 ≤ x ≤ 100. */
export function isOverrideLabel(label: string): boolean {
  const percent = PERCENT.exec(label);
  if (percent) return Number(percent[1]) <= 100;
  return LABEL.test(label);
}

export interface OverrideLabels {
  /** Every label of the supergraph (empty: the supergraph has no progressive override). */
  readonly all: readonly string[];
  /** Resolves the labels for one request: the planner's conditions and a cache key naming the ones on. */
  resolve(): { key: string; conditions: Map<string, boolean> | undefined };
}

const NONE = { key: '', conditions: undefined };

/** The supergraph's override labels, resolved with the configured values (`GATEWAY_OVERRIDE_LABELS`). */
export function overrideLabels(
  supergraph: Supergraph,
  configured: ReadonlyMap<string, boolean>,
  random: () => number = Math.random,
): OverrideLabels {
  const labels = new Set<string>();
  for (const application of supergraph.schema.directive('join__field')?.applications() ?? []) {
    const label = (application.arguments() as { overrideLabel?: string }).overrideLabel;
    if (label) labels.add(label);
  }
  const all = [...labels].sort();
  if (all.length === 0) return { all, resolve: () => NONE };
  const fixedOn: string[] = [];
  const rolled: { label: string; fraction: number }[] = [];
  for (const label of all) {
    const value = configured.get(label);
    if (value !== undefined) {
      if (value) fixedOn.push(label);
      continue;
    }
    const percent = PERCENT.exec(label);
    if (percent) rolled.push({ label, fraction: Number(percent[1]) / 100 });
  }
  return {
    all,
    resolve() {
      const on = fixedOn.slice();
      for (const { label, fraction } of rolled) if (random() < fraction) on.push(label);
      // The planner starts from every label off: only the ones on need passing.
      if (on.length === 0) return NONE;
      return { key: on.join('\0'), conditions: new Map(on.map((label) => [label, true])) };
    },
  };
}

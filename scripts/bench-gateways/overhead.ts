/**
 * The overhead test of `npm run bench:gateways`: one connection, a query one subgraph answers alone,
 * straight to the subgraph and through each gateway, in several rounds that alternate between the
 * targets (the order rotates each round), so one noisy moment on a shared machine does not decide.
 * Reports per target the per-round p50s, their median and spread, and the overhead: the median
 * over rounds of (gateway p50 − direct p50 of the same round). Returns the number of failed requests.
 */
import { cpuMs, median, runLoad } from './measure';

export interface OverheadTarget {
  name: string;
  url: string;
  /** The gateway process, for its CPU time per request (none for the direct call). */
  pid?: number;
}

export async function measureOverhead(
  targets: readonly OverheadTarget[],
  bodyFile: string,
  seconds: number,
  rounds: number,
  warmup: number,
  query: string,
): Promise<number> {
  // Warm-up, not counted: JIT, plan caches and connections (the first seconds are slower).
  if (warmup > 0) for (const t of targets) await runLoad(t.url, bodyFile, warmup, 1);
  const p50s = targets.map(() => [] as number[]);
  const cpu = targets.map(() => [] as number[]);
  const errors = targets.map(() => 0);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < targets.length; k++) {
      const i = (k + round) % targets.length;
      const t = targets[i]!;
      const before = t.pid === undefined ? 0 : cpuMs(t.pid);
      const r = await runLoad(t.url, bodyFile, seconds, 1);
      p50s[i]!.push(r.p50);
      errors[i]! += r.errors;
      if (t.pid !== undefined) cpu[i]!.push((cpuMs(t.pid) - before) / r.requests);
    }
  }
  const direct = targets.findIndex((t) => t.pid === undefined);
  console.log(
    `overhead, one connection, \`${query}\` (one subgraph), ${rounds} rounds × ${seconds} s, order rotating: ` +
      'p50 ms per round, their median and spread (max − min); overhead = median over rounds of (p50 − direct p50 of that round)',
  );
  targets.forEach((t, i) => {
    const xs = p50s[i]!;
    const spread = Math.max(...xs) - Math.min(...xs);
    let line = `  ${t.name.padEnd(16)}${xs.map((x) => x.toFixed(2).padStart(7)).join('')}   median ${median(xs).toFixed(2)}  spread ${spread.toFixed(2)}`;
    if (direct >= 0 && i !== direct) {
      const over = xs.map((x, r) => x - p50s[direct]![r]!);
      line +=
        `   overhead +${median(over).toFixed(2)} ms (rounds ${Math.min(...over).toFixed(2)}…${Math.max(...over).toFixed(2)})` +
        `; gateway CPU ${median(cpu[i]!).toFixed(2)} ms/req`;
    }
    if (errors[i]) line += `   ${errors[i]} ERRORS`;
    console.log(line);
  });
  return errors.reduce((a, b) => a + b, 0);
}

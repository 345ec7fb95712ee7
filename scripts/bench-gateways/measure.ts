/** What the gateway benchmarks measure around a run: load, CPU time and peak memory of a process tree. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LoadResult } from './load';
import { pinned, startProcess } from './processes';

/** The process and all its descendants (a cluster primary and its workers). */
function tree(root: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited meanwhile
    }
  }
  const pids = [root];
  for (let i = 0; i < pids.length; i++)
    for (const [pid, ppid] of parent) if (ppid === pids[i]) pids.push(pid);
  return pids;
}

/** CPU time (user + system) the process tree has used so far, in ms (clock ticks of 10 ms). */
export function cpuMs(root: number): number {
  let total = 0;
  for (const pid of tree(root)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

/** Sum of the peak resident set sizes (VmHWM) of the process tree, in MB. */
export function peakRssMb(root: number): number {
  let kb = 0;
  for (const pid of tree(root)) {
    try {
      kb += Number(/VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // exited meanwhile
    }
  }
  return kb / 1024;
}

export async function post(url: string, body: string): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return res.json();
}

/** Runs the load generator (load.ts) pinned to CPU 1 and returns its result. */
export async function runLoad(
  url: string,
  bodyFile: string,
  seconds: number,
  connections: number,
): Promise<LoadResult> {
  const load = startProcess(
    pinned('1', [
      process.execPath,
      '--import',
      'tsx',
      path.join(__dirname, 'load.ts'),
      url,
      bodyFile,
      String(connections),
      String(seconds),
    ]),
    {},
  );
  const out = await load.output();
  return JSON.parse(out.trim().split('\n').pop()!) as LoadResult;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

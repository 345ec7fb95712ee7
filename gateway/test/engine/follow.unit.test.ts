/**
 * Following a source (supergraph/follow.ts) with a builder that records what it is asked: a new
 * version is built then activated; one whose build or hooks fail is refused with its hash and reason
 * and the hooks' memory goes back to the serving version; changes during a slow build collapse into
 * the newest; events and status report all of it.
 */
import pino from 'pino';
import { supergraphEvents } from '../../engine/supergraph/events';
import type { SupergraphRefusal, SupergraphReload } from '../../engine/supergraph/events';
import { followSupergraph } from '../../engine/supergraph/follow';
import { supergraphVersion } from '../../engine/supergraph/source';
import type { SupergraphSource, SupergraphVersion } from '../../engine/supergraph/source';

function memorySource(first: string): SupergraphSource & { push(sdl: string): void } {
  const listeners = new Set<(version: SupergraphVersion) => void>();
  return {
    describe: 'memory',
    load: async () => supergraphVersion(first),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: async () => undefined,
    push: (sdl) => listeners.forEach((listener) => listener(supergraphVersion(sdl))),
  };
}

const hash = (sdl: string) => supergraphVersion(sdl).hash;

function setup(options: { slow?: boolean } = {}) {
  const source = memorySource('v1');
  const events = supergraphEvents();
  const lines: { level: number; msg: string; reason?: string; supergraph?: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  /** What the hooks remember: the last text they read (like the cost feature's annotations). */
  let hooked = '';
  const active: string[] = [];
  const builds: string[] = [];
  let release: () => void = () => undefined;
  const follower = followSupergraph(
    {
      source,
      events,
      logger,
      transform(sdl) {
        if (sdl.includes('hook-fails')) throw new Error('the hook refuses this one');
        hooked = sdl;
        return `${sdl}+hooked`;
      },
    },
    {
      build(version) {
        builds.push(version.sdl);
        if (version.sdl.includes('broken')) throw new Error('Syntax Error: broken\nmore detail');
        if (!options.slow) return version.sdl;
        return new Promise<string>((resolve) => (release = () => resolve(version.sdl)));
      },
      activate: (built) => void active.push(built),
    },
  );
  const reloads: SupergraphReload[] = [];
  const refusals: SupergraphRefusal[] = [];
  events.onReload((e) => reloads.push(e));
  events.onReloadRefused((e) => refusals.push(e));
  return {
    source,
    events,
    follower,
    lines,
    active,
    builds,
    reloads,
    refusals,
    hooked: () => hooked,
    release: () => release(),
  };
}

test('a valid version takes over; a broken one is refused, the serving one and the hooks untouched', async () => {
  const t = setup();
  await t.follower.load();
  expect(t.active).toEqual(['v1+hooked']);
  expect(t.events.status()).toMatchObject({ hash: hash('v1'), reloads: 0, refusals: 0, source: 'memory' });

  t.source.push('v2');
  await t.follower.settled();
  expect(t.active).toEqual(['v1+hooked', 'v2+hooked']);
  expect(t.reloads).toEqual([{ hash: hash('v2'), previousHash: hash('v1'), source: 'memory', reloads: 1 }]);

  t.source.push('v3 broken');
  await t.follower.settled();
  expect(t.active).toEqual(['v1+hooked', 'v2+hooked']);
  expect(t.hooked()).toBe('v2'); // the hooks read the refused text, then the serving one again
  expect(t.refusals).toEqual([
    {
      hash: hash('v3 broken'),
      reason: 'Syntax Error: broken',
      currentHash: hash('v2'),
      source: 'memory',
      refusals: 1,
    },
  ]);
  const refused = t.lines.find((l) => l.msg === 'supergraph refused; the current one keeps serving');
  expect(refused).toMatchObject({ level: 50, supergraph: hash('v3 broken'), reason: 'Syntax Error: broken' });

  t.source.push('v4 hook-fails');
  await t.follower.settled();
  expect(t.builds).not.toContain('v4 hook-fails+hooked');
  expect(t.refusals.map((r) => r.reason)).toEqual(['Syntax Error: broken', 'the hook refuses this one']);
  expect(t.events.status()).toMatchObject({ hash: hash('v2'), reloads: 1, refusals: 2 });
  expect(t.events.status().lastRefused?.hash).toBe(hash('v4 hook-fails'));
});

test('changes that arrive during a slow build collapse into the newest', async () => {
  const t = setup({ slow: true });
  const loading = t.follower.load();
  await new Promise((resolve) => setImmediate(resolve));
  t.release();
  await loading;
  t.source.push('v2');
  await new Promise((resolve) => setImmediate(resolve));
  expect(t.hooked()).toBe('v1'); // while v2 builds, the hooks hold the serving version
  t.source.push('v3');
  t.source.push('v4');
  t.release();
  await new Promise((resolve) => setImmediate(resolve));
  t.release();
  await t.follower.settled();
  expect(t.builds).toEqual(['v1+hooked', 'v2+hooked', 'v4+hooked']);
  expect(t.active).toEqual(['v1+hooked', 'v2+hooked', 'v4+hooked']);
  expect(t.hooked()).toBe('v4');
  expect(t.reloads.map((r) => r.reloads)).toEqual([1, 2]);
});

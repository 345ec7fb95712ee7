import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const started = globalThis.__GOVGRAPH_TEST_PG__;
  if (!started) return;
  await started.server.stop();
  rmSync(started.dir, { recursive: true, force: true });
}

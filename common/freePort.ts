/**
 * A TCP port on 127.0.0.1 that nothing listens on right now: the operating system picks it (`listen(0)`),
 * the probe closes it again. For processes that must be told their port before they start.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A proxy between the gateways and the registry that can tamper with the supergraph on its way:
 * `pass` forwards (ETag and 304 included), `tamper` changes the document but keeps its signature,
 * `unsigned` drops the signature. Neither of the last two lets a 304 through (it would hide the change).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER } from '../../common/supergraphSignature';

export type ProxyMode = 'pass' | 'tamper' | 'unsigned';

export interface SupergraphProxy {
  url: string;
  mode: ProxyMode;
  close(): Promise<void>;
}

/** `tamper(document)` is what a tampering proxy serves instead of `document`. */
export async function startSupergraphProxy(
  registryUrl: string,
  tamper: (document: string) => string,
): Promise<SupergraphProxy> {
  const server = createServer((req, res) => {
    const mode = proxy.mode;
    const headers: Record<string, string> = {};
    if (mode === 'pass' && req.headers['if-none-match'])
      headers['if-none-match'] = req.headers['if-none-match'];
    fetch(new URL(req.url!, registryUrl), { headers }).then(
      async (upstream) => {
        let body = await upstream.text();
        const out: Record<string, string> = {
          'content-type': upstream.headers.get('content-type') ?? 'text/plain',
        };
        const signature = upstream.headers.get(SIGNATURE_HEADER);
        if (signature && mode !== 'unsigned') out[SIGNATURE_HEADER] = signature;
        if (mode === 'pass' && upstream.headers.get('etag')) out.etag = upstream.headers.get('etag')!;
        if (mode === 'tamper') body = tamper(body);
        res.writeHead(upstream.status, out).end(upstream.status === 304 ? undefined : body);
      },
      () => res.writeHead(502).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy: SupergraphProxy = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    mode: 'pass',
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return proxy;
}

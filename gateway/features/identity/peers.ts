/**
 * Delegation peers (`GATEWAY_SUBGRAPH_PEERS`): which subgraphs a subgraph reads while it checks a
 * write, and where the gateway reaches each subgraph (common/identity.ts "Delegation").
 */
import { env } from '../../../common/env';

/** `land=dossiers+mail;documents=mail` → land → [dossiers, mail], documents → [mail]. */
export function peerMap() {
  return env.text().transform((raw, ctx) => {
    const map = new Map<string, readonly string[]>();
    for (const entry of raw
      .split(';')
      .map((e) => e.trim())
      .filter(Boolean)) {
      const m = /^([a-z][a-z0-9-]*)=([a-z][a-z0-9-]*(?:\+[a-z][a-z0-9-]*)*)$/.exec(entry);
      if (!m || map.has(m[1]!)) {
        ctx.addIssue({
          code: 'custom',
          message: `"${entry}" is not <subgraph>=<peer>+<peer>… (once per subgraph)`,
        });
        continue;
      }
      map.set(m[1]!, m[2]!.split('+'));
    }
    return map as ReadonlyMap<string, readonly string[]>;
  });
}

/** The subgraphs' addresses in a supergraph: `@join__graph(name: "land", url: "…")`. */
export function graphUrls(sdl: string): Map<string, string> {
  const urls = new Map<string, string>();
  for (const m of sdl.matchAll(/@join__graph\(\s*name:\s*"([^"]+)"\s*,?\s*url:\s*"([^"]*)"\s*\)/g))
    urls.set(m[1]!, m[2]!);
  return urls;
}

/**
 * In-process harness: the land subgraph over a given database, queried through Fastify inject, with
 * the dossiers subgraph it asks about dossiers (kit/runtime/peers.ts) running next to it on real HTTP, trusting
 * the same gateway keys. `landDossier` makes the resolved dossier a change needs there.
 */
import type { Database, LandChangeKind } from '../../../../kit';
import { LAND_CHANGE_PROCEDURES } from '../../../../kit';
import { generateGatewayKeys } from '../../../../common/identity';
import { callers, createTestDatabase, startTestSubgraph } from '../../../../kit/testing';
import type { TestSubgraph } from '../../../../kit/testing';
import path from 'node:path';
import type { SubgraphModule } from '../../../../kit';
import { loadRegistry, ROOT } from '../../../../schema/registry';
import { land } from '../../subgraph';
import { makeLandDossier } from './dossiers';
import type { LandDossierSpec } from './dossiers';

export interface Harness extends TestSubgraph {
  /** The dossiers subgraph the land subgraph checks dossiers with. */
  readonly dossiers: TestSubgraph;
  /**
   * A land dossier of `agency` (default Bắc Từ Liêm) under the procedure of `kind`, naming `parcelId`,
   * received, resolved and returned on the given days (defaults: 2025-06-02, 06-09, 06-10).
   */
  landDossier(
    spec: { kind: LandChangeKind; parcelId: string; agency?: string } & Partial<
      Pick<LandDossierSpec, 'received' | 'resolved' | 'returned'>
    >,
  ): Promise<string>;
}

export const TEST_SCALE = 0.2; // enough parcels in a merged ward and its predecessors for a page of 100
/** The dossiers seed only needs its catalogue and procedures here. */
const DOSSIERS_SCALE = 0.01;

/** A registered subgraph's module, loaded by name like the test stacks do: subgraphs never import each other. */
function peerModule(name: string): SubgraphModule<unknown> {
  const entry = loadRegistry().find((e) => e.name === name)!;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exports = require(path.join(ROOT, entry.dir, 'subgraph.ts')) as Record<
    string,
    SubgraphModule<unknown>
  >;
  return Object.values(exports).find((m) => m?.name === name)!;
}

export async function openHarness(db: Database, scale = TEST_SCALE): Promise<Harness> {
  const gatewayKeys = generateGatewayKeys();
  const dossiersModule = peerModule('dossiers');
  // The dossiers subgraph asks land about a land dossier's parcel in turn: its peer URL is known once
  // land listens (the headers read `peers` at each request).
  const dossierPeers: Record<string, string> = {};
  const dossiers = await startTestSubgraph(dossiersModule, {
    db: await createTestDatabase(),
    scale: DOSSIERS_SCALE,
    gatewayKeys,
    peers: dossierPeers,
  });
  const h = await startTestSubgraph(land, {
    db,
    scale,
    caller: callers.analyst, // every record, holders masked
    gatewayKeys,
    peers: { dossiers: await dossiers.listen() },
  });
  dossierPeers.land = await h.listen();
  const procedures = new Map<string, string>();
  return {
    ...h,
    dossiers,
    async landDossier(spec) {
      const agency = spec.agency ?? '000.00.21.H26';
      const name = LAND_CHANGE_PROCEDURES[spec.kind];
      if (!procedures.has(`${agency}|${name}`)) {
        const [p] = await dossiers.db.query<{ code: string }>(
          'SELECT code FROM procedures WHERE agency_code = $1 AND name = $2',
          [agency, name],
        );
        if (!p) throw new Error(`agency ${agency} has no procedure "${name}"`);
        procedures.set(`${agency}|${name}`, p.code);
      }
      return makeLandDossier((q, v, c) => dossiers.gql(q, v, c), {
        agency,
        procedureCode: procedures.get(`${agency}|${name}`)!,
        parcelId: spec.parcelId,
        received: spec.received ?? '2025-06-02',
        resolved: spec.resolved === undefined ? '2025-06-09' : spec.resolved,
        returned: spec.returned === undefined ? '2025-06-10' : spec.returned,
      });
    },
    async close() {
      await h.close();
      await dossiers.close();
    },
  };
}

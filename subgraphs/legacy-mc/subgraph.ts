/**
 * The legacy-mc subgraph: the vendor's one-stop-shop system (docs/systems/legacy-mc.md) as a connector
 * subgraph. Its schema.graphql declares everything (kit/connectors); this file says only whose personal
 * data a payment record holds. Tests and main.ts import this file.
 */
import { defineConnectorSubgraph } from '../../kit';
import type { PersonalDataOwner } from '../../kit';

export const legacyMc = defineConnectorSubgraph({
  dir: __dirname,
  personalData: {
    LegacyPayment: (p: { dossierCode: string; agencyCode: string }): PersonalDataOwner => ({
      id: p.dossierCode,
      agencyCode: p.agencyCode,
      citizenId: null,
    }),
  },
});

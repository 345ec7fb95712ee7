/**
 * Subscription: the selection of a client's subscription, run by the gateway once per event as the
 * receiver (kit/runtime/subscriptions.ts: the root is the event envelope, docs/subscriptions.md). The
 * dossier is read with the same rule as `Query.dossier`: a receiver who may not read it gets
 * NOT_FOUND, and the gateway then delivers nothing to them.
 */
import { notFound } from '../../../kit';
import type { EventEnvelope } from '../../../kit';
import { DOSSIER_CODE, parseDossierCode } from '../codes';
import type { DossierRow } from '../db/tables';
import type {
  DossierStatus,
  SubscriptionDossierPublicStatusChangedArgs,
  SubscriptionDossierStatusChangedArgs,
  SubscriptionResolvers,
} from '../generated/graphql';
import type { Ctx } from './context';
import { dossierOwner } from './dossier';

/** What `DossierStatusChanged` resolves from: the event's facts and the dossier as the receiver reads it. */
export interface StatusChangedValue {
  id: string;
  at: string;
  status: DossierStatus;
  previousStatus: DossierStatus | null;
  dossier: DossierRow;
}

const refused = (): never => {
  throw new Error('a subscription field is only ever resolved for one event');
};

export const Subscription: SubscriptionResolvers = {
  dossierStatusChanged: {
    subscribe: refused,
    resolve: async (
      event: EventEnvelope,
      args: Partial<SubscriptionDossierStatusChangedArgs>,
      ctx: Ctx,
    ): Promise<StatusChangedValue> => {
      const code = args.code;
      const key = event.entity.key.code;
      if (event.type !== 'DossierStatusChanged' || typeof key !== 'string' || !DOSSIER_CODE.test(key))
        throw notFound('Dossier');
      // Another dossier than the one asked for: nothing for this subscriber.
      if (code != null && code !== key) throw notFound(`Dossier ${key}`);
      const row = await ctx.loaders.dossier.load(key);
      if (!row) throw notFound(`Dossier ${key}`);
      await ctx.access.requireRead(dossierOwner(row), `dossier ${row.code}`);
      const data = event.data as { to?: DossierStatus; from?: DossierStatus | null; at?: string };
      return {
        id: event.id,
        at: data.at ?? event.recordedAt,
        status: data.to ?? row.status,
        previousStatus: data.from ?? null,
        dossier: row,
      };
    },
  },
  // The portal's live lookup: public like `Query.dossierStatus` (DossierPublicStatus has no personal
  // field), and only ever for the one dossier asked for.
  dossierPublicStatusChanged: {
    subscribe: refused,
    resolve: async (
      event: EventEnvelope,
      args: Partial<SubscriptionDossierPublicStatusChangedArgs>,
      ctx: Ctx,
    ): Promise<DossierRow> => {
      const code = parseDossierCode(args.code ?? '', 'code');
      const key = event.entity.key.code;
      if (event.type !== 'DossierStatusChanged' || key !== code) throw notFound(`Dossier ${code}`);
      const row = await ctx.loaders.dossier.load(key);
      if (!row) throw notFound(`Dossier ${key}`);
      return row;
    },
  },
};

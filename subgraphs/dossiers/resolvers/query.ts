/** Query: the portal lookup, dossier lists and the procedure catalogue. */
import { badInput, pageWindow, parsePeriod, toConnection, vnToday } from '../../../kit';
import { parseDossierCode, parseProcedureCode } from '../codes';
import { countProcedures, dossierKey, findDossiers, findProcedures, isDossierKey } from '../db/reads';
import type { DossierFilter as FilterQuery, ProcedureFilter as ProcedureQuery } from '../db/reads';
import type { DossierFilter, PeriodInput, QueryResolvers } from '../generated/graphql';
import type { Ctx } from './context';
import { dossierOwner } from './dossier';
import * as v from './validate';

function toFilter(f: DossierFilter | null | undefined): FilterQuery {
  if (!f) return {};
  const proc = f.procedureCode ? parseProcedureCode(f.procedureCode, 'filter.procedureCode') : null;
  if (f.receivedFrom && f.receivedTo)
    parsePeriod({ from: f.receivedFrom, to: f.receivedTo }, 'filter.receivedFrom');
  if (f.finishedFrom && f.finishedTo)
    parsePeriod({ from: f.finishedFrom, to: f.finishedTo }, 'filter.finishedFrom');
  if (f.includeSubordinates && !f.agencyCode)
    throw badInput('filter.includeSubordinates', 'needs filter.agencyCode');
  return {
    agencyCode: f.agencyCode ? v.agencyCode(f.agencyCode, 'filter.agencyCode') : null,
    includeSubordinates: f.includeSubordinates ?? false,
    procedureCode: proc?.local ?? null,
    nationalProcedureCode: proc && !proc.local ? proc.national : null,
    status: f.status,
    receivedFrom: f.receivedFrom,
    receivedTo: f.receivedTo,
    finishedFrom: f.finishedFrom,
    finishedTo: f.finishedTo,
    timeliness: f.timeliness,
  };
}

/** The procedure filter shared by Query.procedures and Agency.procedures. */
export function procedureQuery(
  f:
    | {
        nationalCode?: string | null;
        fieldCode?: string | null;
        onlineLevel?: number | null;
        minOnlineLevel?: number | null;
        period?: PeriodInput | null;
      }
    | null
    | undefined,
): ProcedureQuery {
  const today = vnToday();
  const p = f?.period ? parsePeriod(f.period, 'filter.period') : { from: today, to: today };
  return {
    nationalCode: f?.nationalCode ? parseProcedureCode(f.nationalCode, 'filter.nationalCode').national : null,
    fieldCode: v.text(f?.fieldCode, 'filter.fieldCode', 40),
    onlineLevel: v.level(f?.onlineLevel, 'filter.onlineLevel'),
    minOnlineLevel: v.level(f?.minOnlineLevel, 'filter.minOnlineLevel'),
    ...p,
  };
}

const isCode = (x: unknown): x is string => typeof x === 'string' && x.length < 64;

/** The dossier a well-formed `code` names, or null (docs/api.md, "Lookups by code or id"). */
async function dossierByCode(code: string, ctx: Ctx) {
  return (await ctx.loaders.dossier.load(parseDossierCode(code, 'code'))) ?? null;
}

export const Query: QueryResolvers = {
  // The portal's lookup: public, and DossierPublicStatus has no personal field.
  dossierStatus: (_, { code }, ctx) => dossierByCode(code, ctx),
  dossier: async (_, { code }, ctx) => {
    const row = await dossierByCode(code, ctx);
    if (row) await ctx.access.requireRead(dossierOwner(row), `dossier ${row.code}`);
    return row;
  },
  dossiers: async (_, a, ctx) => {
    await ctx.access.requirePrivate('dossiers');
    const window = pageWindow(a, ctx.maxPageSize, isDossierKey);
    const rows = await findDossiers(ctx.db, {
      scope: await ctx.access.rows(),
      filter: toFilter(a.filter),
      after: window.after,
      limit: window.fetch,
    });
    return toConnection(rows, window, dossierKey);
  },
  procedure: async (_, { code }, ctx) => {
    const c = parseProcedureCode(code, 'code');
    if (!c.local) throw badInput('code', `give the local form (${c.national}.<agency code>)`);
    return (await ctx.loaders.procedure.load(c.local)) ?? null;
  },
  procedures: async (_, a, ctx) => {
    const window = pageWindow(a, ctx.maxPageSize, isCode);
    const f = procedureQuery(a.filter);
    const agencies = a.filter?.agencyCode ? [v.agencyCode(a.filter.agencyCode, 'filter.agencyCode')] : null;
    const rows = await findProcedures(ctx.db, agencies, f, { after: window.after, limit: window.fetch });
    return {
      ...toConnection(rows, window, (p) => p.code),
      totalCount: () => countProcedures(ctx.db, agencies, f),
    };
  },
};

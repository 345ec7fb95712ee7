/** Query: parcels by identity, by commune (as it was, or with its predecessors) and by bounding box. */
import { badInput, notFound, pageWindow, toConnection, vnToday } from '../../../kit';
import { findParcels, isParcelKey, parcelKey, parcelsInBox } from '../db/reads';
import { formatTenths, parseArea, parseLandUseCode } from '../domain';
import type { QueryResolvers } from '../generated/graphql';
import { communeCode, parcelIdentity, sheetOrParcel } from './validate';

function coordinate(v: number, field: string, limit: number): number {
  if (!Number.isFinite(v) || Math.abs(v) > limit)
    throw badInput(field, `must be between -${limit} and ${limit}`);
  return v;
}

// Land records are not public (docs/access-policy.md): the gateway asks for land:read, and each entry
// point here refuses the public views too (UNAUTHENTICATED anonymous, FORBIDDEN a partner without it).
const LAND_RECORDS = 'land records';

export const Query: QueryResolvers = {
  landParcel: async (_, { id }, ctx) => {
    await ctx.access.requirePrivate(LAND_RECORDS);
    return ctx.loaders.parcel.load(parcelIdentity(id, 'id'));
  },
  landParcelByIdentity: async (_, a, ctx) => {
    await ctx.access.requirePrivate(LAND_RECORDS);
    const code = communeCode(a.originalCommuneCode, 'originalCommuneCode');
    const sheet = sheetOrParcel(a.sheet, 'sheet', 9999);
    const parcel = sheetOrParcel(a.parcel, 'parcel', 999999);
    return ctx.loaders.parcel.load(`${code}/${sheet}/${parcel}`);
  },
  landParcels: async (_, a, ctx) => {
    await ctx.access.requirePrivate(LAND_RECORDS);
    const code = communeCode(a.commune, 'commune');
    const asOf = a.asOf ?? vnToday();
    const unit = await ctx.loaders.unitByCode.load({ id: code, arg: asOf });
    if (!unit) throw notFound(`commune ${code} on ${asOf}`);
    const f = a.filter ?? {};
    const areaMin = f.areaMin == null ? null : parseArea(String(f.areaMin), 'filter.areaMin');
    const areaMax = f.areaMax == null ? null : parseArea(String(f.areaMax), 'filter.areaMax');
    if (areaMin !== null && areaMax !== null && areaMin > areaMax)
      throw badInput('filter.areaMax', 'must not be below filter.areaMin');
    const window = pageWindow(a, ctx.maxPageSize, isParcelKey);
    const rows = await findParcels(ctx.db, {
      unitId: unit.id,
      asOf,
      includePredecessors: a.includePredecessors ?? false,
      landUseCode: f.landUseCode ? parseLandUseCode(f.landUseCode, 'filter.landUseCode') : null,
      areaMin: areaMin === null ? null : formatTenths(areaMin),
      areaMax: areaMax === null ? null : formatTenths(areaMax),
      after: window.after,
      limit: window.fetch,
    });
    return toConnection(rows, window, parcelKey);
  },
  landParcelsInBox: async (_, a, ctx) => {
    await ctx.access.requirePrivate(LAND_RECORDS);
    const minX = coordinate(a.minX, 'minX', 180);
    const maxX = coordinate(a.maxX, 'maxX', 180);
    const minY = coordinate(a.minY, 'minY', 90);
    const maxY = coordinate(a.maxY, 'maxY', 90);
    if (minX > maxX) throw badInput('maxX', 'must not be west of minX');
    if (minY > maxY) throw badInput('maxY', 'must not be south of minY');
    const window = pageWindow(a, ctx.maxPageSize, isParcelKey);
    const rows = await parcelsInBox(ctx.db, {
      minX,
      minY,
      maxX,
      maxY,
      after: window.after,
      limit: window.fetch,
    });
    return toConnection(rows, window, parcelKey);
  },
};

/**
 * Jurisdiction for every write (docs/jurisdiction.md). A mutation names the agency it acts for, then
 * checks every entity its input names against that agency, on the date the write is about:
 *
 *   const acting = await actFor(ctx, agencyCode, { field: 'input.dossierCode', on: input.date });
 *   await acting.requireUnits([{ field: 'input.parcelIds[0]', what: 'parcel 00598/1/3', unitId, dividedIntoUnitId }]);
 *   await acting.requireAgency(input.issuerCode, 'input.issuerCode');
 *   const [dossier] = await acting.requirePeerRecords('dossiers', 'Dossier', [{ key: { code }, field, what }], 'status');
 *
 * - The acting agency: the caller is an official whose scope contains it (kit/runtime/access.ts), and it
 *   exists on the date (an agency abolished in 2025 no longer acts).
 * - Its subtree on the date: the agency and the agencies under it then (catalogue_agency_subtree).
 * - Its territory on the date: the administrative units the agencies of its subtree governed then
 *   (the catalogue's `agency_units`) and every unit under those. A record registered in a unit that
 *   no longer exists (parcels keep their pre-2025 commune) lies where the succession crosswalk puts
 *   it on the date; a commune divided in 2025 counts only when every part it may have fallen in is in
 *   the territory, unless the record says which part.
 * - Records of other subgraphs: looked up through the peer (kit/runtime/peers.ts), as the caller, in one
 *   request. The peer refusing the caller is FORBIDDEN; no such record is BAD_USER_INPUT.
 *
 * Refusals: FORBIDDEN naming the input field (`extensions.field`) when the thing lies outside; when it
 * does not exist, BAD_USER_INPUT naming it. Catalogue reads go through `ctx.db` (inside a mutation,
 * its transaction); each kind of check is one round trip, cached for the acting agency.
 */
import type { IsoDate } from '../reference/calendar';
import type { RequestContext } from './context';
import { AppError, badInput, ErrorCode } from './errors';
import type { PeerEntity } from './peers';
import { existsOn } from '../reference/catalogue/validity';

/** A refusal naming the input field it is about. */
export const outside = (field: string, message: string): AppError =>
  new AppError(ErrorCode.FORBIDDEN, `${field}: ${message}`, { field });

/** A record the input names, to be found in the acting agency's territory. */
export interface UnitItem {
  /** The input field naming it, e.g. `input.parcelIds[0]`. */
  readonly field: string;
  /** What it is, for the message, e.g. `parcel 00598/1/3`. */
  readonly what: string;
  /** The catalogue unit it was registered in (`<code>@<validFrom>`). */
  readonly unitId: string;
  /** For a unit divided in 2025: the part the record fell in, when known. */
  readonly dividedIntoUnitId?: string | null;
}

/** A record of another subgraph the input names. */
export interface PeerItem {
  /** Its key fields, e.g. `{ code: '000.00.21.H26-240311-0001' }`. */
  readonly key: Record<string, unknown>;
  readonly field: string;
  readonly what: string;
}

export interface ActingAgency {
  readonly code: string;
  /** The date the write is about. */
  readonly on: IsoDate;
  /** The agency and the agencies under it on the date. */
  subtree(): Promise<ReadonlySet<string>>;
  /** Catalogue unit ids of its territory on the date. */
  territory(): Promise<ReadonlySet<string>>;
  /** `code` must be the acting agency or one under it on the date. */
  requireAgency(code: string, field: string): Promise<void>;
  /** Every record must lie in the territory on the date (one round trip for all). */
  requireUnits(items: readonly UnitItem[]): Promise<void>;
  /**
   * Looks every record up in `peer` (one request) and returns them in order. FORBIDDEN naming the
   * field when the peer refuses the caller, BAD_USER_INPUT when there is no such record; then
   * `check(value, item)` may return a reason to refuse (FORBIDDEN) or throw its own error.
   */
  requirePeerRecords<T>(
    peer: string,
    typename: string,
    items: readonly PeerItem[],
    selection: string,
    check?: (value: T, item: PeerItem) => string | null,
  ): Promise<T[]>;
}

type Ctx = Pick<RequestContext<unknown>, 'db' | 'access' | 'peers'>;

/**
 * The caller acts for `agencyCode` on date `on`: throws unless it may (UNAUTHENTICATED, or FORBIDDEN
 * naming `field`), then gives the checks of everything else the write names.
 */
export async function actFor(
  ctx: Ctx,
  agencyCode: string,
  opts: { field: string; on: IsoDate },
): Promise<ActingAgency> {
  await ctx.access.requireOfficialOf(agencyCode, opts.field);
  const [agency] = await ctx.db.query<{ validFrom: string; validTo: string | null }>(
    `SELECT valid_from::text AS "validFrom", valid_to::text AS "validTo" FROM agencies WHERE code = $1`,
    [agencyCode],
  );
  if (!agency) throw badInput(opts.field, `no agency ${agencyCode}`);
  if (!existsOn(agency, opts.on))
    throw outside(
      opts.field,
      `agency ${agencyCode} does not exist on ${opts.on} (${agency.validFrom} to ${agency.validTo ?? 'today'})`,
    );
  return actingAgency(ctx, agencyCode, opts.on);
}

function actingAgency(ctx: Ctx, code: string, on: IsoDate): ActingAgency {
  let subtree: Promise<ReadonlySet<string>> | undefined;
  let territory: Promise<ReadonlySet<string>> | undefined;
  const self: ActingAgency = {
    code,
    on,
    subtree: () =>
      (subtree ??= ctx.db
        .query<{
          code: string;
        }>(`SELECT s.code FROM catalogue_agency_subtree($1, $2::date) AS s(code)`, [code, on])
        .then((rows) => new Set(rows.map((r) => r.code)))),
    territory: () =>
      (territory ??= ctx.db
        .query<{ id: string }>(
          `WITH RECURSIVE t(id) AS (
             SELECT au.unit_id FROM catalogue_agency_subtree($1, $2::date) AS s(code)
             JOIN agency_units au ON au.agency_code = s.code
               AND au.valid_from <= $2::date AND (au.valid_to IS NULL OR au.valid_to >= $2::date)
             UNION
             SELECT u.id FROM t JOIN admin_units u ON u.parent_id = t.id
           )
           SELECT id FROM t`,
          [code, on],
        )
        .then((rows) => new Set(rows.map((r) => r.id)))),
    async requireAgency(other, field) {
      if ((await self.subtree()).has(other)) return;
      const [known] = await ctx.db.query(`SELECT 1 FROM agencies WHERE code = $1`, [other]);
      if (!known) throw badInput(field, `no agency ${other}`);
      throw outside(field, `agency ${other} is not ${code} or under it on ${on}`);
    },
    async requireUnits(items) {
      if (!items.length) return;
      const starts = [...new Set(items.map((i) => i.unitId))];
      // Where each unit's records lie on the date: the unit, or its successors valid then.
      const rows = await ctx.db.query<{ start: string; id: string }>(
        `WITH RECURSIVE chain(start, id) AS (
           SELECT s, s FROM unnest($1::text[]) AS s
           UNION
           SELECT c.start, x.to_id FROM chain c
           JOIN admin_unit_successions x ON x.from_id = c.id AND x.effective_date <= $2::date
         )
         SELECT c.start, c.id FROM chain c JOIN admin_units u ON u.id = c.id
         WHERE u.valid_from <= $2::date AND (u.valid_to IS NULL OR u.valid_to >= $2::date)`,
        [starts, on],
      );
      const land = await self.territory();
      for (const item of items) {
        let units = rows.filter((r) => r.start === item.unitId).map((r) => r.id);
        if (item.dividedIntoUnitId && units.includes(item.dividedIntoUnitId))
          units = [item.dividedIntoUnitId];
        if (!units.length || units.some((u) => !land.has(u)))
          throw outside(item.field, `${item.what} does not lie in the territory of agency ${code} on ${on}`);
      }
    },
    async requirePeerRecords<T>(
      peer: string,
      typename: string,
      items: readonly PeerItem[],
      selection: string,
      check?: (value: T, item: PeerItem) => string | null,
    ): Promise<T[]> {
      const found: PeerEntity<T>[] = await ctx.peers.entities<T>(
        peer,
        typename,
        items.map((i) => i.key),
        selection,
      );
      return items.map((item, i) => {
        const { value, errors } = found[i]!;
        const refused = errors.find(
          (e) => e.code === ErrorCode.FORBIDDEN || e.code === ErrorCode.UNAUTHENTICATED,
        );
        if (refused) throw outside(item.field, `you may not use ${item.what}: ${refused.message}`);
        if (errors.length && value === null)
          throw new AppError(
            ErrorCode.DOWNSTREAM_SERVICE_ERROR,
            `Could not check ${item.what} with the ${peer} system: ${errors[0]!.code}`,
          );
        if (value === null) throw badInput(item.field, `${item.what} does not exist`);
        const reason = check?.(value, item);
        if (reason) throw outside(item.field, reason);
        return value;
      });
    },
  };
  return self;
}

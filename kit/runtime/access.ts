/**
 * Row-level access: what the caller of one request may read and write in one system (subgraph),
 * decided once here for every subgraph from `ctx.caller` and the reference catalogue's agency tree.
 *
 * | role      | rows it reads                                                    | personal data         |
 * | --------- | ---------------------------------------------------------------- | --------------------- |
 * | admin     | all                                                              | unmasked              |
 * | analyst   | all (aggregates and non-personal fields)                         | masked                |
 * | official  | its agency and every agency under it (`catalogue_agency_subtree`) | unmasked in its scope |
 * | partner   | with `<system>:read`: its agency's subtree; without: public views | masked                |
 * | citizen   | its own records (citizen ID) and the public views                | its own unmasked      |
 * | anonymous | the public views only                                            | never                 |
 *
 * Writes: only an official whose scope contains the agency concerned (`requireOfficialOf`). Admins
 * do not write records: a record is written by an accountable official of the agency it belongs to.
 *
 * The agency scope is read from the database at most once per request (one round trip, and only for
 * officials and partners); every check after that is in memory.
 */
import { AppError, ErrorCode, forbidden } from './errors';
import type { Caller } from '../../common/identity';
import type { Queryable } from './db';
import { agencySubtree } from '../reference/catalogue/validity';

/** The rows of one system a caller may read. */
export type RowScope =
  | { readonly kind: 'all' }
  /** Rows of these agencies (an official's or partner's agency and every agency under it). */
  | { readonly kind: 'agencies'; readonly codes: readonly string[] }
  /** Rows whose owner is this citizen. */
  | { readonly kind: 'citizen'; readonly citizenId: string }
  /** The public views only. */
  | { readonly kind: 'public' };

/** Who a record belongs to, as far as access is concerned. */
export interface RecordOwner {
  /** The agency the record belongs to (e.g. a dossier's receiving agency); null when none. */
  readonly agencyCode: string | null;
  /** The citizen the record is about (e.g. an applicant's CCCD); null when none. */
  readonly citizenId?: string | null;
}

export interface Access {
  readonly caller: Caller;
  /** The system (subgraph name) these rules are for; a partner needs the scope `<system>:read`. */
  readonly system: string;
  /** True when the caller holds `scope` (partners' scopes, e.g. `dossiers:read`). */
  hasScope(scope: string): boolean;
  /** The rows of this system the caller may read. */
  rows(): Promise<RowScope>;
  /** The agency codes of the caller's scope (official or partner): its agency and all under it; else empty. */
  agencies(): Promise<ReadonlySet<string>>;
  /** Whether the caller may read rows of agency `code` (all rows, or `code` in its scope). */
  canSeeAgency(code: string): Promise<boolean>;
  /**
   * For SQL lists: null when the caller reads every agency's rows, otherwise the codes it may read
   * (empty when none), e.g. `AND ($n::text[] IS NULL OR d.agency_code = ANY($n))`.
   */
  agencyFilter(): Promise<readonly string[] | null>;
  /** Whether the caller may read the (non-public) record owned by `owner`. */
  canRead(owner: RecordOwner): Promise<boolean>;
  /**
   * Throws unless the caller may read the record: UNAUTHENTICATED for anonymous callers, FORBIDDEN
   * (naming `what`) for the others.
   */
  requireRead(owner: RecordOwner, what: string): Promise<void>;
  /** Throws unless the caller may read this system's non-public lists (anything but the public scope). */
  requirePrivate(what: string): Promise<void>;
  /**
   * Throws UNAUTHENTICATED for an anonymous caller: what any signed-in caller may read but the public
   * may not (the fields the gateway marks `@authenticated`, e.g. the directory of officials).
   */
  requireSignedIn(what: string): void;
  /** Whether the caller may see the personal data of the record owned by `owner` unmasked. */
  maySeePersonal(owner: RecordOwner): Promise<boolean>;
  /**
   * For mutations, before anything is written: the caller must be an official whose scope contains
   * `agencyCode`. UNAUTHENTICATED for anonymous callers; FORBIDDEN naming the agency otherwise (admins
   * included). `field` names the input that designates the agency.
   */
  requireOfficialOf(agencyCode: string, field: string): Promise<void>;
}

const unauthenticated = (what: string): AppError =>
  new AppError(ErrorCode.UNAUTHENTICATED, `Sign in to read ${what}`);

/** The access rules of one request in one system. `db` holds the reference catalogue. */
export function createAccess(caller: Caller, system: string, db: Queryable): Access {
  let subtree: Promise<ReadonlySet<string>> | undefined;
  const agencies = (): Promise<ReadonlySet<string>> => {
    if (caller.agencyCode === null || (caller.role !== 'official' && caller.role !== 'partner'))
      return Promise.resolve(new Set<string>());
    subtree ??= db
      .query<{
        code: string;
      }>(`SELECT s.code FROM ${agencySubtree('$1::text')} AS s(code)`, [caller.agencyCode])
      .then((rows) => new Set(rows.map((r) => r.code)));
    return subtree;
  };
  const hasScope = (scope: string): boolean => caller.scopes.includes(scope);

  let scope: Promise<RowScope> | undefined;
  const rows = (): Promise<RowScope> => (scope ??= rowScope());
  const rowScope = async (): Promise<RowScope> => {
    switch (caller.role) {
      case 'admin':
      case 'analyst':
        return { kind: 'all' };
      case 'official':
        return { kind: 'agencies', codes: [...(await agencies())] };
      case 'partner':
        return hasScope(`${system}:read`)
          ? { kind: 'agencies', codes: [...(await agencies())] }
          : { kind: 'public' };
      case 'citizen':
        return caller.citizenId ? { kind: 'citizen', citizenId: caller.citizenId } : { kind: 'public' };
      default:
        return { kind: 'public' };
    }
  };

  const canRead = async (owner: RecordOwner): Promise<boolean> => {
    const scope = await rows();
    switch (scope.kind) {
      case 'all':
        return true;
      case 'agencies':
        return owner.agencyCode !== null && scope.codes.includes(owner.agencyCode);
      case 'citizen':
        return owner.citizenId != null && owner.citizenId === scope.citizenId;
      default:
        return false;
    }
  };

  const refuse = (what: string): AppError =>
    caller.role === 'anonymous'
      ? unauthenticated(what)
      : caller.role === 'partner' && !hasScope(`${system}:read`)
        ? forbidden(`Reading ${what} needs the scope ${system}:read`)
        : forbidden(`You may not read ${what}`);

  return {
    caller,
    system,
    hasScope,
    rows,
    agencies,
    async canSeeAgency(code) {
      const scope = await rows();
      return scope.kind === 'all' || (scope.kind === 'agencies' && scope.codes.includes(code));
    },
    async agencyFilter() {
      const scope = await rows();
      if (scope.kind === 'all') return null;
      return scope.kind === 'agencies' ? scope.codes : [];
    },
    canRead,
    async requireRead(owner, what) {
      if (!(await canRead(owner))) throw refuse(what);
    },
    async requirePrivate(what) {
      if ((await rows()).kind === 'public') throw refuse(what);
    },
    requireSignedIn(what) {
      if (caller.role === 'anonymous') throw unauthenticated(what);
    },
    async maySeePersonal(owner) {
      switch (caller.role) {
        case 'admin':
          return true;
        case 'official':
          return owner.agencyCode !== null && (await agencies()).has(owner.agencyCode);
        case 'citizen':
          return caller.citizenId !== null && owner.citizenId === caller.citizenId;
        default:
          // Analysts work on aggregates; partners receive personal data through a legal basis of
          // their own (NDXP), not through their read scopes; anonymous callers never.
          return false;
      }
    },
    async requireOfficialOf(agencyCode, field) {
      if (caller.role === 'anonymous')
        throw new AppError(ErrorCode.UNAUTHENTICATED, `Sign in as an official of ${agencyCode}`, { field });
      if (caller.role !== 'official' || !(await agencies()).has(agencyCode))
        throw new AppError(
          ErrorCode.FORBIDDEN,
          `Only an official of agency ${agencyCode} (or of an agency above it) may do this`,
          { field, agencyCode },
        );
    },
  };
}

/**
 * The SQL condition that keeps only the rows `scope` allows, for lists filtered in the database:
 * `agency` is the SQL of a row's agency code, `citizen` of the citizen ID it is about (omit when rows
 * have none). Appends its parameters to `params`; null when every row is allowed. The public scope
 * allows no private row (`false`): callers decide what the public may see instead.
 */
export function rowCondition(
  scope: RowScope,
  columns: { agency: string; citizen?: string },
  params: unknown[],
): string | null {
  switch (scope.kind) {
    case 'all':
      return null;
    case 'agencies':
      params.push(scope.codes);
      return `${columns.agency} = ANY($${params.length}::text[])`;
    case 'citizen':
      if (!columns.citizen) return 'false';
      params.push(scope.citizenId);
      return `${columns.citizen} = $${params.length}::text`;
    default:
      return 'false';
  }
}

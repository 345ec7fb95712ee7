/**
 * Officials a write names — a signer, an assignee, the official who performed a dossier step — checked
 * against the directory of officials (the mail subgraph owns `Official`; asked through `ctx.peers`,
 * kit/peers.ts, as the caller) before anything is written:
 *
 * - the official exists in the directory (else BAD_USER_INPUT naming the field);
 * - works for the acting agency or an agency under it (else FORBIDDEN naming the field);
 * - is in post on the date of the act (`activeFrom` ≤ date ≤ `activeTo`; else BAD_USER_INPUT);
 * - a name or position the input gives must be the directory's (else BAD_USER_INPUT saying which).
 *
 * The record then stores the directory's name and position, never the input's. A subgraph that names
 * officials declares `mail` among its peers (schema/registry.json).
 */
import { agencyDirectory, subtreeCodes } from './catalogue';
import type { Queryable } from './db';
import { AppError, ErrorCode, badInput } from './errors';
import type { Peers } from './peers';

/** The peer that owns the directory of officials. */
export const DIRECTORY_PEER = 'mail';

/** An official as the directory has them. */
export interface DirectoryOfficial {
  readonly id: string;
  readonly fullName: string;
  readonly position: string;
  readonly agencyCode: string;
  readonly activeFrom: string;
  readonly activeTo: string | null;
}

/** One official a write names. */
export interface OfficialReference {
  readonly id: string;
  /** The input path of the id, e.g. `input.signer.officialId`. */
  readonly field: string;
  /** The date of the act (YYYY-MM-DD, Vietnam): the official must be in post on it. */
  readonly on: string;
  /** A name the input gives (must be the directory's), with its path. */
  readonly name?: { readonly value: string | null; readonly field: string };
  /** A position the input gives (must be the directory's), with its path. */
  readonly position?: { readonly value: string | null; readonly field: string };
}

const same = (a: string, b: string): boolean =>
  a.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('vi') ===
  b.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('vi');

/**
 * Checks every official `refs` names against the directory for acting agency `agencyCode` (officials of
 * it or of an agency under it); resolves to the directory's records in `refs` order. `db` holds the
 * reference catalogue (the agency tree). One request to the directory for all of them.
 */
export async function requireOfficialsInPost(
  peers: Peers,
  db: Queryable,
  agencyCode: string,
  refs: readonly OfficialReference[],
): Promise<DirectoryOfficial[]> {
  if (!refs.length) return [];
  const found = await peers.entities<{
    id: string;
    fullName: string;
    position: string;
    activeFrom: string;
    activeTo: string | null;
    agency: { code: string } | null;
  }>(
    DIRECTORY_PEER,
    'Official',
    refs.map((r) => ({ id: r.id })),
    'id fullName position activeFrom activeTo agency { code }',
  );
  const subtree = new Set(subtreeCodes(await agencyDirectory(db), agencyCode, null));
  return refs.map((ref, i) => {
    const o = found[i]?.value;
    if (!o || !o.agency) throw badInput(ref.field, `no official ${ref.id} in the directory of officials`);
    if (!subtree.has(o.agency.code))
      throw new AppError(
        ErrorCode.FORBIDDEN,
        `${ref.field}: official ${ref.id} works for agency ${o.agency.code}, not for ${agencyCode} or an agency under it`,
        { field: ref.field, agencyCode },
      );
    if (ref.on < o.activeFrom || (o.activeTo !== null && ref.on > o.activeTo))
      throw badInput(
        ref.field,
        `official ${ref.id} is not in post on ${ref.on} (in post ${o.activeFrom} – ${o.activeTo ?? 'now'})`,
      );
    if (ref.name?.value && !same(ref.name.value, o.fullName))
      throw badInput(
        ref.name.field,
        `"${ref.name.value}" is not the name of official ${ref.id} in the directory (${o.fullName}); omit it to use the directory's`,
      );
    if (ref.position?.value && !same(ref.position.value, o.position))
      throw badInput(
        ref.position.field,
        `"${ref.position.value}" is not the position of official ${ref.id} in the directory (${o.position}); omit it to use the directory's`,
      );
    return {
      id: o.id,
      fullName: o.fullName,
      position: o.position,
      agencyCode: o.agency.code,
      activeFrom: o.activeFrom,
      activeTo: o.activeTo,
    };
  });
}

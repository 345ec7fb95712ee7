/**
 * Officials a write names — a signer, an assignee, the official who performed a dossier step — checked
 * against the directory of officials (the mail subgraph owns `Official`; asked through `ctx.peers`,
 * kit/runtime/peers.ts, as the caller) before anything is written:
 *
 * - the official exists in the directory (else BAD_USER_INPUT naming the field);
 * - works for the acting agency or an agency under it on the date (else FORBIDDEN naming the field);
 * - is in post on the date of the act (`activeFrom` ≤ date ≤ `activeTo`; else BAD_USER_INPUT);
 * - a name or position the input gives must be the directory's (else BAD_USER_INPUT saying which).
 *
 * The record then stores the directory's name and position, never the input's. A subgraph that names
 * officials declares `mail` among its peers (schema/registry.json).
 */
import { badInput } from './errors';
import type { ActingAgency } from './jurisdiction';

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
  /** A name the input gives (must be the directory's), with its path. */
  readonly name?: { readonly value: string | null; readonly field: string };
  /** A position the input gives (must be the directory's), with its path. */
  readonly position?: { readonly value: string | null; readonly field: string };
}

const same = (a: string, b: string): boolean =>
  a.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('vi') ===
  b.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('vi');

interface Listed {
  id: string;
  fullName: string;
  position: string;
  activeFrom: string;
  activeTo: string | null;
  agency: { code: string } | null;
}

/**
 * Checks every official `refs` names against the directory, for `acting` (kit/runtime/jurisdiction.ts
 * `actFor`): officials of the acting agency or of an agency under it, in post on the date of the act.
 * Resolves to the directory's records in `refs` order; one request to the directory for all of them.
 */
export async function requireOfficialsInPost(
  acting: ActingAgency,
  refs: readonly OfficialReference[],
): Promise<DirectoryOfficial[]> {
  if (!refs.length) return [];
  const subtree = await acting.subtree();
  const on = acting.on;
  const found = await acting.requirePeerRecords<Listed>(
    DIRECTORY_PEER,
    'Official',
    refs.map((r) => ({ key: { id: r.id }, field: r.field, what: `official ${r.id}` })),
    'id fullName position activeFrom activeTo agency { code }',
    (o, item) => {
      const agency = o.agency?.code ?? 'no agency';
      if (!subtree.has(agency))
        return `official ${o.id} works for agency ${agency}, not for ${acting.code} or an agency under it`;
      if (on < o.activeFrom || (o.activeTo !== null && on > o.activeTo))
        throw badInput(
          item.field,
          `official ${o.id} is not in post on ${on} (in post ${o.activeFrom} – ${o.activeTo ?? 'now'})`,
        );
      return null;
    },
  );
  return refs.map((ref, i) => {
    const o = found[i]!;
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
      agencyCode: o.agency!.code,
      activeFrom: o.activeFrom,
      activeTo: o.activeTo,
    };
  });
}

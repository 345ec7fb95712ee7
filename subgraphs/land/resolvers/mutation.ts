/**
 * Mutation: register a land change decided by a resolved dossier. The input is validated, then its
 * jurisdiction checked (jurisdiction.ts), before anything is written.
 */
import { auditWritten, badInput, requireNotFutureDate, requireYearNotAfter } from '../../../kit';
import { registerLandChange } from '../db/changes';
import type { HolderInput, LandChangeInput } from '../db/changes';
import { parseArea, parseLandUseCode } from '../domain';
import type { MutationResolvers, RegisterLandChangeInput } from '../generated/graphql';
import { checkJurisdiction } from './jurisdiction';
import { dossierCode, parcelIdentity, sheetOrParcel } from './validate';

const CCCD = /^\d{12}$/;

function holdersOf(input: RegisterLandChangeInput): HolderInput[] {
  return (input.newHolders ?? []).map((h, i) => {
    const at = `input.newHolders[${i}]`;
    const fullName = h.fullName.normalize('NFC').trim().replace(/\s+/g, ' ');
    if (!fullName || fullName.length > 100) throw badInput(`${at}.fullName`, 'must be 1 to 100 characters');
    if (h.birthYear != null) {
      if (h.birthYear < 1900)
        throw badInput(`${at}.birthYear`, 'must be a year from 1900 to the year of the change');
      requireYearNotAfter(h.birthYear, input.date, `${at}.birthYear`);
    }
    if (h.idNumber != null && !CCCD.test(h.idNumber))
      throw badInput(`${at}.idNumber`, 'must be a 12-digit citizen identity number (CCCD)');
    const address = h.address.trim();
    if (!address || address.length > 300) throw badInput(`${at}.address`, 'must be 1 to 300 characters');
    return {
      holderType: h.holderType ?? 'CNV',
      fullName,
      birthYear: h.birthYear ?? null,
      idNumber: h.idNumber ?? null,
      address,
    };
  });
}

/** The input checked field by field; every rule that needs no database is enforced here. */
export function validateChange(input: RegisterLandChangeInput): LandChangeInput {
  const code = dossierCode(input.dossierCode, 'input.dossierCode');
  requireNotFutureDate(input.date, 'input.date');
  const ids = input.parcelIds.map((id, i) => parcelIdentity(id, `input.parcelIds[${i}]`));
  if (new Set(ids).size !== ids.length) throw badInput('input.parcelIds', 'must not repeat a parcel');
  const kind = input.kind;
  const results = (input.results ?? []).map((r, i) => ({
    parcelNumber:
      r.parcelNumber == null
        ? null
        : sheetOrParcel(r.parcelNumber, `input.results[${i}].parcelNumber`, 999999),
    areaTenths: parseArea(String(r.area), `input.results[${i}].area`),
    landUseCode: r.landUseCode
      ? parseLandUseCode(r.landUseCode, `input.results[${i}].landUseCode`, input.date)
      : null,
  }));
  results.forEach((r, i) => {
    if (r.areaTenths <= 0) throw badInput(`input.results[${i}].area`, 'must be positive');
  });
  const numbers = results.map((r) => r.parcelNumber).filter((n) => n !== null);
  if (new Set(numbers).size !== numbers.length)
    throw badInput('input.results', 'must not repeat a parcel number');
  const count = (n: number, what: string): void => {
    if (ids.length !== n) throw badInput('input.parcelIds', `a ${kind} names ${what}`);
  };
  if (kind === 'MERGE') {
    if (ids.length < 2) throw badInput('input.parcelIds', 'a MERGE names at least two parcels');
    if (results.length !== 1) throw badInput('input.results', 'a MERGE creates exactly one parcel');
  } else {
    count(1, 'exactly one parcel');
    if (kind === 'SPLIT' && results.length < 2)
      throw badInput('input.results', 'a SPLIT creates at least two parcels');
    if (kind !== 'SPLIT' && results.length) throw badInput('input.results', `a ${kind} creates no parcels`);
  }
  const landUseCode = input.landUseCode
    ? parseLandUseCode(input.landUseCode, 'input.landUseCode', input.date)
    : null;
  if (kind === 'CHANGE_OF_USE' && !landUseCode)
    throw badInput('input.landUseCode', 'a CHANGE_OF_USE needs the new code');
  const newHolders = holdersOf(input);
  if (kind === 'TRANSFER' && !newHolders.length)
    throw badInput('input.newHolders', 'a TRANSFER needs the new holders');
  const note = input.note?.trim() || null;
  if (note && note.length > 1000) throw badInput('input.note', 'must be at most 1000 characters');
  return {
    dossierCode: code,
    kind,
    date: input.date,
    parcelIds: ids,
    results,
    landUseCode,
    newHolders,
    note,
  };
}

export const Mutation: MutationResolvers = {
  registerLandChange: async (_, { input }, ctx) => {
    const change = validateChange(input);
    const acting = await checkJurisdiction(ctx, change);
    const done = await registerLandChange(ctx.db, change, acting.code);
    // The audit entry cites the certificates cancelled (the holders' before) as well as those issued.
    const cite = (c: { issueSerial: string; parcelId: string }) => `${c.parcelId} ${c.issueSerial}`;
    auditWritten(ctx, {
      recordIds: [...done.cancelled, ...done.issued].map((c) => `LandCertificate ${c.id}`),
      values: {
        actingAgency: acting.code,
        cancelledCertificates: done.cancelled.map(cite),
        issuedCertificates: done.issued.map(cite),
      },
    });
    return done;
  },
};

/**
 * Registers of the documents subgraph: incoming registration and outgoing issue (assignments are
 * db/assignments.ts). Each runs in one transaction: it commits fully or not at all.
 * Number allocation is an upsert on `number_sequences` (row-locked), so concurrent issues of the same
 * agency get distinct, gap-free numbers.
 */
import {
  badInput,
  catalogueReads,
  conflict,
  exactKey,
  existsOn,
  foldKey,
  insertOne,
  insertRows,
  vnDate,
} from '../../../kit';
import type { AgencyRow, Database, Queryable } from '../../../kit';
import { formatNumberSymbol } from '../numbering';
import type { NumberSymbol } from '../numbering';
import type { Urgency } from '../generated/graphql';
import { emitDocumentPublished, emitDocumentReceived } from './events';
import { agenciesForNumbering } from './numbering';
import type { AgencyNumberingRow, DocumentRow } from './rows';
import { documentRecipients, documents } from './tables';

export async function nextNumber(
  tx: Queryable,
  agencyCode: string,
  year: number,
  register: string,
): Promise<number> {
  // The arbiter by name: the key is (agency_code, year, register, org_root) since migration 008 (docs/citus.md).
  const [row] = await tx.query<{ last_number: number }>(
    `INSERT INTO number_sequences (agency_code, year, register, last_number) VALUES ($1, $2, $3, 1)
     ON CONFLICT ON CONSTRAINT number_sequences_pkey DO UPDATE SET last_number = number_sequences.last_number + 1
     RETURNING last_number`,
    [agencyCode, year, register],
  );
  return row!.last_number;
}

/**
 * The searchable text of a document: its number/symbol, subject and issuer's name (the name as it was
 * on the document, `issuer_name`), so `125/QĐ-UBND` or `Điện Biên` find it. Stored as syllable keys
 * (kit/reference/text), matched by migration 003_search_syllables's indexes.
 */
export const searchKeys = (
  numberSymbol: string,
  subject: string,
  issuerName: string,
): { search: string; exact: string } => {
  const text = `${numberSymbol} ${subject} ${issuerName}`;
  return { search: foldKey(text), exact: exactKey(text) };
};

async function agencyOrFail(tx: Queryable, code: string, field: string): Promise<AgencyRow> {
  const [agency] = await catalogueReads.agenciesByCodes(tx, [code]);
  if (!agency) throw badInput(field, `no agency with code "${code}"`);
  return agency;
}

/** An agency that issues documents: in the catalogue, with its numbering. */
async function issuerOrFail(tx: Queryable, code: string, field: string): Promise<AgencyNumberingRow> {
  const [agency] = await agenciesForNumbering(tx, [code]);
  if (!agency) throw badInput(field, `no agency with code "${code}" that issues documents`);
  return agency;
}

export const isUniqueViolation = (err: unknown): boolean => (err as { code?: string })?.code === '23505';

export interface IncomingInput {
  agencyCode: string;
  issuerCode: string | null;
  issuerName: string | null;
  parts: NumberSymbol;
  issuedDate: string;
  subject: string;
  receivedAt: string;
  dueDate: string | null;
  urgency: Urgency | null;
  electronic: boolean;
  digitallySigned: boolean;
  pageCount: number | null;
  /** What an edXML package adds (db/exchange.ts): the rest of its header as sent. */
  issuedPlace?: string | null;
  signer?: { fullName: string; position: string | null; competence: string | null } | null;
  copies?: number | null;
  exchangeDocumentId?: string | null;
}

export async function registerIncoming(db: Database, input: IncomingInput): Promise<DocumentRow> {
  try {
    return await db.transaction((tx) => registerIncomingIn(tx, input));
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('this document is already registered');
    throw err;
  }
}

/** registerIncoming's work inside the caller's transaction (db/exchange.ts adds the package's parts to it). */
export async function registerIncomingIn(tx: Queryable, input: IncomingInput): Promise<DocumentRow> {
  const agency = await agencyOrFail(tx, input.agencyCode, 'input.agencyCode');
  const receivedOn = vnDate(input.receivedAt);
  if (!existsOn(agency, receivedOn))
    throw badInput('input.agencyCode', `agency ${agency.code} did not exist on ${receivedOn}`);
  const issuer = input.issuerCode ? await agencyOrFail(tx, input.issuerCode, 'input.issuerCode') : null;
  const issuerName = issuer?.name ?? input.issuerName;
  if (!issuerName) throw badInput('input.issuerName', 'is required when issuerCode is not given');
  const numberSymbol = formatNumberSymbol(input.parts);
  const year = Number(input.issuedDate.slice(0, 4));
  // The register year is the year of receipt in Vietnam, whatever zone the instant was given in.
  const arrivalYear = Number(receivedOn.slice(0, 4));
  const dup = await tx.query(
    `SELECT 1 FROM documents WHERE direction = 'INCOMING' AND agency_code = $1
         AND coalesce(issuer_code, issuer_name) = $2 AND year = $3 AND number_symbol = $4`,
    [agency.code, issuer?.code ?? issuerName, year, numberSymbol],
  );
  if (dup.length) throw conflict(`${numberSymbol} of ${issuerName} (${year}) is already registered`);
  const arrival = await nextNumber(tx, agency.code, arrivalYear, 'DEN');
  const keys = searchKeys(numberSymbol, input.subject, issuerName);
  const row = await insertOne(
    tx,
    documents,
    {
      direction: 'INCOMING',
      agencyCode: agency.code,
      issuerCode: issuer?.code ?? null,
      issuerName,
      number: input.parts.number,
      numberYear: input.parts.numberYear,
      typeCode: input.parts.typeCode,
      organSymbol: input.parts.organSymbol,
      unitSymbol: input.parts.unitSymbol,
      numberSymbol,
      year,
      subject: input.subject,
      issuedDate: input.issuedDate,
      urgency: input.urgency,
      electronic: input.electronic,
      digitallySigned: input.digitallySigned,
      registerBook: 'Sổ văn bản đến',
      pageCount: input.pageCount,
      arrivalNumber: arrival,
      arrivalYear,
      receivedAt: input.receivedAt,
      dueDate: input.dueDate,
      status: 'DA_VAO_SO',
      searchKey: keys.search,
      exactKey: keys.exact,
      issuedPlace: input.issuedPlace ?? null,
      signerName: input.signer?.fullName ?? null,
      signerPosition: input.signer?.position ?? null,
      signerCompetence: input.signer?.competence ?? null,
      copies: input.copies ?? null,
      exchangeDocumentId: input.exchangeDocumentId ?? null,
    },
    'd',
  );
  await emitDocumentReceived(tx, row);
  return row;
}

export interface OutgoingInput {
  agencyCode: string;
  typeCode: string | null;
  unitSymbol: string | null;
  legalNormative: boolean;
  subject: string;
  issuedDate: string;
  issuedPlace: string | null;
  signer: { officialId: string | null; fullName: string; position: string | null; competence: string | null };
  urgency: Urgency | null;
  electronic: boolean;
  digitallySigned: boolean;
  recipientCodes: string[];
  recipientNames: string[];
  pageCount: number | null;
  copies: number | null;
}

export async function issueOutgoing(db: Database, input: OutgoingInput): Promise<DocumentRow> {
  return db.transaction(async (tx) => {
    const agency = await issuerOrFail(tx, input.agencyCode, 'input.agencyCode');
    if (!existsOn(agency, input.issuedDate))
      throw badInput('input.agencyCode', `agency ${agency.code} did not exist on ${input.issuedDate}`);
    const recipients = input.recipientCodes.length
      ? await catalogueReads.agenciesByCodes(tx, input.recipientCodes)
      : [];
    const missing = input.recipientCodes.filter((c) => !recipients.some((r) => r.code === c));
    if (missing.length)
      throw badInput('input.recipientCodes', `unknown agency code(s): ${missing.join(', ')}`);
    const gone = recipients.filter((r) => !existsOn(r, input.issuedDate)).map((r) => r.code);
    if (gone.length)
      throw badInput(
        'input.recipientCodes',
        `agency(s) ${gone.join(', ')} did not exist on ${input.issuedDate}`,
      );
    const year = Number(input.issuedDate.slice(0, 4));
    const register = agency.numberingPolicy === 'PER_TYPE' ? (input.typeCode ?? 'CV') : 'ALL';
    const number = await nextNumber(tx, agency.code, year, register);
    const parts: NumberSymbol = {
      number,
      numberYear: input.legalNormative ? year : null,
      typeCode: input.typeCode,
      organSymbol: agency.organSymbol,
      unitSymbol: input.unitSymbol,
    };
    const numberSymbol = formatNumberSymbol(parts);
    const keys = searchKeys(numberSymbol, input.subject, agency.name);
    const row = await insertOne(
      tx,
      documents,
      {
        direction: 'OUTGOING',
        agencyCode: agency.code,
        issuerCode: agency.code,
        issuerName: agency.name,
        number,
        numberYear: parts.numberYear,
        typeCode: parts.typeCode,
        organSymbol: parts.organSymbol,
        unitSymbol: parts.unitSymbol,
        numberSymbol,
        year,
        subject: input.subject,
        issuedDate: input.issuedDate,
        issuedPlace: input.issuedPlace,
        signerOfficialId: input.signer.officialId,
        signerName: input.signer.fullName,
        signerPosition: input.signer.position,
        signerCompetence: input.signer.competence,
        urgency: input.urgency,
        electronic: input.electronic,
        digitallySigned: input.digitallySigned,
        registerBook: 'Sổ văn bản đi',
        pageCount: input.pageCount,
        copies: input.copies,
        status: 'DA_PHAT_HANH',
        searchKey: keys.search,
        exactKey: keys.exact,
      },
      'd',
    );
    const names = [
      ...recipients.map((r) => ({ code: r.code as string | null, name: r.name })),
      ...input.recipientNames.map((name) => ({ code: null, name })),
    ];
    await insertRows(
      tx,
      documentRecipients,
      names.map((n, i) => ({ documentId: row.id, position: i + 1, agencyCode: n.code, name: n.name })),
    );
    await emitDocumentPublished(
      tx,
      row,
      recipients.map((r) => r.code),
    );
    return row;
  });
}

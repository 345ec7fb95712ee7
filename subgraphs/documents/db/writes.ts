/**
 * Mutations of the documents subgraph. Each runs in one transaction: it commits fully or not at all.
 * Number allocation is an upsert on `number_sequences` (row-locked), so concurrent issues of the same
 * agency get distinct, gap-free numbers.
 */
import type { Database, Queryable } from '../../../kit/db';
import { badInput, conflict, notFound } from '../../../kit/errors';
import { vietnamDate } from '../../../kit/scalars';
import { exactKey, foldKey } from '../../../kit/text';
import { formatNumberSymbol } from '../numbering';
import type { NumberSymbol } from '../numbering';
import { agenciesByCodes, DOCUMENT_COLUMNS } from './repo';
import type { AgencyRow, AssignmentRow, DocumentRow } from './rows';

export async function nextNumber(
  tx: Queryable,
  agencyCode: string,
  year: number,
  register: string,
): Promise<number> {
  const [row] = await tx.query<{ last_number: number }>(
    `INSERT INTO number_sequences (agency_code, year, register, last_number) VALUES ($1, $2, $3, 1)
     ON CONFLICT (agency_code, year, register) DO UPDATE SET last_number = number_sequences.last_number + 1
     RETURNING last_number`,
    [agencyCode, year, register],
  );
  return row!.last_number;
}

/**
 * The searchable text of a document: its number/symbol, subject and issuer's name (the name as it was
 * on the document, `issuer_name`), so `125/QĐ-UBND` or `Điện Biên` find it. Stored as syllable keys
 * (kit/text), matched by migration 010's indexes.
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
  const [agency] = await agenciesByCodes(tx, [code]);
  if (!agency) throw badInput(field, `no agency with code "${code}"`);
  return agency;
}

const existsOn = (a: AgencyRow, date: string): boolean =>
  a.valid_from <= date && (!a.valid_to || a.valid_to >= date);

const isUniqueViolation = (err: unknown): boolean => (err as { code?: string })?.code === '23505';

export interface IncomingInput {
  agencyCode: string;
  issuerCode: string | null;
  issuerName: string | null;
  parts: NumberSymbol;
  issuedDate: string;
  subject: string;
  receivedAt: string;
  dueDate: string | null;
  urgency: string | null;
  electronic: boolean;
  digitallySigned: boolean;
  pageCount: number | null;
}

export async function registerIncoming(db: Database, input: IncomingInput): Promise<DocumentRow> {
  try {
    return await db.transaction(async (tx) => {
      const agency = await agencyOrFail(tx, input.agencyCode, 'input.agencyCode');
      const receivedOn = vietnamDate(input.receivedAt);
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
      const [row] = await tx.query<DocumentRow>(
        `INSERT INTO documents AS d (direction, agency_code, issuer_code, issuer_name, number, number_year, type_code,
           organ_symbol, unit_symbol, number_symbol, year, subject, issued_date, urgency, electronic, digitally_signed,
           register_book, page_count, arrival_number, arrival_year, received_at, due_date, status, search_key, exact_key)
         VALUES ('INCOMING', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'Sổ văn bản đến', $16,
           $17, $18, $19, $20, 'DA_VAO_SO', $21, $22)
         RETURNING ${DOCUMENT_COLUMNS}`,
        [
          agency.code,
          issuer?.code ?? null,
          issuerName,
          input.parts.number,
          input.parts.numberYear,
          input.parts.typeCode,
          input.parts.organSymbol,
          input.parts.unitSymbol,
          numberSymbol,
          year,
          input.subject,
          input.issuedDate,
          input.urgency,
          input.electronic,
          input.digitallySigned,
          input.pageCount,
          arrival,
          arrivalYear,
          input.receivedAt,
          input.dueDate,
          keys.search,
          keys.exact,
        ],
      );
      return row!;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('this document is already registered');
    throw err;
  }
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
  urgency: string | null;
  electronic: boolean;
  digitallySigned: boolean;
  recipientCodes: string[];
  recipientNames: string[];
  pageCount: number | null;
  copies: number | null;
}

export async function issueOutgoing(db: Database, input: OutgoingInput): Promise<DocumentRow> {
  return db.transaction(async (tx) => {
    const agency = await agencyOrFail(tx, input.agencyCode, 'input.agencyCode');
    if (!existsOn(agency, input.issuedDate))
      throw badInput('input.agencyCode', `agency ${agency.code} did not exist on ${input.issuedDate}`);
    const recipients = input.recipientCodes.length ? await agenciesByCodes(tx, input.recipientCodes) : [];
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
    const register = agency.numbering_policy === 'PER_TYPE' ? (input.typeCode ?? 'CV') : 'ALL';
    const number = await nextNumber(tx, agency.code, year, register);
    const parts: NumberSymbol = {
      number,
      numberYear: input.legalNormative ? year : null,
      typeCode: input.typeCode,
      organSymbol: agency.symbol,
      unitSymbol: input.unitSymbol,
    };
    const numberSymbol = formatNumberSymbol(parts);
    const keys = searchKeys(numberSymbol, input.subject, agency.name);
    const [row] = await tx.query<DocumentRow>(
      `INSERT INTO documents AS d (direction, agency_code, issuer_code, issuer_name, number, number_year, type_code,
         organ_symbol, unit_symbol, number_symbol, year, subject, issued_date, issued_place, signer_official_id,
         signer_name, signer_position, signer_competence, urgency, electronic, digitally_signed, register_book,
         page_count, copies, status, search_key, exact_key)
       VALUES ('OUTGOING', $1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
         'Sổ văn bản đi', $20, $21, 'DA_PHAT_HANH', $22, $23)
       RETURNING ${DOCUMENT_COLUMNS}`,
      [
        agency.code,
        agency.name,
        number,
        parts.numberYear,
        parts.typeCode,
        parts.organSymbol,
        parts.unitSymbol,
        numberSymbol,
        year,
        input.subject,
        input.issuedDate,
        input.issuedPlace,
        input.signer.officialId,
        input.signer.fullName,
        input.signer.position,
        input.signer.competence,
        input.urgency,
        input.electronic,
        input.digitallySigned,
        input.pageCount,
        input.copies,
        keys.search,
        keys.exact,
      ],
    );
    const names = [
      ...recipients.map((r) => ({ code: r.code as string | null, name: r.name })),
      ...input.recipientNames.map((name) => ({ code: null, name })),
    ];
    if (names.length) {
      await tx.query(
        `INSERT INTO document_recipients (document_id, position, agency_code, name)
         SELECT $1, r.ord, r.code, r.name FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS r(code, name, ord)`,
        [row!.id, names.map((n) => n.code), names.map((n) => n.name)],
      );
    }
    return row!;
  });
}

/** Allowed assignment state transitions (see the schema's updateAssignmentState). */
export const TRANSITIONS: Readonly<Record<string, readonly string[]>> = {
  DA_PHAN_CONG: ['DANG_XU_LY', 'TRA_LAI'],
  DANG_XU_LY: ['HOAN_THANH', 'TRA_LAI'],
  TRA_LAI: ['DA_PHAN_CONG'],
  HOAN_THANH: [],
};

/** Document status follows its lead (chủ trì) assignment. */
const DOCUMENT_STATUS_FOR_LEAD: Readonly<Record<string, string>> = {
  DA_PHAN_CONG: 'DA_PHAN_CONG',
  DANG_XU_LY: 'DANG_XU_LY',
  HOAN_THANH: 'HOAN_THANH',
  TRA_LAI: 'DA_VAO_SO',
};

export interface AssignInput {
  documentId: number;
  assigneeId: string | null;
  assigneeName: string;
  role: string;
  dueDate: string | null;
}

export async function assign(db: Database, input: AssignInput): Promise<AssignmentRow> {
  return db.transaction(async (tx) => {
    const [doc] = await tx.query<{ direction: string; due_date: string | null }>(
      `SELECT direction, due_date FROM public_documents WHERE id = $1 FOR UPDATE`,
      [input.documentId],
    );
    if (!doc) throw notFound(`Document ${input.documentId}`);
    if (doc.direction !== 'INCOMING')
      throw badInput('input.documentId', 'only incoming documents are assigned');
    if (input.role === 'CHU_TRI') {
      const lead = await tx.query(
        `SELECT 1 FROM processing_assignments WHERE document_id = $1 AND role = 'CHU_TRI' AND state <> 'TRA_LAI'`,
        [input.documentId],
      );
      if (lead.length) throw conflict('the document already has a lead (chủ trì) assignee');
    }
    const [row] = await tx.query<AssignmentRow>(
      `INSERT INTO processing_assignments (document_id, assignee_official_id, assignee_name, role, state, assigned_at, due_date)
       VALUES ($1, $2, $3, $4, 'DA_PHAN_CONG', now(), $5)
       RETURNING id, document_id, assignee_official_id, assignee_name, role, state, assigned_at, due_date, completed_at, note`,
      [input.documentId, input.assigneeId, input.assigneeName, input.role, input.dueDate ?? doc.due_date],
    );
    if (input.role === 'CHU_TRI')
      await tx.query(`UPDATE documents SET status = 'DA_PHAN_CONG' WHERE id = $1`, [input.documentId]);
    return row!;
  });
}

export async function updateAssignmentState(
  db: Database,
  id: number,
  state: string,
  note: string | null,
): Promise<AssignmentRow> {
  return db.transaction(async (tx) => {
    const [current] = await tx.query<AssignmentRow>(
      `SELECT a.id, a.document_id, a.role, a.state FROM processing_assignments a
       JOIN public_documents d ON d.id = a.document_id WHERE a.id = $1 FOR UPDATE OF a`,
      [id],
    );
    if (!current) throw notFound(`ProcessingAssignment ${id}`);
    if (!TRANSITIONS[current.state]!.includes(state))
      throw badInput('state', `cannot move an assignment from ${current.state} to ${state}`);
    const [row] = await tx.query<AssignmentRow>(
      `UPDATE processing_assignments SET state = $2, note = coalesce($3, note),
         completed_at = CASE WHEN $2 = 'HOAN_THANH' THEN now() ELSE NULL END
       WHERE id = $1
       RETURNING id, document_id, assignee_official_id, assignee_name, role, state, assigned_at, due_date, completed_at, note`,
      [id, state, note],
    );
    if (current.role === 'CHU_TRI') {
      await tx.query(
        `UPDATE documents SET status = $2, completed_at = CASE WHEN $2 = 'HOAN_THANH' THEN now() ELSE NULL END
         WHERE id = $1`,
        [current.document_id, DOCUMENT_STATUS_FOR_LEAD[state]],
      );
    }
    return row!;
  });
}

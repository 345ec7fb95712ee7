/**
 * Storing what the national document exchange brings (edXML, docs/interop.md): a received document
 * package becomes an incoming document with its recipients, attachments and trace header, all in
 * one transaction; the same DocumentId again for the same receiving agency is the same document.
 * A status message updates the recipient row of the outgoing document it answers.
 */
import { catalogueReads, conflict, insertRows, notFound } from '../../../kit';
import type { Database, Queryable } from '../../../kit';
import type { EdxmlDocument, EdxmlStatus, ExchangeState } from '../edxml/format';
import { STATUS_CODES } from '../edxml/format';
import { parseNumberSymbol } from '../numbering';
import { documentsByIds } from './documents';
import type { DocumentRow } from './rows';
import { documentAttachments, documentRecipients, documentTraces } from './tables';
import { isUniqueViolation, registerIncomingIn } from './writes';

async function receivedBefore(
  db: Queryable,
  agencyCode: string,
  documentId: string,
): Promise<DocumentRow | null> {
  const [row] = await db.query<{ id: number }>(
    `SELECT id FROM public_documents WHERE direction = 'INCOMING' AND agency_code = $1 AND exchange_document_id = $2`,
    [agencyCode, documentId],
  );
  return row ? ((await documentsByIds(db, [Number(row.id)]))[0] ?? null) : null;
}

/** The document a package registers in `agencyCode`'s incoming register; `duplicate` when it was there already. */
export async function receivePackage(
  db: Database,
  agencyCode: string,
  pkg: EdxmlDocument,
  receivedAt: string,
): Promise<{ document: DocumentRow; duplicate: boolean }> {
  const before = await receivedBefore(db, agencyCode, pkg.documentId);
  if (before) return { document: before, duplicate: true };
  try {
    const id = await db.transaction(async (tx) => {
      const [issuer] = await catalogueReads.agenciesByCodes(tx, [pkg.from.organId]);
      const row = await registerIncomingIn(tx, {
        agencyCode,
        issuerCode: issuer ? issuer.code : null,
        issuerName: pkg.from.organName,
        parts: parseNumberSymbol(`${pkg.codeNumber}/${pkg.codeNotation}`, 'Code'),
        issuedDate: pkg.promulgationDate,
        subject: pkg.subject,
        receivedAt,
        dueDate: pkg.dueDate,
        urgency: pkg.urgency,
        electronic: true,
        digitallySigned: false,
        pageCount: pkg.pageAmount,
        issuedPlace: pkg.promulgationPlace,
        signer: pkg.signer,
        copies: pkg.promulgationAmount,
        exchangeDocumentId: pkg.documentId,
      });
      const catalogued = new Set(
        (
          await catalogueReads.agenciesByCodes(
            tx,
            pkg.to.map((t) => t.organId),
          )
        ).map((a) => a.code),
      );
      await insertRows(
        tx,
        documentRecipients,
        pkg.to.map((t, i) => ({
          documentId: row.id,
          position: i + 1,
          agencyCode: catalogued.has(t.organId) ? t.organId : null,
          name: t.organName,
        })),
      );
      await insertRows(
        tx,
        documentAttachments,
        pkg.attachments.map((a, i) => ({
          documentId: row.id,
          position: i + 1,
          name: a.name,
          contentType: a.contentType,
          description: a.description,
          contentBase64: a.base64,
          byteSize: a.byteSize,
        })),
      );
      await insertRows(
        tx,
        documentTraces,
        pkg.traces.map((t, i) => ({ documentId: row.id, position: i + 1, organId: t.organId, at: t.at })),
      );
      return row.id;
    });
    return { document: (await documentsByIds(db, [id]))[0]!, duplicate: false };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // The same package arriving twice at once: the other delivery committed it first.
    const raced = await receivedBefore(db, agencyCode, pkg.documentId);
    if (raced) return { document: raced, duplicate: true };
    throw conflict(`${pkg.codeNumber}/${pkg.codeNotation} of ${pkg.from.organName} is already registered`);
  }
}

/** Records a recipient's status on the outgoing document it answers; the document, read again. */
export async function recordStatus(db: Database, status: EdxmlStatus): Promise<DocumentRow> {
  const numberSymbol = `${status.codeNumber}/${status.codeNotation}`;
  const year = Number(status.promulgationDate.slice(0, 4));
  const id = await db.transaction(async (tx) => {
    const [doc] = await tx.query<{ id: number }>(
      `SELECT id FROM public_documents WHERE direction = 'OUTGOING' AND agency_code = $1 AND year = $2
       AND number_symbol = $3 AND issued_date = $4::date FOR UPDATE`,
      [status.to.organId, year, numberSymbol, status.promulgationDate],
    );
    if (!doc) throw notFound(`Outgoing document ${status.documentId} (package Header/ResponseFor)`);
    const state: ExchangeState = STATUS_CODES[status.statusCode];
    const updated = await tx.query(
      `UPDATE document_recipients SET exchange_status = $3, exchange_status_at = $4
       WHERE document_id = $1 AND agency_code = $2
         AND (exchange_status_at IS NULL OR exchange_status_at <= $4)
       RETURNING 1`,
      [doc.id, status.from.organId, state, status.timestamp],
    );
    if (updated.length === 0) {
      const [known] = await tx.query(
        `SELECT 1 FROM document_recipients WHERE document_id = $1 AND agency_code = $2`,
        [doc.id, status.from.organId],
      );
      if (!known)
        throw notFound(`Recipient ${status.from.organId} of ${status.documentId} (package Header/From)`);
    }
    return Number(doc.id);
  });
  return (await documentsByIds(db, [id]))[0]!;
}

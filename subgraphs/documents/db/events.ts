/**
 * The documents subgraph's domain events (kit/events, docs/events.md): a document was received by an
 * agency (registered in its incoming register, typed in or from an edXML package) or published (an
 * outgoing document issued), written in the transaction of the registration. An event names the
 * document; its content (subject, signer…) is read through the graph, under the reader's own rules.
 */
import { emitEvent } from '../../../kit';
import type { Queryable } from '../../../kit';
import type { DocumentRow } from './rows';

const iso = (v: string | null): string | null => (v === null ? null : new Date(v).toISOString());

export const emitDocumentReceived = (tx: Queryable, d: DocumentRow): Promise<string> =>
  emitEvent(tx, {
    type: 'DocumentReceived',
    entity: { typename: 'Document', key: { id: String(d.id) } },
    agencyCode: d.agencyCode,
    data: {
      id: String(d.id),
      numberSymbol: d.numberSymbol,
      issuerCode: d.issuerCode,
      issuerName: d.issuerName,
      receivedAt: iso(d.receivedAt),
      arrivalNumber: d.arrivalNumber,
      arrivalYear: d.arrivalYear,
      via: d.exchangeDocumentId ? 'EDXML' : 'REGISTER',
    },
  });

export const emitDocumentPublished = (
  tx: Queryable,
  d: DocumentRow,
  recipientAgencyCodes: readonly string[],
): Promise<string> =>
  emitEvent(tx, {
    type: 'DocumentPublished',
    entity: { typename: 'Document', key: { id: String(d.id) } },
    agencyCode: d.agencyCode,
    data: {
      id: String(d.id),
      numberSymbol: d.numberSymbol,
      issuedDate: d.issuedDate,
      recipientAgencyCodes: [...recipientAgencyCodes],
    },
  });

/** The rows the seed gathers for the bulk inserts of one batch, with their ids and arrival numbers. */
import type { InsertOf } from '../../../kit';
import type { documentRecipients, documents, processingAssignments } from '../db/tables';

export type DocumentInsert = InsertOf<typeof documents>;

export class SeedRows {
  documents: DocumentInsert[] = [];
  recipients: InsertOf<typeof documentRecipients>[] = [];
  assignments: InsertOf<typeof processingAssignments>[] = [];
  private lastId = 0;
  private readonly arrivals = new Map<string, number>();

  /**
   * The rows gathered since the last call, which start afresh: a large seed is written in batches, so
   * its memory stays that of one batch. Ids and arrival numbers go on from where they were.
   */
  take(): Pick<SeedRows, 'documents' | 'recipients' | 'assignments'> {
    const batch = { documents: this.documents, recipients: this.recipients, assignments: this.assignments };
    this.documents = [];
    this.recipients = [];
    this.assignments = [];
    return batch;
  }

  /** The next document id (ids are given, so recipients and assignments can refer to them). */
  nextId(): number {
    return ++this.lastId;
  }

  /** The next arrival number (số đến) of an agency's incoming register for a year. */
  nextArrival(agencyCode: string, year: number): number {
    const key = `${agencyCode}|${year}`;
    const n = (this.arrivals.get(key) ?? 0) + 1;
    this.arrivals.set(key, n);
    return n;
  }
}

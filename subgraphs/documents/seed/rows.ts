/** The rows the seed accumulates before one bulk insert per table, with their ids and arrival numbers. */
import type { InsertOf } from '../../../kit';
import type { documentRecipients, documents, processingAssignments } from '../db/tables';

export type DocumentInsert = InsertOf<typeof documents>;

export class SeedRows {
  readonly documents: DocumentInsert[] = [];
  readonly recipients: InsertOf<typeof documentRecipients>[] = [];
  readonly assignments: InsertOf<typeof processingAssignments>[] = [];
  private lastId = 0;
  private readonly arrivals = new Map<string, number>();

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

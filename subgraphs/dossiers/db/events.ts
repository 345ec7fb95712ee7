/**
 * The dossiers subgraph's domain events (kit/events, docs/events.md#dossierstatuschanged): a dossier's
 * status changed — received (from no status) or moved through the state machine — written in the
 * transaction of the change.
 */
import { emitEvent } from '../../../kit';
import type { Queryable } from '../../../kit';
import { STATUS_CODE } from '../status';
import type { DossierStatus } from '../generated/graphql';

export interface StatusChange {
  code: string;
  agencyCode: string;
  procedureCode: string;
  /** The applicant's identity number: a citizen's own dossier (as `dossierOwner` reads it). */
  applicantIdNumber: string;
  from: DossierStatus | null;
  to: DossierStatus;
  /** When the step happened (the step's `at`). */
  at: string;
}

export const emitStatusChanged = (tx: Queryable, c: StatusChange): Promise<string> =>
  emitEvent(tx, {
    type: 'DossierStatusChanged',
    entity: { typename: 'Dossier', key: { code: c.code } },
    agencyCode: c.agencyCode,
    citizenIds: [c.applicantIdNumber],
    data: {
      code: c.code,
      procedureCode: c.procedureCode,
      from: c.from,
      to: c.to,
      statusCode: STATUS_CODE[c.to],
      at: new Date(c.at).toISOString(),
    },
  });

/**
 * Real one-stop dossiers for land changes in tests: a land change needs a resolved dossier of the
 * acting agency under the land procedure of its kind, naming the parcel (docs/jurisdiction.md "land").
 * They are made through the dossiers subgraph's own mutations, as one of the agency's officials, through
 * whatever `gql` reaches it (the gateway, or the dossiers subgraph in process).
 */
import type { Caller } from '../../../../kit';
import { callers } from '../../../../kit/testing';

export type Gql = (query: string, variables: Record<string, unknown>, caller: Caller) => Promise<any>;

export interface LandDossierSpec {
  /** The receiving agency (e.g. the district people's committee 000.00.21.H26). */
  agency: string;
  /** The procedure's code at that agency. */
  procedureCode: string;
  parcelId: string;
  /** Days in Vietnam (YYYY-MM-DD): received at 08:00, resolved at 15:00, returned at 09:00. */
  received: string;
  /** Null: left in process. */
  resolved: string | null;
  /** Null: resolved but not yet returned. */
  returned?: string | null;
}

async function ok(r: Promise<any>, what: string): Promise<any> {
  const body = await r;
  if (body.errors) throw new Error(`${what}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** Receives, resolves and returns a land dossier; resolves to its code. */
export async function makeLandDossier(gql: Gql, spec: LandDossierSpec): Promise<string> {
  const official = callers.official(spec.agency);
  const received = await ok(
    gql(
      `mutation($i: ReceiveDossierInput!) { receiveDossier(input: $i) { code } }`,
      {
        i: {
          agencyCode: spec.agency,
          procedureCode: spec.procedureCode,
          channel: 'TRUC_TIEP',
          summary: `Hồ sơ đất đai thửa ${spec.parcelId}`,
          applicant: { kind: 'CONG_DAN', name: 'Trần Văn Bình', idNumber: '001085012345' },
          parcelId: spec.parcelId,
          receivedAt: `${spec.received}T08:00:00+07:00`,
        },
      },
      official,
    ),
    'receiveDossier',
  );
  const code: string = received.receiveDossier.code;
  if (spec.resolved)
    await ok(
      gql(
        `mutation($i: RecordDossierResultInput!) { recordDossierResult(input: $i) { status } }`,
        { i: { code, at: `${spec.resolved}T15:00:00+07:00` } },
        official,
      ),
      'recordDossierResult',
    );
  if (spec.resolved && spec.returned)
    await ok(
      gql(
        `mutation($i: ReturnDossierResultInput!) { returnDossierResult(input: $i) { status } }`,
        { i: { code, at: `${spec.returned}T09:00:00+07:00` } },
        official,
      ),
      'returnDossierResult',
    );
  return code;
}

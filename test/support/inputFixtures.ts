/**
 * The govgraph fixtures of the generated input-validation walk (test/input-validation.int.test.ts):
 * real keys found at start (a field's resolver runs only under an existing parent), the route to an
 * object of each type whose fields take arguments, valid baseline arguments where a sample by type
 * would not pass the resolver's own checks, and the caller of each field.
 */
import { callers } from '../../kit/testing';
import type { Caller } from '../../kit';
import { ADMIN } from './subgraphs';
import type { FederatedStack, TestClaims } from './subgraphs';

const LAP_THACH = '000.00.46.H62';
const BAC_TU_LIEM = '000.00.21.H26';
/** The partner the webhooks fields are walked as (they answer only a partner, within its scopes). */
const PARTNER: TestClaims = {
  role: 'partner',
  sub: 'partner-walk',
  agency: LAP_THACH,
  scope: 'dossiers:read documents:read budgets:read',
};

/** Keys of real records (`discoverKeys` fills it before the walk). */
const s: Record<string, string> = {};

/** Finds the real keys the routes and baselines use, as an admin. */
export async function discoverKeys(stack: FederatedStack): Promise<void> {
  const r = await stack.gql(
    `{ officials(agencyCode: "${LAP_THACH}", first: 1) { nodes { id mailbox { address } } }
       procedures(filter: { agencyCode: "${LAP_THACH}" }, first: 1) { nodes { code } }
       dossiers(filter: { agencyCode: "${LAP_THACH}" }, first: 1) { nodes { code } }
       documents(filter: { agencyCode: "${LAP_THACH}", direction: INCOMING }, first: 1) { nodes { id } }
       budgetLines(filter: { agencyCode: "${LAP_THACH}" }, first: 1) { nodes { id } }
       land: dossiers(filter: { agencyCode: "${BAC_TU_LIEM}" }, first: 100) {
         nodes { code status procedure { landRelated } parcel { id } } }
       landParcelsInBox(minX: 102, minY: 8, maxX: 110, maxY: 24, first: 1) {
         nodes { id originalCommuneCode sheetNumber parcelNumber commune { code validFrom } } } }`,
    {},
    ADMIN,
  );
  if (r.errors) throw new Error(`cannot find the walk's keys: ${JSON.stringify(r.errors)}`);
  const hook = await stack.gql(
    `mutation($i: RegisterWebhookInput!) { registerWebhook(input: $i) { id } }`,
    { i: { url: 'https://doitac.example.vn/webhook', eventTypes: ['DossierStatusChanged'] } },
    PARTNER,
  );
  if (hook.errors) throw new Error(`cannot register the walk's webhook: ${JSON.stringify(hook.errors)}`);
  s.webhookId = hook.data.registerWebhook.id;
  const d = r.data;
  const parcel = d.landParcelsInBox.nodes[0];
  // A land change cites a land dossier of the acting agency about the parcel it changes.
  type LandDossier = {
    code: string;
    status: string;
    procedure: { landRelated: boolean };
    parcel: { id: string } | null;
  };
  const landDossiers = (d.land.nodes as LandDossier[]).filter((n) => n.procedure.landRelated && n.parcel);
  const landDossier = landDossiers.find((n) => n.status === 'DA_TRA_KET_QUA') ?? landDossiers[0];
  if (!landDossier) throw new Error(`no land dossier of ${BAC_TU_LIEM} with a parcel in the seed`);
  Object.assign(s, {
    officialId: d.officials.nodes[0].id,
    mailbox: d.officials.nodes[0].mailbox.address,
    procedureCode: d.procedures.nodes[0].code,
    dossierCode: d.dossiers.nodes[0].code,
    documentId: d.documents.nodes[0].id,
    lineId: d.budgetLines.nodes[0].id,
    parcelId: parcel.id,
    originalCommuneCode: parcel.originalCommuneCode,
    sheet: parcel.sheetNumber,
    parcel: parcel.parcelNumber,
    communeCode: parcel.commune.code,
    communeDay: parcel.commune.validFrom,
    landDossierCode: landDossier.code,
    landParcelId: landDossier.parcel!.id,
  });
}

/** How to reach an object of each type whose fields take arguments: `[open, close]` around the field. */
export const ROUTES: Record<string, () => [string, string]> = {
  Query: () => ['', ''],
  Mutation: () => ['', ''],
  Agency: () => [`agency(code: "${LAP_THACH}") {`, '}'],
  AdministrativeUnit: () => [`administrativeUnit(code: "${s.communeCode}", asOf: "${s.communeDay}") {`, '}'],
  LandParcel: () => [`landParcel(id: "${s.parcelId}") {`, '}'],
  Mailbox: () => [`mailbox(address: "${s.mailbox}") {`, '}'],
  Official: () => [`official(id: "${s.officialId}") {`, '}'],
  Procedure: () => [`procedure(code: "${s.procedureCode}") {`, '}'],
  Webhook: () => [`webhook(id: "${s.webhookId}") {`, '}'],
};

const holder = {
  fullName: 'Lê Văn Cường',
  birthYear: 1978,
  idNumber: '026078001122',
  address: 'Số 8, Tổ dân phố 1',
};
/** Valid arguments where a sample by type would not do (real keys, formats the resolvers check). */
export const BASE: Record<string, () => Record<string, unknown>> = {
  'Query.budgetLine': () => ({ id: s.lineId }),
  'Query.budgetDisclosure': () => ({ agencyCode: LAP_THACH, year: 2024 }),
  'Query.document': () => ({ id: s.documentId }),
  'Query.documentByNumber': () => ({ agencyCode: LAP_THACH, year: 2024, numberSymbol: '1/QĐ-UBND' }),
  'Query.searchDocuments': () => ({ query: 'quyết định' }),
  'Query.agency': () => ({ code: LAP_THACH }),
  'Query.administrativeUnit': () => ({ code: s.communeCode, asOf: s.communeDay }),
  'Query.dossierStatus': () => ({ code: s.dossierCode }),
  'Query.dossier': () => ({ code: s.dossierCode }),
  'Query.procedure': () => ({ code: s.procedureCode }),
  'Query.landParcel': () => ({ id: s.parcelId }),
  'Query.landParcelByIdentity': () => ({
    originalCommuneCode: s.originalCommuneCode,
    sheet: s.sheet,
    parcel: s.parcel,
  }),
  'Query.landParcels': () => ({ commune: s.communeCode, asOf: s.communeDay }),
  'Query.landParcelsInBox': () => ({ minX: 105, minY: 20, maxX: 106, maxY: 21 }),
  'Query.official': () => ({ id: s.officialId }),
  'Query.officials': () => ({ agencyCode: LAP_THACH }),
  'Query.mailbox': () => ({ address: s.mailbox }),
  'Query.messages': () => ({ mailbox: s.mailbox }),
  'Agency.budget': () => ({ year: 2024 }),
  'Mutation.registerIncomingDocument': () => ({
    input: {
      agencyCode: LAP_THACH,
      issuerName: 'Sở Nội vụ tỉnh Vĩnh Phúc',
      numberSymbol: '12/SNV-VP',
      issuedDate: '2024-06-03',
      subject: 'Về việc kiểm thử',
      receivedAt: '2024-06-04T09:00:00+07:00',
      electronic: true,
    },
  }),
  'Mutation.issueOutgoingDocument': () => ({
    input: {
      agencyCode: LAP_THACH,
      typeCode: 'QĐ',
      subject: 'Quyết định kiểm thử',
      issuedDate: '2024-06-03',
      signer: { officialId: `${LAP_THACH}/1`, competence: 'TM.' },
      electronic: true,
    },
  }),
  'Mutation.assignDocument': () => ({
    input: { documentId: s.documentId, assigneeId: `${LAP_THACH}/5`, role: 'PHOI_HOP' },
  }),
  'Query.webhook': () => ({ id: s.webhookId }),
  'Mutation.registerWebhook': () => ({
    input: { url: 'https://doitac.example.vn/webhook-2', eventTypes: ['DossierStatusChanged'] },
  }),
  'Mutation.disableWebhook': () => ({ id: s.webhookId }),
  'Mutation.replayWebhookDeliveries': () => ({ input: { webhookId: s.webhookId } }),
  'Mutation.recordBudgetExecution': () => ({
    input: { lineId: s.lineId, amount: '1000', date: '2024-06-03' },
  }),
  'Mutation.recordBudgetAdjustment': () => ({
    input: { lineId: s.lineId, amount: '1000', date: '2024-06-03', reason: 'Điều chỉnh' },
  }),
  'Mutation.setOnlineServicePlan': () => ({
    input: { agencyCode: LAP_THACH, year: 2024, plannedServices: 40 },
  }),
  'Mutation.registerLandChange': () => ({
    input: {
      dossierCode: s.landDossierCode,
      kind: 'TRANSFER',
      date: '2024-06-03',
      parcelIds: [s.landParcelId],
      newHolders: [holder],
    },
  }),
};

/** The fields only a partner may use: webhooks' (subgraphs/webhooks). */
const PARTNER_FIELDS =
  /^(Webhook\.|Query\.webhooks?$|Mutation\.(registerWebhook|disableWebhook|replayWebhookDeliveries)$)/;

/**
 * Who sends each field's cases: the partner for webhooks' fields, an official for the other mutations
 * (of the agency the baseline names), an admin otherwise.
 */
export const callerOf = (coordinate: string): TestClaims | Caller =>
  PARTNER_FIELDS.test(coordinate)
    ? PARTNER
    : !coordinate.startsWith('Mutation.')
      ? ADMIN
      : callers.official(coordinate === 'Mutation.registerLandChange' ? BAC_TU_LIEM : LAP_THACH);

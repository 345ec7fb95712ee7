/** Row shapes as the repository returns them (snake_case, as stored; enum columns typed by the SDL). */
import type { AgencyRow } from '../../../kit/catalogue';
import type {
  AssignmentRole,
  AssignmentState,
  DocumentDirection,
  DocumentStatus,
  Urgency,
} from '../generated/graphql';

/** A catalogue agency with its numbering (agency_numbering): what issuing a document needs. */
export interface AgencyNumberingRow extends AgencyRow {
  organ_symbol: string;
  numbering_policy: 'SHARED' | 'PER_TYPE';
}

export interface DocumentRow {
  id: number;
  direction: DocumentDirection;
  agency_code: string;
  issuer_code: string | null;
  issuer_name: string;
  number: number;
  number_year: number | null;
  type_code: string | null;
  organ_symbol: string;
  unit_symbol: string | null;
  number_symbol: string;
  year: number;
  subject: string;
  issued_date: string;
  issued_place: string | null;
  signer_official_id: string | null;
  signer_name: string | null;
  signer_position: string | null;
  signer_competence: string | null;
  urgency: Urgency | null;
  electronic: boolean;
  digitally_signed: boolean;
  register_book: string | null;
  page_count: number | null;
  copies: number | null;
  arrival_number: number | null;
  received_at: string | null;
  due_date: string | null;
  status: DocumentStatus;
  completed_at: string | null;
  /** Present on search results: 1 when the exact-accent key matched. */
  rank?: number;
}

export interface RecipientRow {
  document_id: number;
  position: number;
  agency_code: string | null;
  name: string;
}

export interface AssignmentRow {
  id: number;
  document_id: number;
  assignee_official_id: string | null;
  assignee_name: string;
  role: AssignmentRole;
  state: AssignmentState;
  assigned_at: string;
  due_date: string | null;
  completed_at: string | null;
  note: string | null;
}

export interface StatsRow {
  agency_code: string;
  outgoing_total: number;
  outgoing_electronic: number;
  electronic_ratio: number | null;
  electronic_total: number;
  digitally_signed: number;
  digitally_signed_ratio: number | null;
  incoming_total: number;
  incoming_assigned: number;
  incoming_overdue: number;
  overdue_ratio: number | null;
}

/** A StatsRow with the period it covers (the DocumentStats type's parent). */
export interface PeriodStats extends StatsRow {
  from: string;
  to: string;
}

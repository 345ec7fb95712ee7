/** Row shapes as the repository returns them (snake_case, as stored; enum columns typed by the SDL). */
import type {
  AdministrativeUnitType,
  AgencyLevel,
  AssignmentRole,
  AssignmentState,
  DocumentDirection,
  DocumentStatus,
  SuccessionKind,
  Urgency,
} from '../generated/graphql';

export interface AgencyRow {
  code: string;
  name: string;
  level: AgencyLevel;
  parent_code: string | null;
  unit_id: string | null;
  valid_from: string;
  valid_to: string | null;
  symbol: string;
  numbering_policy: 'SHARED' | 'PER_TYPE';
}

export interface UnitRow {
  id: string;
  code: string;
  name: string;
  type: AdministrativeUnitType;
  level: number;
  parent_id: string | null;
  valid_from: string;
  valid_to: string | null;
  legal_basis: string | null;
}

export interface SuccessionRow {
  from_id: string;
  to_id: string;
  effective_date: string;
  kind: SuccessionKind;
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

/**
 * What happens to an outgoing document at its catalogued recipients: recipient rows, and in each
 * recipient's register an incoming copy with its arrival number, deadline, processing status and
 * assignments as of SEED_NOW.
 */
import { syntheticOfficial } from '../../../kit/synthetic';
import type { AgencySeed } from '../../../kit';
import type { Prng } from '../../../kit/synthetic';
import type { AssignmentRole, AssignmentState, DocumentStatus } from '../generated/graphql';
import { activeOn, addDays, daysBetween, minDate, SEED_NOW } from './calendar';
import type { DocumentInsert, SeedRows } from './rows';

/** Records the recipients of `doc` (plus the archive copy, "Lưu: VT") and their incoming copies. */
export function deliver(
  rows: SeedRows,
  rng: Prng,
  doc: DocumentInsert & { id: number },
  to: AgencySeed[],
): void {
  to.forEach((r, pos) =>
    rows.recipients.push({ documentId: doc.id, position: pos + 1, agencyCode: r.code, name: r.name }),
  );
  rows.recipients.push({ documentId: doc.id, position: to.length + 1, agencyCode: null, name: 'Lưu: VT' });
  for (const r of to) {
    const received = addDays(doc.issuedDate, rng.int(0, 2));
    if (!activeOn(r, received)) continue;
    receive(rows, rng, doc, r, received);
  }
}

interface Processing {
  status: DocumentStatus;
  due: string | null;
  completed: string | null;
}

/** Deadline and outcome of an incoming document received on `received`. */
function processing(rng: Prng, received: string): Processing {
  const due = rng.chance(0.7) ? addDays(received, rng.int(3, 15)) : null;
  if (!due) return { status: 'DA_VAO_SO', due, completed: null };
  const recent = daysBetween(received, SEED_NOW) < 20;
  const roll = rng.next();
  if (recent && roll < 0.5) return { status: 'DANG_XU_LY', due, completed: null };
  if (roll < 0.9) {
    const onTime = minDate(addDays(received, rng.int(1, daysBetween(received, due))), SEED_NOW);
    return { status: 'HOAN_THANH', due, completed: `${onTime}T09:00:00+07:00` };
  }
  if (roll < 0.96) {
    const late = minDate(addDays(due, rng.int(1, 10)), SEED_NOW);
    return { status: 'HOAN_THANH', due, completed: `${late}T16:00:00+07:00` };
  }
  return { status: 'DANG_XU_LY', due, completed: null };
}

function receive(rows: SeedRows, rng: Prng, doc: DocumentInsert, r: AgencySeed, received: string): void {
  const arrivalYear = Number(received.slice(0, 4));
  const arrivalNumber = rows.nextArrival(r.code, arrivalYear);
  const id = rows.nextId();
  const p = processing(rng, received);
  if (p.due) {
    const state: AssignmentState = p.status === 'HOAN_THANH' ? 'HOAN_THANH' : 'DANG_XU_LY';
    const assign = (n: number, role: AssignmentRole, time: string): void => {
      const o = syntheticOfficial(r.code, n);
      rows.assignments.push({
        documentId: id,
        assigneeOfficialId: o.id,
        assigneeName: o.fullName,
        role,
        state,
        assignedAt: `${received}T${time}:00+07:00`,
        dueDate: p.due,
        completedAt: p.completed,
      });
    };
    assign(rng.int(4, 12), 'CHU_TRI', '10:00');
    if (rng.chance(0.3)) assign(rng.int(13, 20), 'PHOI_HOP', '10:30');
  }
  rows.documents.push({
    ...doc,
    id,
    direction: 'INCOMING',
    agencyCode: r.code,
    registerBook: 'Sổ văn bản đến',
    arrivalNumber,
    arrivalYear,
    receivedAt: `${received}T08:00:00+07:00`,
    dueDate: p.due,
    status: p.status,
    completedAt: p.completed,
  });
}

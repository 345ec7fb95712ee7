/**
 * Planned dossiers turned into table rows: codes numbered per agency and receipt day in receipt order
 * (gap-free, like receiveDossier), status as of SEED_NOW, processing steps by synthetic officials
 * (kit/synthetic/people.ts), supplement requests and apology letters for late dossiers.
 */
import { defaultCalendar } from '../../../kit';
import { syntheticOfficial } from '../../../kit/synthetic';
import type { InsertOf } from '../../../kit';
import type { DossierStatus } from '../generated/graphql';
import type {
  dossierApologies,
  dossierCodeCounters,
  dossiers,
  dossierSteps,
  dossierSupplements,
} from '../db/tables';
import { formatDossierCode } from '../codes';
import { SEED_NOW } from './plan';
import type { PlannedDossier } from './plan';
import { processingUnit } from './vocabulary';

const cal = defaultCalendar();
const DESK = 'Bộ phận tiếp nhận và trả kết quả';

const at = (day: string, minute: number): string =>
  `${day}T${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00+07:00`;

export class SeedRows {
  dossiers: InsertOf<typeof dossiers>[] = [];
  steps: InsertOf<typeof dossierSteps>[] = [];
  supplements: InsertOf<typeof dossierSupplements>[] = [];
  apologies: InsertOf<typeof dossierApologies>[] = [];
  counters: InsertOf<typeof dossierCodeCounters>[] = [];

  private lastId = 0;

  /**
   * Adds planned dossiers (every dossier of the agencies it is given: codes are numbered per agency and
   * day); ids go on from the previous call (the seed calls it agency by agency, in catalogue order) and
   * follow agency code, then receipt order, within a call.
   */
  addAll(planned: PlannedDossier[]): void {
    planned.sort((a, b) =>
      a.agency.code !== b.agency.code
        ? a.agency.code < b.agency.code
          ? -1
          : 1
        : a.receiptDay !== b.receiptDay
          ? a.receiptDay < b.receiptDay
            ? -1
            : 1
          : a.receiptMinute - b.receiptMinute,
    );
    let seq = 0;
    planned.forEach((d, i) => {
      const prev = planned[i - 1];
      seq = prev && prev.agency.code === d.agency.code && prev.receiptDay === d.receiptDay ? seq + 1 : 1;
      const next = planned[i + 1];
      if (!next || next.agency.code !== d.agency.code || next.receiptDay !== d.receiptDay)
        this.counters.push({ agencyCode: d.agency.code, day: d.receiptDay, lastSeq: seq });
      const code = formatDossierCode(d.agency.code, d.receiptDay, seq);
      // The land-change plan numbers its dossiers first in their day (received before 07:30).
      if (d.fixed && d.fixed.code !== code)
        throw new Error(`seed: ${d.fixed.code} would be numbered ${code}`);
      this.add(d, ++this.lastId, code);
    });
  }

  /** The rows added since the last call, which start afresh (a large seed is written in batches). */
  take(): Pick<SeedRows, 'dossiers' | 'steps' | 'supplements' | 'apologies' | 'counters'> {
    const batch = {
      dossiers: this.dossiers,
      steps: this.steps,
      supplements: this.supplements,
      apologies: this.apologies,
      counters: this.counters,
    };
    this.dossiers = [];
    this.steps = [];
    this.supplements = [];
    this.apologies = [];
    this.counters = [];
    this.stepCount.clear();
    return batch;
  }

  private add(d: PlannedDossier, id: number, code: string): void {
    const r = d.rng;
    const desk = syntheticOfficial(d.agency.code, r.int(1, 3));
    const handler = syntheticOfficial(d.agency.code, r.int(4, 9));
    const unit = processingUnit(d.procedure.fieldName);
    const receivedAt = at(d.receiptDay, d.receiptMinute);
    let status = 'DUOC_TIEP_NHAN' as DossierStatus;
    const step = (when: string, s: DossierStatus, action: string, who = handler, unitName = unit): void => {
      if (when.slice(0, 10) > SEED_NOW) return;
      status = s;
      this.steps.push({
        dossierId: id,
        seq: this.stepsOf(id) + 1,
        at: when,
        officialId: who.id,
        officialName: who.fullName,
        unitName,
        action,
        status: s,
      });
    };
    this.stepCount.set(id, 0);
    step(
      receivedAt,
      'DUOC_TIEP_NHAN',
      d.channel === 'TRUC_TUYEN' ? 'Tiếp nhận hồ sơ nộp trực tuyến' : 'Tiếp nhận hồ sơ, viết giấy hẹn trả',
      desk,
      DESK,
    );
    let finishedAt: string | null = null;
    let returnedAt: string | null = null;
    let endedAt: string | null = null;
    if (d.outcome === 'REJECTED') {
      endedAt = at(d.receiptDay, d.receiptMinute + 20);
      step(endedAt, 'KHONG_DUOC_TIEP_NHAN', 'Từ chối tiếp nhận: hồ sơ không thuộc thẩm quyền', desk, DESK);
    } else {
      step(at(d.receiptDay, d.receiptMinute + 30), 'DANG_XU_LY', 'Chuyển hồ sơ đến bộ phận chuyên môn xử lý');
      if (d.supplement && d.supplement.requestDay <= SEED_NOW) {
        const s = d.supplement;
        const requestedAt = at(s.requestDay, 9 * 60 + r.int(0, 90));
        const supplied = at(s.suppliedDay, 8 * 60 + r.int(0, 120));
        this.supplements.push({
          dossierId: id,
          seq: 1,
          requestedAt,
          reason: 'Bổ sung bản sao giấy tờ tùy thân và giấy tờ chứng minh quyền sử dụng',
          previousDueDate: s.previousDue,
          newDueDate: d.due,
          suppliedAt: s.suppliedDay <= SEED_NOW ? supplied : null,
        });
        step(requestedAt, 'YEU_CAU_BO_SUNG_GIAY_TO', 'Yêu cầu bổ sung hồ sơ');
        step(supplied, 'DANG_XU_LY', 'Công dân đã bổ sung hồ sơ, tiếp tục xử lý', desk, DESK);
      }
      if (d.outcome === 'WITHDRAWN' || d.outcome === 'STOPPED') {
        endedAt = at(d.endDay!, 15 * 60 + r.int(0, 100));
        step(
          endedAt,
          d.outcome === 'WITHDRAWN' ? 'CONG_DAN_RUT_HO_SO' : 'DUNG_XU_LY',
          d.outcome === 'WITHDRAWN' ? 'Công dân có đơn rút hồ sơ' : 'Dừng xử lý: hồ sơ không đủ điều kiện',
        );
      } else if (d.outcome === 'OPEN') {
        if (status === 'DANG_XU_LY' && d.procedure.fee > 0 && r.chance(0.15))
          step(
            at(minDate(cal.addWorkingDays(d.receiptDay, 1), SEED_NOW), 15 * 60),
            'YEU_CAU_THUC_HIEN_NGHIA_VU_TAI_CHINH',
            'Thông báo nộp phí, lệ phí',
          );
      } else {
        if (d.outcome === 'LATE' && d.due <= SEED_NOW && r.chance(0.6))
          this.apologies.push({
            dossierId: id,
            seq: 1,
            issuedAt: at(d.due, 8 * 60 + 15),
            reason: 'Hồ sơ cần xác minh thêm, không kịp trả kết quả đúng hẹn',
            newAppointmentDate: d.endDay!,
          });
        finishedAt = at(d.endDay!, 15 * 60 + 20 + r.int(0, 90));
        step(finishedAt, 'DA_XU_LY_XONG', 'Lãnh đạo ký duyệt kết quả', syntheticOfficial(d.agency.code, 2));
        const returnDay = d.fixed?.returnDay ?? cal.addWorkingDays(d.endDay!, r.int(1, 3));
        if (returnDay <= SEED_NOW) {
          returnedAt = at(returnDay, 8 * 60 + r.int(0, 240));
          step(returnedAt, 'DA_TRA_KET_QUA', 'Trả kết quả cho công dân', desk, DESK);
        }
      }
    }
    const a = d.applicant;
    this.dossiers.push({
      id,
      code,
      agencyCode: d.agency.code,
      procedureCode: d.procedure.code,
      summary: d.summary,
      applicantKind: a.kind,
      applicantName: a.name,
      applicantIdNumber: a.idNumber,
      applicantPhone: a.phone,
      applicantAddress: a.address,
      channel: d.channel,
      status,
      receivedAt,
      dueDate: d.supplement && d.supplement.requestDay > SEED_NOW ? d.supplement.previousDue : d.due,
      finishedAt,
      returnedAt,
      endedAt,
      parcelId: d.parcelId,
      resultDocumentId: null,
    });
  }

  private stepCount = new Map<number, number>();
  private stepsOf(id: number): number {
    const n = this.stepCount.get(id) ?? 0;
    this.stepCount.set(id, n + 1);
    return n;
  }
}

const minDate = (a: string, b: string): string => (a < b ? a : b);

/**
 * Deterministic seed of the documents subgraph (seeded PRNG; same scale, same data).
 *
 * The shared reference catalogue (kit/catalogue: administrative units, the 2025 crosswalk, agencies) is
 * loaded as is, with each agency's numbering (organ symbol). Documents are
 * generated per agency and year while the agency exists: outgoing documents numbered from 1 each
 * year, and for each catalogued recipient an incoming copy in the recipient's register. Published
 * figures of the seed reports come out of documentStats exactly — e.g. Bắc Từ Liêm 2014: 90% of
 * outgoing documents exchanged electronically (secret documents excluded).
 *
 * Scale: `scale` multiplies document counts (1 ≈ 20k documents; tests use ~0.05; benchmarks 100+).
 */
import type { Database, Queryable } from '../../kit/db';
import { LEADER_POSITIONS, syntheticOfficial } from '../../kit/people';
import { Prng } from '../../kit/prng';
import { AGENCIES, existsOn, referenceCatalogue } from '../../kit/catalogue';
import type { AgencySeed, CatalogueSeedResult } from '../../kit/catalogue';
import { insertRows } from '../../kit/table';
import type { InsertOf } from '../../kit/table';
import { agencyNumbering, documentRecipients, documents, processingAssignments } from './db/tables';
import { searchKeys } from './db/writes';
import { formatNumberSymbol } from './numbering';
import type { AssignmentRole, DocumentStatus, Urgency } from './generated/graphql';

/** Reference date of the seed: documents are generated up to it, statuses are as of it. */
export const SEED_NOW = '2025-11-15';
const FIRST_YEAR = 2013;

/** Published electronic-exchange ratios the scorecard must reproduce: agency unit code → year → ratio. */
export const PUBLISHED_ELECTRONIC_RATIOS: Readonly<Record<string, Readonly<Record<number, number>>>> = {
  '021': { 2014: 0.9 }, // Bắc Từ Liêm 2014: 90% of documents exchanged electronically
};

const PER_YEAR: Record<AgencySeed['level'], number> = {
  CENTRAL: 10,
  PROVINCE: 30,
  DEPARTMENT: 16,
  DISTRICT: 20,
  COMMUNE: 6,
};

const TYPE_WEIGHTS: [string | null, number][] = [
  [null, 60],
  ['QĐ', 15],
  ['TB', 7],
  ['KH', 6],
  ['BC', 6],
  ['GM', 4],
  ['TTr', 2],
];

const TOPICS = [
  'triển khai Kế hoạch cải cách hành chính năm {y}',
  'báo cáo tình hình ứng dụng công nghệ thông tin năm {y}',
  'tăng cường sử dụng thư điện tử công vụ trong cơ quan nhà nước',
  'đôn đốc giải quyết hồ sơ thủ tục hành chính quá hạn',
  'phối hợp rà soát hồ sơ cấp giấy chứng nhận quyền sử dụng đất',
  'chuẩn bị nội dung họp giao ban tháng {m}',
  'lấy ý kiến góp ý dự thảo Quy chế làm việc',
  'cử cán bộ tham gia tập huấn sử dụng chữ ký số',
  'tăng cường công tác phòng, chống thiên tai và tìm kiếm cứu nạn',
  'tổ chức thực hiện dự toán ngân sách nhà nước năm {y}',
  'đẩy mạnh cung cấp dịch vụ công trực tuyến toàn trình',
  'thực hiện chuyển đổi số trong giải quyết thủ tục hành chính',
  'kiện toàn Ban Chỉ đạo xây dựng Chính quyền điện tử',
  'công tác tiếp công dân, giải quyết khiếu nại, tố cáo',
  'rà soát, chuẩn hóa dữ liệu hộ tịch trên địa bàn',
];

const SUBJECT_BY_TYPE: Record<string, (topic: string) => string> = {
  CV: (t) => `V/v ${t}`,
  QĐ: (t) => `Quyết định về việc ${t}`,
  TB: (t) => `Thông báo kết luận về ${t}`,
  KH: (t) => `Kế hoạch ${t}`,
  BC: (t) => `Báo cáo ${t}`,
  GM: (t) => `Giấy mời họp về ${t}`,
  TTr: (t) => `Tờ trình đề nghị ${t}`,
};

function organSymbol(a: AgencySeed): string {
  if (a.level === 'PROVINCE' || a.level === 'DISTRICT' || a.level === 'COMMUNE') return 'UBND';
  if (a.name.startsWith('Văn phòng Ủy ban')) return 'VP';
  return a.name
    .split(/\s+/)
    .filter((w) => w !== 'và')
    .map((w) => w[0]!.toUpperCase())
    .join('')
    .normalize('NFC');
}

const addDays = (date: string, days: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
const daysBetween = (a: string, b: string): number =>
  Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
const maxDate = (a: string, b: string): string => (a > b ? a : b);
const minDate = (a: string, b: string): string => (a < b ? a : b);

type DocumentInsert = InsertOf<typeof documents>;

export interface SeedResult {
  /** What the shared catalogue seed wrote (null when the catalogue was already there). */
  catalogue: CatalogueSeedResult | null;
  agencies: number;
  documents: number;
}

/** Seeds an empty database in one transaction; returns null when data is already there. */
export async function seed(db: Database, scale: number): Promise<SeedResult | null> {
  return db.transaction(async (tx) => {
    const [{ n }] = (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM agency_numbering')) as [
      { n: number },
    ];
    if (n > 0) return null;
    const catalogue = await referenceCatalogue.seed(tx);
    await seedNumbering(tx);
    const documents = await seedDocuments(tx, scale);
    return { catalogue, agencies: AGENCIES.length, documents };
  });
}

/** How each catalogue agency numbers its documents: its organ symbol, one shared yearly sequence. */
async function seedNumbering(tx: Queryable): Promise<void> {
  await insertRows(
    tx,
    agencyNumbering,
    AGENCIES.map((a) => ({ agencyCode: a.code, organSymbol: organSymbol(a) })),
  );
}

async function seedDocuments(tx: Queryable, scale: number): Promise<number> {
  const rng = new Prng(20140401);
  const byCode = new Map(AGENCIES.map((a) => [a.code, a]));
  const children = new Map<string, AgencySeed[]>();
  for (const a of AGENCIES)
    if (a.parentCode) children.set(a.parentCode, [...(children.get(a.parentCode) ?? []), a]);
  const docs: DocumentInsert[] = [];
  const recipients: InsertOf<typeof documentRecipients>[] = [];
  const assignments: InsertOf<typeof processingAssignments>[] = [];
  const arrivals = new Map<string, number>();
  const lastYear = Number(SEED_NOW.slice(0, 4));
  let id = 0;

  for (const a of AGENCIES) {
    const symbol = organSymbol(a);
    const seatPlace = a.name.replace(/^(Ủy ban nhân dân|Văn phòng|Sở|Bộ)\s+/u, '');
    for (let year = FIRST_YEAR; year <= lastYear; year++) {
      const start = maxDate(`${year}-01-01`, a.validFrom);
      const end = minDate(minDate(`${year}-12-31`, a.validTo ?? '9999-12-31'), SEED_NOW);
      if (start > end) continue;
      const target = PUBLISHED_ELECTRONIC_RATIOS[a.unitCode ?? '']?.[year];
      const base = Math.max(1, Math.round((PER_YEAR[a.level] * scale * (daysBetween(start, end) + 1)) / 365));
      const count = target !== undefined ? Math.max(base, 20) : base;
      const ratio =
        target ?? Math.min(0.98, Math.max(0.2, 0.3 + (year - FIRST_YEAR) * 0.06 + (rng.next() - 0.5) * 0.1));
      const electronicFlags = rng.shuffle(
        Array.from({ length: count }, (_, i) => i < Math.round(ratio * count)),
      );
      // Secret documents (excluded from every KPI and never served) come on top, on paper. The whole
      // register is numbered in date order, as a real yearly register is.
      const secretCount = Array.from({ length: count }, () => rng.chance(0.02)).filter(Boolean).length;
      let publicIndex = 0;
      const register = Array.from({ length: count + secretCount }, (_, i) => ({
        isSecret: i >= count,
        issued: addDays(start, rng.int(0, daysBetween(start, end))),
      })).sort((x, y) => (x.issued < y.issued ? -1 : x.issued > y.issued ? 1 : 0));
      let number = 0;
      for (const { isSecret, issued } of register) {
        const typeCode = rng.weighted(TYPE_WEIGHTS);
        const legal = typeCode === 'QĐ' && rng.chance(0.05);
        number++;
        const parts = {
          number,
          numberYear: legal ? year : null,
          typeCode,
          organSymbol: symbol,
          unitSymbol: typeCode === null ? rng.pick(['VP', 'KT', 'NC', 'TH', 'VX', 'ĐT']) : null,
        };
        const numberSymbol = formatNumberSymbol(parts);
        const topic = rng
          .pick(TOPICS)
          .replace('{y}', String(year))
          .replace('{m}', String(Number(issued.slice(5, 7))));
        const subject = SUBJECT_BY_TYPE[typeCode ?? 'CV']!(topic);
        const electronic = isSecret ? false : electronicFlags[publicIndex++]!;
        const signed = electronic && rng.chance(Math.min(0.97, 0.2 + (year - FIRST_YEAR) * 0.08));
        const leader = rng.int(1, 3);
        const signer = syntheticOfficial(a.code, leader);
        const urgency = rng.weighted<Urgency | null>([
          [null, 90],
          ['KHAN', 6],
          ['THUONG_KHAN', 3],
          ['HOA_TOC', 1],
        ]);
        const keys = searchKeys(numberSymbol, subject);
        const docId = ++id;
        const row: DocumentInsert = {
          id: docId,
          direction: 'OUTGOING',
          agencyCode: a.code,
          issuerCode: a.code,
          issuerName: a.name,
          number,
          numberYear: parts.numberYear,
          typeCode,
          organSymbol: symbol,
          unitSymbol: parts.unitSymbol,
          numberSymbol,
          year,
          subject,
          issuedDate: issued,
          issuedPlace: seatPlace,
          signerOfficialId: signer.id,
          signerName: signer.fullName,
          signerPosition:
            a.level === 'DEPARTMENT' || a.level === 'CENTRAL' ? 'Giám đốc' : LEADER_POSITIONS[leader - 1],
          signerCompetence: leader === 1 ? 'TM.' : 'KT.',
          urgency,
          secrecy: isSecret ? rng.pick(['MAT', 'TOI_MAT'] as const) : 'THUONG',
          electronic,
          digitallySigned: signed,
          registerBook: 'Sổ văn bản đi',
          pageCount: rng.int(1, 12),
          copies: rng.int(1, 8),
          status: 'DA_PHAT_HANH',
          searchKey: keys.search,
          exactKey: keys.exact,
        };
        docs.push(row);
        if (isSecret) continue;
        // Recipients: the parent and a few subordinates that exist on the issue date.
        const pool = [
          ...(a.parentCode ? [byCode.get(a.parentCode)!] : []),
          ...(children.get(a.code) ?? []),
        ].filter((r) => existsOn(r, issued));
        const chosen = rng.shuffle([...pool]).slice(0, rng.int(1, 3));
        chosen.forEach((r, pos) =>
          recipients.push({ documentId: docId, position: pos + 1, agencyCode: r.code, name: r.name }),
        );
        recipients.push({
          documentId: docId,
          position: chosen.length + 1,
          agencyCode: null,
          name: 'Lưu: VT',
        });
        for (const r of chosen) {
          const received = addDays(issued, rng.int(0, 2));
          if (received > SEED_NOW || !existsOn(r, received)) continue;
          const ry = Number(received.slice(0, 4));
          const key = `${r.code}|${ry}`;
          const arrival = (arrivals.get(key) ?? 0) + 1;
          arrivals.set(key, arrival);
          const inId = ++id;
          const hasDeadline = rng.chance(0.7);
          const due = hasDeadline ? addDays(received, rng.int(3, 15)) : null;
          let status: DocumentStatus = 'DA_VAO_SO';
          let completed: string | null = null;
          if (due) {
            const recent = daysBetween(received, SEED_NOW) < 20;
            const roll = rng.next();
            if (recent && roll < 0.5) status = 'DANG_XU_LY';
            else if (roll < 0.9) {
              status = 'HOAN_THANH';
              completed = `${minDate(addDays(received, rng.int(1, daysBetween(received, due))), SEED_NOW)}T09:00:00+07:00`;
            } else if (roll < 0.96) {
              status = 'HOAN_THANH';
              completed = `${minDate(addDays(due, rng.int(1, 10)), SEED_NOW)}T16:00:00+07:00`;
            } else status = 'DANG_XU_LY';
            const state = status === 'HOAN_THANH' ? 'HOAN_THANH' : 'DANG_XU_LY';
            const assign = (n: number, role: AssignmentRole, time: string): void => {
              const o = syntheticOfficial(r.code, n);
              assignments.push({
                documentId: inId,
                assigneeOfficialId: o.id,
                assigneeName: o.fullName,
                role,
                state,
                assignedAt: `${received}T${time}:00+07:00`,
                dueDate: due,
                completedAt: completed,
              });
            };
            assign(rng.int(4, 12), 'CHU_TRI', '10:00');
            if (rng.chance(0.3)) assign(rng.int(13, 20), 'PHOI_HOP', '10:30');
          }
          docs.push({
            ...row,
            id: inId,
            direction: 'INCOMING',
            agencyCode: r.code,
            registerBook: 'Sổ văn bản đến',
            arrivalNumber: arrival,
            arrivalYear: ry,
            receivedAt: `${received}T08:00:00+07:00`,
            dueDate: due,
            status,
            completedAt: completed,
          });
        }
      }
    }
  }
  await insertRows(tx, documents, docs);
  await insertRows(tx, documentRecipients, recipients);
  await insertRows(tx, processingAssignments, assignments);
  await tx.exec(`
    SELECT setval('documents_id_seq', (SELECT max(id) FROM documents));
    INSERT INTO number_sequences (agency_code, year, register, last_number)
      SELECT agency_code, year, 'ALL', max(number) FROM documents WHERE direction = 'OUTGOING' GROUP BY agency_code, year;
    INSERT INTO number_sequences (agency_code, year, register, last_number)
      SELECT agency_code, arrival_year, 'DEN', max(arrival_number) FROM documents WHERE direction = 'INCOMING'
      GROUP BY agency_code, arrival_year;
    -- Fresh statistics, so the planner sees the bulk-loaded sizes (e.g. uses the search index).
    ANALYZE agency_numbering, documents, document_recipients, processing_assignments;
  `);
  return docs.length;
}

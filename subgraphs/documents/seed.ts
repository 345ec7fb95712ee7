/**
 * Deterministic seed of the documents subgraph (seeded PRNG; same scale, same data).
 *
 * Reference data (administrative units, the 2025 crosswalk, agencies) is loaded as is. Documents are
 * generated per agency and year while the agency exists: outgoing documents numbered from 1 each
 * year, and for each catalogued recipient an incoming copy in the recipient's register. Published
 * figures of the seed reports come out of documentStats exactly — e.g. Bắc Từ Liêm 2014: 90% of
 * outgoing documents exchanged electronically (secret documents excluded).
 *
 * Scale: `scale` multiplies document counts (1 ≈ 20k documents; tests use ~0.05; benchmarks 100+).
 */
import type { Database, Queryable } from '../../kit/db';
import { bulkInsert, columns } from '../../kit/bulk';
import { LEADER_POSITIONS, syntheticOfficial } from '../../kit/people';
import { Prng } from '../../kit/prng';
import { searchKeys } from './db/writes';
import { ADMIN_UNITS, AGENCIES, SUCCESSIONS } from './db/reference-data';
import type { AgencySeed } from './db/reference-data';
import { formatNumberSymbol } from './numbering';

/** Reference date of the seed: documents are generated up to it, statuses are as of it. */
export const SEED_NOW = '2025-11-15';
const FIRST_YEAR = 2013;

/** Published electronic-exchange ratios the scorecard must reproduce: agency unit code → year → ratio. */
export const PUBLISHED_ELECTRONIC_RATIOS: Readonly<Record<string, Readonly<Record<number, number>>>> = {
  '021': { 2014: 0.9 }, // Bắc Từ Liêm 2014: 90% of documents exchanged electronically
};

const unitId = (code: string, validFrom: string): string => `${code}@${validFrom}`;

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
const existsOn = (a: AgencySeed, date: string): boolean =>
  a.validFrom <= date && (!a.validTo || a.validTo >= date);

type DocRecord = unknown[];
const DOC_COLUMNS = columns(
  'id:bigint',
  'direction:text',
  'agency_code:text',
  'issuer_code:text',
  'issuer_name:text',
  'number:int',
  'number_year:int',
  'type_code:text',
  'organ_symbol:text',
  'unit_symbol:text',
  'number_symbol:text',
  'year:int',
  'subject:text',
  'issued_date:date',
  'issued_place:text',
  'signer_official_id:text',
  'signer_name:text',
  'signer_position:text',
  'signer_competence:text',
  'urgency:text',
  'secrecy:text',
  'electronic:boolean',
  'digitally_signed:boolean',
  'register_book:text',
  'page_count:int',
  'copies:int',
  'arrival_number:int',
  'arrival_year:int',
  'received_at:timestamptz',
  'due_date:date',
  'status:text',
  'completed_at:timestamptz',
  'search_key:text',
  'exact_key:text',
);
const col = Object.fromEntries(DOC_COLUMNS.map((c, i) => [c.name, i])) as Record<string, number>;

export interface SeedResult {
  agencies: number;
  documents: number;
}

/** Seeds an empty database in one transaction; returns null when data is already there. */
export async function seed(db: Database, scale: number): Promise<SeedResult | null> {
  return db.transaction(async (tx) => {
    const [{ n }] = (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM agencies')) as [
      { n: number },
    ];
    if (n > 0) return null;
    await seedReference(tx);
    const documents = await seedDocuments(tx, scale);
    return { agencies: AGENCIES.length, documents };
  });
}

async function seedReference(tx: Queryable): Promise<void> {
  const byLevel = [...ADMIN_UNITS].sort((a, b) => a.level - b.level);
  const parentOf = (code: string | null, from: string): string | null => {
    if (!code) return null;
    // The parent valid when the child starts.
    const p = ADMIN_UNITS.find(
      (u) => u.code === code && u.validFrom <= from && (!u.validTo || u.validTo >= from),
    );
    if (!p) throw new Error(`seed: no parent unit ${code} valid on ${from}`);
    return unitId(p.code, p.validFrom);
  };
  await bulkInsert(
    tx,
    'admin_units',
    columns(
      'id:text',
      'code:text',
      'name:text',
      'type:text',
      'level:int',
      'parent_id:text',
      'valid_from:date',
      'valid_to:date',
      'legal_basis:text',
    ),
    byLevel.map((u) => [
      unitId(u.code, u.validFrom),
      u.code,
      u.name.normalize('NFC'),
      u.type,
      u.level,
      parentOf(u.parentCode, u.validFrom),
      u.validFrom,
      u.validTo,
      u.legalBasis,
    ]),
  );
  await bulkInsert(
    tx,
    'admin_unit_successions',
    columns('from_id:text', 'to_id:text', 'effective_date:date', 'kind:text'),
    SUCCESSIONS.map((s) => [
      unitId(s.fromCode, s.fromValidFrom),
      unitId(s.toCode, s.toValidFrom),
      s.effectiveDate,
      s.kind,
    ]),
  );
  // Parents before children.
  const ordered: AgencySeed[] = [];
  const placed = new Set<string>();
  while (ordered.length < AGENCIES.length) {
    const before = ordered.length;
    for (const a of AGENCIES)
      if (!placed.has(a.code) && (!a.parentCode || placed.has(a.parentCode))) {
        ordered.push(a);
        placed.add(a.code);
      }
    if (ordered.length === before) throw new Error('seed: agency parent cycle or missing parent');
  }
  await bulkInsert(
    tx,
    'agencies',
    columns(
      'code:text',
      'name:text',
      'level:text',
      'parent_code:text',
      'unit_id:text',
      'valid_from:date',
      'valid_to:date',
      'symbol:text',
    ),
    ordered.map((a) => [
      a.code,
      a.name.normalize('NFC'),
      a.level,
      a.parentCode,
      a.unitCode && a.unitValidFrom ? unitId(a.unitCode, a.unitValidFrom) : null,
      a.validFrom,
      a.validTo,
      organSymbol(a),
    ]),
  );
}

async function seedDocuments(tx: Queryable, scale: number): Promise<number> {
  const rng = new Prng(20140401);
  const byCode = new Map(AGENCIES.map((a) => [a.code, a]));
  const children = new Map<string, AgencySeed[]>();
  for (const a of AGENCIES)
    if (a.parentCode) children.set(a.parentCode, [...(children.get(a.parentCode) ?? []), a]);
  const docs: DocRecord[] = [];
  const recipients: unknown[][] = [];
  const assignments: unknown[][] = [];
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
        const urgency = rng.weighted<string | null>([
          [null, 90],
          ['KHAN', 6],
          ['THUONG_KHAN', 3],
          ['HOA_TOC', 1],
        ]);
        const keys = searchKeys(numberSymbol, subject, a.name);
        const docId = ++id;
        const row: DocRecord = new Array(DOC_COLUMNS.length).fill(null);
        Object.assign(row, {
          [col.id!]: docId,
          [col.direction!]: 'OUTGOING',
          [col.agency_code!]: a.code,
          [col.issuer_code!]: a.code,
          [col.issuer_name!]: a.name,
          [col.number!]: number,
          [col.number_year!]: parts.numberYear,
          [col.type_code!]: typeCode,
          [col.organ_symbol!]: symbol,
          [col.unit_symbol!]: parts.unitSymbol,
          [col.number_symbol!]: numberSymbol,
          [col.year!]: year,
          [col.subject!]: subject,
          [col.issued_date!]: issued,
          [col.issued_place!]: seatPlace,
          [col.signer_official_id!]: signer.id,
          [col.signer_name!]: signer.fullName,
          [col.signer_position!]:
            a.level === 'DEPARTMENT' || a.level === 'CENTRAL' ? 'Giám đốc' : LEADER_POSITIONS[leader - 1],
          [col.signer_competence!]: leader === 1 ? 'TM.' : 'KT.',
          [col.urgency!]: urgency,
          [col.secrecy!]: isSecret ? rng.pick(['MAT', 'TOI_MAT']) : 'THUONG',
          [col.electronic!]: electronic,
          [col.digitally_signed!]: signed,
          [col.register_book!]: 'Sổ văn bản đi',
          [col.page_count!]: rng.int(1, 12),
          [col.copies!]: rng.int(1, 8),
          [col.status!]: 'DA_PHAT_HANH',
          [col.search_key!]: keys.search,
          [col.exact_key!]: keys.exact,
        });
        docs.push(row);
        if (isSecret) continue;
        // Recipients: the parent and a few subordinates that exist on the issue date.
        const pool = [
          ...(a.parentCode ? [byCode.get(a.parentCode)!] : []),
          ...(children.get(a.code) ?? []),
        ].filter((r) => existsOn(r, issued));
        const chosen = rng.shuffle([...pool]).slice(0, rng.int(1, 3));
        chosen.forEach((r, pos) => recipients.push([docId, pos + 1, r.code, r.name]));
        recipients.push([docId, chosen.length + 1, null, 'Lưu: VT']);
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
          let status = 'DA_VAO_SO';
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
            const assign = (n: number, role: string, time: string): void => {
              const o = syntheticOfficial(r.code, n);
              assignments.push([
                inId,
                o.id,
                o.fullName,
                role,
                state,
                `${received}T${time}:00+07:00`,
                due,
                completed,
              ]);
            };
            assign(rng.int(4, 12), 'CHU_TRI', '10:00');
            if (rng.chance(0.3)) assign(rng.int(13, 20), 'PHOI_HOP', '10:30');
          }
          const inc = [...row];
          inc[col.id!] = inId;
          inc[col.direction!] = 'INCOMING';
          inc[col.agency_code!] = r.code;
          inc[col.register_book!] = 'Sổ văn bản đến';
          inc[col.arrival_number!] = arrival;
          inc[col.arrival_year!] = ry;
          inc[col.received_at!] = `${received}T08:00:00+07:00`;
          inc[col.due_date!] = due;
          inc[col.status!] = status;
          inc[col.completed_at!] = completed;
          docs.push(inc);
        }
      }
    }
  }
  await bulkInsert(tx, 'documents', DOC_COLUMNS, docs);
  await bulkInsert(
    tx,
    'document_recipients',
    columns('document_id:bigint', 'position:int', 'agency_code:text', 'name:text'),
    recipients,
  );
  await bulkInsert(
    tx,
    'processing_assignments',
    columns(
      'document_id:bigint',
      'assignee_official_id:text',
      'assignee_name:text',
      'role:text',
      'state:text',
      'assigned_at:timestamptz',
      'due_date:date',
      'completed_at:timestamptz',
    ),
    assignments,
  );
  await tx.exec(`
    SELECT setval('documents_id_seq', (SELECT max(id) FROM documents));
    INSERT INTO number_sequences (agency_code, year, register, last_number)
      SELECT agency_code, year, 'ALL', max(number) FROM documents WHERE direction = 'OUTGOING' GROUP BY agency_code, year;
    INSERT INTO number_sequences (agency_code, year, register, last_number)
      SELECT agency_code, arrival_year, 'DEN', max(arrival_number) FROM documents WHERE direction = 'INCOMING'
      GROUP BY agency_code, arrival_year;
    -- Fresh statistics, so the planner sees the bulk-loaded sizes (e.g. uses the search index).
    ANALYZE admin_units, agencies, documents, document_recipients, processing_assignments;
  `);
  return docs.length;
}

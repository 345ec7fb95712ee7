/**
 * Message metadata for the seed: mailboxes in use send messages to colleagues of their agency on days
 * they logged in; half carry an attachment, most of those a document cited by number/symbol.
 */
import type { InsertOf } from '../../../kit';
import type { messageAttachments, messageRecipients, messages } from '../db/tables';
import { dayStr, spellDays } from './usage';
import type { SeedBox } from './usage';

const SUBJECTS = [
  'Gửi báo cáo tình hình thực hiện nhiệm vụ tháng',
  'Về việc triển khai kế hoạch cải cách hành chính',
  'Giấy mời họp giao ban',
  'Góp ý dự thảo văn bản',
  'Về việc cung cấp số liệu thống kê',
  'Thông báo lịch công tác tuần',
  'Chuyển văn bản để biết và thực hiện',
  'Về việc rà soát thủ tục hành chính',
];
const KINDS = ['QĐ-UBND', 'KH-UBND', 'BC-UBND', 'TB-UBND', 'UBND-VP'];

export class MessageWriter {
  readonly messages: InsertOf<typeof messages>[] = [];
  readonly recipients: InsertOf<typeof messageRecipients>[] = [];
  readonly attachments: InsertOf<typeof messageAttachments>[] = [];
  private readonly used = new Map<string, number>();

  constructor(private readonly scale: number) {}

  /** Messages among the mailboxes of one agency. */
  write(boxes: SeedBox[]): void {
    const traffic = boxes.filter((b) => b.traffic);
    for (const b of traffic)
      for (const [year, spell] of b.logins) {
        const days = spellDays(spell);
        if (days.length < 10) continue;
        const r = b.r;
        for (let k = Math.floor(2 * this.scale + r.next()); k > 0; k--) {
          const day = r.pick(days);
          const to = traffic.filter(
            (x) => x !== b && x.createdDay <= day && (x.closedDay === null || x.closedDay > day),
          );
          if (!to.length) continue;
          const id = this.messages.length + 1;
          this.messages.push({
            id,
            senderAddress: b.address,
            subject: r.pick(SUBJECTS),
            sentAt: `${dayStr(day)}T${String(r.int(8, 16)).padStart(2, '0')}:${String(r.int(0, 59)).padStart(2, '0')}:30+07:00`,
          });
          const chosen = new Set<SeedBox>();
          for (let i = r.int(1, Math.min(3, to.length)); i > 0; i--) chosen.add(r.pick(to));
          [...chosen].forEach((x, i) => {
            this.recipients.push({ messageId: id, address: x.address, kind: i === 0 ? 'TO' : 'CC' });
            this.bump(x.address, 1);
          });
          this.bump(b.address, 1);
          if (r.chance(0.5)) {
            const cites = r.chance(0.7);
            const kind = r.pick(KINDS);
            const number = r.int(1, 300);
            const sizeKb = r.int(40, 2_000);
            this.attachments.push({
              messageId: id,
              seq: 1,
              fileName: cites ? `${number}-${kind}.pdf` : `tai-lieu-${id}.docx`,
              sizeKb,
              citedAgencyCode: cites ? b.agency.code : null,
              citedYear: cites ? year : null,
              citedNumberSymbol: cites ? `${number}/${kind}` : null,
            });
            this.bump(b.address, Math.ceil(sizeKb / 1024));
          }
        }
      }
  }

  /** Space used by the seeded messages, MB per address. */
  usedMb(): Map<string, number> {
    return this.used;
  }

  private bump(address: string, mb: number): void {
    this.used.set(address, (this.used.get(address) ?? 0) + mb);
  }
}

/**
 * Tra cứu hồ sơ: the dossier's status, procedure and dates by its code (trusted document
 * DossierStatus, anonymous), then watched: until federated subscriptions reach the portal's trusted
 * documents, the page asks again every few seconds while "Tự động cập nhật" is ticked, says so, and
 * announces a change of status through an aria-live region (docs/portal.md).
 */
import { clock, date, dateTime, errorText, FINAL, statusLabel, TIMELINESS } from './format';
import { ApiError, run } from './trusted';

interface DossierStatus {
  code: string;
  status: string;
  statusCode: number;
  receivedAt: string;
  dueDate: string;
  finishedAt: string | null;
  returnedAt: string | null;
  timeliness: string | null;
  procedure: { code: string; name: string; processingDays: number | null };
  agency: { code: string; name: string };
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export class DossierView {
  private code: string | null = null;
  private shown: DossierStatus | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly pollSeconds: number) {}

  /** Looks `code` up and shows it (or says why not), then watches it. */
  async lookUp(code: string): Promise<void> {
    clearTimeout(this.timer);
    this.code = code;
    this.shown = null;
    const message = $('dossier-message');
    message.className = '';
    message.textContent = 'Đang tra cứu…';
    $('dossier').hidden = true;
    let found: DossierStatus | null;
    try {
      found = (await run<{ dossierStatus: DossierStatus | null }>('DossierStatus', { code })).dossierStatus;
    } catch (err) {
      message.className = 'error';
      message.textContent =
        err instanceof ApiError ? errorText(err.code, 'hồ sơ') : errorText('NETWORK', 'hồ sơ');
      return;
    }
    if (this.code !== code) return; // another look-up started meanwhile
    if (!found) {
      message.className = 'error';
      message.textContent = `Không tìm thấy hồ sơ ${code}. Vui lòng kiểm tra lại mã hồ sơ.`;
      return;
    }
    message.textContent = `Đã tìm thấy hồ sơ ${found.code}.`;
    this.show(found);
    $('dossier').hidden = false;
    this.schedule();
  }

  /** (Re)starts or stops watching, as the checkbox says. */
  schedule(): void {
    clearTimeout(this.timer);
    const note = $('watch-note');
    if (!this.shown) return;
    if (FINAL.has(this.shown.status)) {
      note.textContent = 'Hồ sơ đã kết thúc xử lý; trạng thái sẽ không thay đổi nữa.';
      return;
    }
    if (!$<HTMLInputElement>('watch').checked) {
      note.textContent = 'Đã tắt tự động cập nhật.';
      return;
    }
    note.textContent = `Trang tự hỏi lại trạng thái mỗi ${this.pollSeconds} giây (cập nhật định kỳ). Lần cập nhật gần nhất: ${clock()}.`;
    this.timer = setTimeout(() => void this.refresh(), this.pollSeconds * 1000);
  }

  private async refresh(): Promise<void> {
    const code = this.code;
    if (!code || !this.shown) return;
    try {
      const { dossierStatus } = await run<{ dossierStatus: DossierStatus | null }>('DossierStatus', {
        code,
      });
      if (this.code !== code) return;
      if (dossierStatus) this.show(dossierStatus);
      this.schedule();
    } catch {
      if (this.code !== code) return;
      $('watch-note').textContent =
        `Không cập nhật được lúc ${clock()}; trang sẽ thử lại sau ${this.pollSeconds} giây.`;
      this.timer = setTimeout(() => void this.refresh(), this.pollSeconds * 1000);
    }
  }

  private show(d: DossierStatus): void {
    const before = this.shown?.status;
    this.shown = d;
    $('dossier-code').textContent = `Hồ sơ ${d.code}`;
    const status = $('dossier-status');
    const label = statusLabel(d.status);
    if (before && before !== d.status) {
      // The aria-live region announces the whole sentence once.
      status.textContent = `${label} (đã thay đổi từ “${statusLabel(before)}” lúc ${clock()})`;
      status.classList.add('changed');
    } else if (!before) {
      status.textContent = label;
      status.classList.remove('changed');
    }
    status.dataset.status = d.status;
    const fields: [string, string][] = [
      ['Thủ tục', d.procedure.name],
      ['Cơ quan tiếp nhận', d.agency.name],
      ['Ngày tiếp nhận', dateTime(d.receivedAt)],
      ['Ngày hẹn trả kết quả', date(d.dueDate)],
      [
        'Thời hạn giải quyết',
        d.procedure.processingDays === null ? '—' : `${d.procedure.processingDays} ngày làm việc`,
      ],
      ['Ngày xử lý xong', dateTime(d.finishedAt)],
      ['Ngày trả kết quả', dateTime(d.returnedAt)],
      ['Tiến độ', d.timeliness ? (TIMELINESS[d.timeliness] ?? d.timeliness) : '—'],
    ];
    $('dossier-fields').replaceChildren(
      ...fields.flatMap(([term, value]) => {
        const dt = document.createElement('dt');
        dt.textContent = term;
        const dd = document.createElement('dd');
        dd.textContent = value;
        return [dt, dd];
      }),
    );
  }
}

/**
 * Tra cứu hồ sơ: the dossier's status, procedure and dates by its code (trusted document
 * DossierStatus, anonymous), then watched live while "Tự động cập nhật" is ticked: the public
 * subscription DossierStatusLive over graphql-sse (./live.ts) pushes each change. When the stream
 * cannot open or drops (no subscriptions on this gateway, a proxy, the network), the page falls back
 * to asking again every few seconds, and says which it is doing. A change of status is announced
 * through an aria-live region (docs/portal.md).
 */
import { clock, date, dateTime, errorText, FINAL, statusLabel, TIMELINESS } from './format';
import { subscribe } from './live';
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
  /** Stops the live stream, when one is open or opening. */
  private stopLive: (() => void) | undefined;
  /** The live stream failed for this code: ask again periodically instead. */
  private liveFailed = false;

  constructor(private readonly pollSeconds: number) {}

  /** Looks `code` up and shows it (or says why not), then watches it. */
  async lookUp(code: string): Promise<void> {
    clearTimeout(this.timer);
    this.closeLive();
    this.liveFailed = false;
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

  /** (Re)starts or stops watching, as the checkbox says: live first, else by asking again. */
  schedule(): void {
    clearTimeout(this.timer);
    const note = $('watch-note');
    if (!this.shown) return;
    if (FINAL.has(this.shown.status)) {
      this.closeLive();
      note.textContent = 'Hồ sơ đã kết thúc xử lý; trạng thái sẽ không thay đổi nữa.';
      return;
    }
    if (!$<HTMLInputElement>('watch').checked) {
      this.closeLive();
      note.textContent = 'Đã tắt tự động cập nhật.';
      return;
    }
    if (!this.liveFailed) {
      if (!this.stopLive) this.openLive(this.shown.code);
      return;
    }
    note.textContent = `Trang tự hỏi lại trạng thái mỗi ${this.pollSeconds} giây (cập nhật định kỳ). Lần cập nhật gần nhất: ${clock()}.`;
    this.timer = setTimeout(() => void this.refresh(), this.pollSeconds * 1000);
  }

  /** Watches the dossier `code` (as the gateway spells it: the events' key) for the look-up under way. */
  private openLive(code: string): void {
    const asked = this.code;
    const note = $('watch-note');
    note.textContent = 'Đang kết nối để theo dõi trực tiếp…';
    this.stopLive = subscribe<{ dossierPublicStatusChanged: DossierStatus }>(
      'DossierStatusLive',
      { code },
      {
        opened: () => {
          if (this.code !== asked) return;
          note.textContent = `Trang đang theo dõi trực tiếp: trạng thái mới hiện ngay khi hồ sơ được xử lý (từ ${clock()}).`;
          note.dataset.mode = 'live';
        },
        next: (data) => {
          if (this.code !== asked) return;
          this.show(data.dossierPublicStatusChanged);
          if (FINAL.has(data.dossierPublicStatusChanged.status)) this.schedule();
        },
        failed: () => {
          if (this.code !== asked) return;
          this.stopLive = undefined;
          this.liveFailed = true;
          note.dataset.mode = 'poll';
          // Asked once now (a change may have come while the stream was down), then periodically.
          void this.refresh();
        },
      },
    );
  }

  private closeLive(): void {
    this.stopLive?.();
    this.stopLive = undefined;
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

/**
 * A stand-in for a vendor's one-stop-shop system (hệ thống một cửa điện tử of a vendor), with the HTTP
 * JSON API such systems have: its own field names, page-number paging (`trang`, `soBanGhi`, `tongSo`),
 * a list endpoint by many codes, and an API key it checks (`X-MotCua-Key`). The legacy-mc connector
 * subgraph joins it to the graph (docs/systems/legacy-mc.md). Tests count its calls and inject faults.
 *
 *   GET /api/v1/hoso/{maHoSo}                         one dossier's payment record (404 if none)
 *   GET /api/v1/hoso?dsMaHoSo=a,b,…                   many (at most 100): { ketQua, duLieu: [...] }
 *   GET /api/v1/donvi/{maDonVi}                       the agency's desk (404 if none)
 *   GET /api/v1/donvi/{maDonVi}/bienlai?trang=&soBanGhi=   receipts, a page: { tongSo, trang, duLieu }
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deskOf, paymentOf, receiptAt, receiptCount } from './data';

export const API_KEY_HEADER = 'x-motcua-key';
export const MAX_CODES = 100;
export const MAX_PAGE = 50;

/** A fault the tests switch on: every answer slow, a 500, or a body that is not JSON. */
export type Fault = { kind: 'slow'; ms: number } | { kind: '500' } | { kind: 'malformed' } | null;

export interface StandIn {
  url: string;
  /** Requests received (every path), and the paths themselves, in order. */
  readonly calls: string[];
  /** The API keys the requests carried, in order. */
  readonly keys: (string | undefined)[];
  fault: Fault;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function route(url: URL): [number, unknown] {
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== 'api' || parts[1] !== 'v1') return [404, { loi: 'KHONG_TIM_THAY' }];
  if (parts[2] === 'hoso' && parts.length === 4) {
    const p = paymentOf(parts[3]!);
    return p ? [200, p] : [404, { loi: 'KHONG_TIM_THAY' }];
  }
  if (parts[2] === 'hoso' && parts.length === 3) {
    const codes = (url.searchParams.get('dsMaHoSo') ?? '').split(',').filter(Boolean);
    if (!codes.length || codes.length > MAX_CODES)
      return [400, { loi: 'THAM_SO', moTa: `dsMaHoSo: 1–${MAX_CODES} mã` }];
    return [200, { ketQua: 'OK', duLieu: codes.map(paymentOf).filter((p) => p !== null) }];
  }
  if (parts[2] === 'donvi' && parts.length === 4) {
    const d = deskOf(parts[3]!);
    return d ? [200, d] : [404, { loi: 'KHONG_TIM_THAY' }];
  }
  if (parts[2] === 'donvi' && parts[4] === 'bienlai' && parts.length === 5) {
    if (!deskOf(parts[3]!)) return [404, { loi: 'KHONG_TIM_THAY' }];
    const trang = Number(url.searchParams.get('trang') ?? 1);
    const soBanGhi = Number(url.searchParams.get('soBanGhi') ?? 20);
    if (
      !Number.isInteger(trang) ||
      trang < 1 ||
      !Number.isInteger(soBanGhi) ||
      soBanGhi < 1 ||
      soBanGhi > MAX_PAGE
    )
      return [400, { loi: 'THAM_SO', moTa: `trang ≥ 1, soBanGhi 1–${MAX_PAGE}` }];
    const tongSo = receiptCount(parts[3]!);
    const from = (trang - 1) * soBanGhi;
    const duLieu = [];
    for (let i = from; i < Math.min(tongSo, from + soBanGhi); i++) duLieu.push(receiptAt(parts[3]!, i));
    return [200, { tongSo, trang, soBanGhi, duLieu }];
  }
  return [404, { loi: 'KHONG_TIM_THAY' }];
}

/** Starts the stand-in on `port` (0: any free port), answering only requests with `apiKey`. */
export async function startStandIn(opts: { apiKey: string; port?: number; host?: string }): Promise<StandIn> {
  const state = { fault: null as Fault };
  const calls: string[] = [];
  const keys: (string | undefined)[] = [];
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://standin');
    calls.push(`${url.pathname}${url.search}`);
    const key = req.headers[API_KEY_HEADER];
    keys.push(typeof key === 'string' ? key : undefined);
    const fault = state.fault;
    if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.ms));
    if (key !== opts.apiKey) return send(res, 401, { loi: 'CHUA_XAC_THUC' });
    if (fault?.kind === '500') return send(res, 500, { loi: 'LOI_HE_THONG' });
    if (fault?.kind === 'malformed') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Hệ thống đang bảo trì</body></html>');
      return;
    }
    if (req.method !== 'GET') return send(res, 405, { loi: 'PHUONG_THUC' });
    const [status, body] = route(url);
    send(res, status, body);
  };
  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    keys,
    get fault() {
      return state.fault;
    },
    set fault(f: Fault) {
      state.fault = f;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

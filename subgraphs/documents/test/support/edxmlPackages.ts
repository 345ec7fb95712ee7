/**
 * edXML packages built in tests to the standard's structure (docs/interop.md): a valid document
 * package with overridable parts, and a status message. Test support, not a test.
 */
import { EDXML_NS } from '../../edxml/format';

export interface PackageParts {
  fromId?: string;
  fromName?: string;
  to?: { id: string; name: string }[];
  number?: number;
  notation?: string;
  date?: string;
  type?: string;
  subject?: string;
  documentId?: string;
  attachments?: { name: string; type: string; base64: string; description?: string }[];
  traces?: { id: string; at: string }[];
  business?: string;
  /** Replaces the namespace URI. */
  ns?: string;
  /** Raw XML inserted before the root element (a DOCTYPE, say). */
  prolog?: string;
  /** Raw XML inserted inside MessageHeader. */
  extraHeader?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function documentPackage(p: PackageParts = {}): string {
  const fromId = p.fromId ?? '000.00.00.H26';
  const number = p.number ?? 77;
  const notation = p.notation ?? 'QĐ-UBND';
  const date = p.date ?? '2024-12-20';
  const documentId = p.documentId ?? `${fromId},${date.replace(/-/g, '/')},${number}/${notation}`;
  const to = p.to ?? [{ id: '000.00.00.H26', name: 'Ủy ban nhân dân thành phố Hà Nội' }];
  const attachments = p.attachments ?? [];
  return `${p.prolog ?? '<?xml version="1.0" encoding="UTF-8"?>'}
<edXML:edXMLEnvelope xmlns:edXML="${p.ns ?? EDXML_NS}">
  <edXML:edXMLHeader>
    <edXML:MessageHeader>
      <edXML:From><edXML:OrganId>${fromId}</edXML:OrganId><edXML:OrganName>${esc(p.fromName ?? 'Ủy ban nhân dân thành phố Hà Nội')}</edXML:OrganName></edXML:From>
      ${to.map((t) => `<edXML:To><edXML:OrganId>${t.id}</edXML:OrganId><edXML:OrganName>${esc(t.name)}</edXML:OrganName></edXML:To>`).join('\n      ')}
      <edXML:DocumentId>${esc(documentId)}</edXML:DocumentId>
      <edXML:Code><edXML:CodeNumber>${number}</edXML:CodeNumber><edXML:CodeNotation>${esc(notation)}</edXML:CodeNotation></edXML:Code>
      <edXML:PromulgationInfo><edXML:Place>Hà Nội</edXML:Place><edXML:PromulgationDate>${date}</edXML:PromulgationDate></edXML:PromulgationInfo>
      <edXML:DocumentType><edXML:Type>${p.type ?? 'QĐ'}</edXML:Type><edXML:TypeName>Quyết định</edXML:TypeName></edXML:DocumentType>
      <edXML:Subject>${esc(p.subject ?? 'Quyết định về việc giao dự toán ngân sách năm 2025 & kế hoạch')}</edXML:Subject>
      <edXML:SignerInfo><edXML:Competence>TM.</edXML:Competence><edXML:Position>Chủ tịch</edXML:Position><edXML:FullName>Trần Sỹ Thanh</edXML:FullName></edXML:SignerInfo>
      <edXML:OtherInfo><edXML:Priority>1</edXML:Priority><edXML:PageAmount>3</edXML:PageAmount></edXML:OtherInfo>
      ${p.extraHeader ?? ''}
    </edXML:MessageHeader>
    <edXML:TraceHeaderList>
      ${(p.traces ?? [{ id: fromId, at: '2024-12-20T09:00:00+07:00' }]).map((t) => `<edXML:TraceHeader><edXML:OrganId>${t.id}</edXML:OrganId><edXML:Timestamp>${t.at}</edXML:Timestamp></edXML:TraceHeader>`).join('')}
    </edXML:TraceHeaderList>
    <edXML:Bussiness><edXML:BussinessDocType>${p.business ?? '0'}</edXML:BussinessDocType></edXML:Bussiness>
  </edXML:edXMLHeader>
  ${
    attachments.length
      ? `<edXML:edXMLManifest>${attachments.map((a) => `<edXML:Reference><edXML:AttachmentName>${esc(a.name)}</edXML:AttachmentName><edXML:ContentType>${a.type}</edXML:ContentType><edXML:Description>${esc(a.description ?? '')}</edXML:Description></edXML:Reference>`).join('')}</edXML:edXMLManifest>
  <edXML:AttachmentEncoded>${attachments.map((a) => `<edXML:Attachment><edXML:AttachmentName>${esc(a.name)}</edXML:AttachmentName><edXML:ContentType>${a.type}</edXML:ContentType><edXML:Value>${a.base64}</edXML:Value></edXML:Attachment>`).join('')}</edXML:AttachmentEncoded>`
      : ''
  }
</edXML:edXMLEnvelope>`;
}

export function statusMessage(p: {
  fromId: string;
  toId: string;
  numberSymbol: string;
  date: string;
  code: string;
  at: string;
}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<s:Status xmlns:s="${EDXML_NS}"><s:Header>
  <s:From><s:OrganId>${p.fromId}</s:OrganId><s:OrganName>Nơi nhận</s:OrganName></s:From>
  <s:To><s:OrganId>${p.toId}</s:OrganId><s:OrganName>Nơi gửi</s:OrganName></s:To>
  <s:ResponseFor><s:OrganId>${p.toId}</s:OrganId><s:Code>${p.numberSymbol}</s:Code><s:PromulgationDate>${p.date}</s:PromulgationDate><s:DocumentId>${p.toId},${p.date.replace(/-/g, '/')},${p.numberSymbol}</s:DocumentId></s:ResponseFor>
  <s:StatusCode>${p.code}</s:StatusCode><s:Timestamp>${p.at}</s:Timestamp>
  <s:StaffInfo><s:Department>Văn phòng</s:Department><s:Staff>Nguyễn Văn A</s:Staff><s:Mobile>0912345678</s:Mobile><s:Email>a@example.vn</s:Email></s:StaffInfo>
</s:Header></s:Status>`;
}

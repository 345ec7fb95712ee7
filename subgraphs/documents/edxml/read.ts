/**
 * Import: an edXML document package (`edXMLEnvelope`) into an EdxmlDocument, every element checked.
 * A package with any problem is refused as a whole (EdxmlRefused lists each element and why); the
 * caller stores nothing then. What is checked: docs/interop.md "Import".
 */
import { documentType, parseNumberSymbol, SIGNING_COMPETENCES } from '../numbering';
import { Fields } from './fields';
import {
  BUSINESS_DOC_TYPES,
  documentIdOf,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
  MAX_RECIPIENTS,
  MAX_TRACE_HOPS,
  PRIORITY,
} from './format';
import type { EdxmlAttachment, EdxmlDocument, Organ, TraceHop } from './format';
import { EdxmlRefused, parseEdxml } from './xml';
import type { XmlNode } from './xml';

const HEADER = 'edXMLHeader/MessageHeader';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function organ(f: Fields, node: XmlNode | undefined, where: string): Organ | null {
  if (node === undefined || typeof node === 'string') {
    f.problem(where, 'is required (OrganId, OrganName)');
    return null;
  }
  const organId = f.agencyCode(node, where, 'OrganId');
  const organName = f.text(node, where, 'OrganName', { required: true, max: 300 });
  return organId && organName ? { organId, organName } : null;
}

export function readDocumentPackage(xml: string): EdxmlDocument {
  const root = parseEdxml(xml, 'edXMLEnvelope');
  const f = new Fields();
  const header = f.node(root, HEADER);
  if (header === undefined || typeof header === 'string' || Array.isArray(header))
    throw new EdxmlRefused([{ element: HEADER, message: 'is required, once' }]);

  const from = organ(f, f.node(header, 'From') as XmlNode | undefined, `${HEADER}/From`);
  const toNodes = f.list(header, 'To');
  if (!toNodes.length) f.problem(`${HEADER}/To`, 'at least one receiving organ is required');
  if (toNodes.length > MAX_RECIPIENTS) f.problem(`${HEADER}/To`, `at most ${MAX_RECIPIENTS} receivers`);
  const to = toNodes.slice(0, MAX_RECIPIENTS).map((n, i) => organ(f, n, `${HEADER}/To[${i + 1}]`));

  const codeNumber = f.integer(header, HEADER, 'Code/CodeNumber', 1, 9_999_999, true);
  const codeNotation = f.text(header, HEADER, 'Code/CodeNotation', { required: true, max: 100 });
  let typeCode: string | null = null;
  let numberSymbol: string | null = null;
  if (codeNumber !== null && codeNotation !== null) {
    try {
      const parts = parseNumberSymbol(`${codeNumber}/${codeNotation}`, 'Code');
      typeCode = parts.typeCode;
      numberSymbol = `${codeNumber}/${codeNotation}`;
    } catch (err) {
      f.problem(`${HEADER}/Code`, (err as Error).message.replace(/^Code: /, ''));
    }
  }
  const promulgationPlace = f.text(header, HEADER, 'PromulgationInfo/Place', { max: 100 });
  const promulgationDate = f.date(header, HEADER, 'PromulgationInfo/PromulgationDate', true);

  const declaredType = f.text(header, HEADER, 'DocumentType/Type', { max: 10 });
  if (declaredType !== null && numberSymbol !== null && declaredType !== (typeCode ?? ''))
    f.problem(
      `${HEADER}/DocumentType/Type`,
      `"${declaredType}" does not match the type in ${numberSymbol} (${typeCode ?? 'công văn: none'})`,
    );
  const subject = f.text(header, HEADER, 'Subject', { required: true, max: 2000 });

  const signerNode = f.node(header, 'SignerInfo') as XmlNode | undefined;
  let signer: EdxmlDocument['signer'] = null;
  if (signerNode !== undefined && signerNode !== '') {
    const where = `${HEADER}/SignerInfo`;
    const competence = f.text(signerNode, where, 'Competence', { max: 10 });
    if (competence !== null && !(SIGNING_COMPETENCES as readonly string[]).includes(competence))
      f.problem(`${where}/Competence`, `"${competence}" is not one of ${SIGNING_COMPETENCES.join(', ')}`);
    const position = f.text(signerNode, where, 'Position', { max: 100 });
    const fullName = f.text(signerNode, where, 'FullName', { required: true, max: 100 });
    if (fullName) signer = { competence, position, fullName };
  }
  const dueDate = f.date(header, HEADER, 'DueDate');
  if (dueDate && promulgationDate && dueDate < promulgationDate)
    f.problem(`${HEADER}/DueDate`, `${dueDate} is before the promulgation date ${promulgationDate}`);
  const priority = f.text(header, HEADER, 'OtherInfo/Priority', { max: 2 }) ?? '0';
  if (!(priority in PRIORITY)) f.problem(`${HEADER}/OtherInfo/Priority`, `"${priority}" is not 0–4`);
  const pageAmount = f.integer(header, HEADER, 'OtherInfo/PageAmount', 1, 100_000);
  const promulgationAmount = f.integer(header, HEADER, 'OtherInfo/PromulgationAmount', 1, 100_000);
  const steeringType = f.integer(header, HEADER, 'SteeringType', 0, 1) ?? 0;

  const documentId = f.text(header, HEADER, 'DocumentId', { required: true, max: 400 });
  if (documentId && from && promulgationDate && numberSymbol) {
    const expected = documentIdOf(from.organId, promulgationDate, numberSymbol);
    if (documentId !== expected)
      f.problem(
        `${HEADER}/DocumentId`,
        `"${documentId}" is not {From/OrganId},{PromulgationDate},{Code}: ${expected}`,
      );
  }

  const business =
    f.text(f.node(root, 'edXMLHeader') as XmlNode, 'edXMLHeader', 'Bussiness/BussinessDocType', { max: 2 }) ??
    BUSINESS_DOC_TYPES.NEW;
  if (business !== BUSINESS_DOC_TYPES.NEW)
    f.problem(
      'edXMLHeader/Bussiness/BussinessDocType',
      `"${business}": only new documents (0) are received; revocation, update and replacement are not handled yet`,
    );

  const traces: TraceHop[] = [];
  const hops = f.list(root, 'edXMLHeader/TraceHeaderList/TraceHeader');
  if (hops.length > MAX_TRACE_HOPS)
    f.problem('edXMLHeader/TraceHeaderList', `at most ${MAX_TRACE_HOPS} hops`);
  hops.slice(0, MAX_TRACE_HOPS).forEach((hop, i) => {
    const where = `edXMLHeader/TraceHeaderList/TraceHeader[${i + 1}]`;
    const organId = f.agencyCode(hop, where, 'OrganId');
    const at = f.instant(hop, where, 'Timestamp');
    if (organId && at) traces.push({ organId, at });
  });

  const attachments = readAttachments(f, root);
  if (f.problems.length) throw new EdxmlRefused(f.problems);
  return {
    from: from!,
    to: to as Organ[],
    documentId: documentId!,
    codeNumber: codeNumber!,
    codeNotation: codeNotation!,
    promulgationPlace,
    promulgationDate: promulgationDate!,
    typeCode,
    typeName: documentType(typeCode).name,
    subject: subject!,
    signer,
    dueDate,
    urgency: PRIORITY[priority] ?? null,
    pageAmount,
    promulgationAmount,
    steeringType,
    businessDocType: business,
    traces,
    attachments,
  };
}

/** The manifest (edXMLManifest/Reference) and the attachments (AttachmentEncoded/Attachment) must agree, in order. */
function readAttachments(f: Fields, root: XmlNode): EdxmlAttachment[] {
  const refs = f.list(root, 'edXMLManifest/Reference');
  const encoded = f.list(root, 'AttachmentEncoded/Attachment');
  if (encoded.length > MAX_ATTACHMENTS) {
    f.problem('AttachmentEncoded', `${encoded.length} attachments; at most ${MAX_ATTACHMENTS}`);
    return [];
  }
  if (refs.length !== encoded.length)
    f.problem(
      'edXMLManifest',
      `lists ${refs.length} attachment(s) but the package carries ${encoded.length}`,
    );
  const out: EdxmlAttachment[] = [];
  let total = 0;
  encoded.forEach((node, i) => {
    const where = `AttachmentEncoded/Attachment[${i + 1}]`;
    const name = f.text(node, where, 'AttachmentName', { required: true, max: 255 });
    const contentType = f.text(node, where, 'ContentType', { required: true, max: 100 });
    const description = f.text(refs[i], `edXMLManifest/Reference[${i + 1}]`, 'Description', { max: 1000 });
    const listed = f.text(refs[i], `edXMLManifest/Reference[${i + 1}]`, 'AttachmentName', { max: 255 });
    if (refs[i] !== undefined && name !== null && listed !== name)
      f.problem(
        `edXMLManifest/Reference[${i + 1}]/AttachmentName`,
        `"${listed}" does not name attachment ${i + 1} ("${name}")`,
      );
    const raw = f.node(node, 'Value');
    const base64 = typeof raw === 'string' ? raw.replace(/\s+/g, '') : '';
    if (!base64 || !BASE64.test(base64) || base64.length % 4 !== 0) {
      f.problem(`${where}/Value`, 'must be the attachment in base64');
      return;
    }
    const byteSize = Buffer.byteLength(base64, 'base64');
    total += byteSize;
    if (total > MAX_ATTACHMENT_BYTES) {
      f.problem(
        `${where}/Value`,
        `attachments exceed ${MAX_ATTACHMENT_BYTES.toLocaleString('en')} bytes in all`,
      );
      return;
    }
    if (name && contentType) out.push({ name, contentType, description, base64, byteSize });
  });
  return out;
}

/**
 * Import of a status message (`Status`): a receiver tells the issuer where a document it was sent
 * stands (QCVN 102 codes 01–06). StaffInfo's mobile and e-mail are personal data and are dropped on
 * reading; only the department and the staff name are kept in the message, and nothing of them is
 * stored (docs/interop.md "Status messages").
 */
import { parseNumberSymbol } from '../numbering';
import { Fields } from './fields';
import { documentIdOf, STATUS_CODES } from './format';
import type { EdxmlStatus, Organ, StatusCode } from './format';
import { EdxmlRefused, parseEdxml } from './xml';
import type { XmlNode } from './xml';

const H = 'Header';

function organ(f: Fields, node: XmlNode | undefined, where: string): Organ | null {
  const organId = f.agencyCode(node, where, 'OrganId');
  const organName = f.text(node, where, 'OrganName', { max: 300 }) ?? organId;
  return organId ? { organId, organName: organName! } : null;
}

export function readStatusPackage(xml: string): EdxmlStatus {
  const root = parseEdxml(xml, 'Status');
  const f = new Fields();
  const header = f.node(root, H);
  if (header === undefined || typeof header === 'string' || Array.isArray(header))
    throw new EdxmlRefused([{ element: H, message: 'is required, once' }]);
  const from = organ(f, f.node(header, 'From') as XmlNode | undefined, `${H}/From`);
  const to = organ(f, f.node(header, 'To') as XmlNode | undefined, `${H}/To`);
  const base = `${H}/ResponseFor`;
  const issuer = f.agencyCode(header, H, 'ResponseFor/OrganId');
  const code = f.text(header, H, 'ResponseFor/Code', { required: true, max: 120 });
  const promulgationDate = f.date(header, H, 'ResponseFor/PromulgationDate', true);
  const documentId = f.text(header, H, 'ResponseFor/DocumentId', { required: true, max: 400 });
  let codeNumber = 0;
  let codeNotation = '';
  if (code) {
    try {
      const parts = parseNumberSymbol(code, 'Code');
      codeNumber = parts.number;
      codeNotation = code.slice(code.indexOf('/') + 1);
    } catch (err) {
      f.problem(`${base}/Code`, (err as Error).message.replace(/^Code: /, ''));
    }
  }
  if (issuer && to && issuer !== to.organId)
    f.problem(
      `${base}/OrganId`,
      `the document's issuer ${issuer} is not the message's receiver ${to.organId}`,
    );
  if (
    documentId &&
    issuer &&
    promulgationDate &&
    code &&
    documentId !== documentIdOf(issuer, promulgationDate, code)
  )
    f.problem(`${base}/DocumentId`, `"${documentId}" is not ${documentIdOf(issuer, promulgationDate, code)}`);
  const statusCode = f.text(header, H, 'StatusCode', { required: true, max: 2 });
  if (statusCode !== null && !(statusCode in STATUS_CODES))
    f.problem(
      `${H}/StatusCode`,
      `"${statusCode}" is not a status this system records (${Object.keys(STATUS_CODES).join(', ')})`,
    );
  const description = f.text(header, H, 'Description', { max: 2000 });
  const timestamp = f.instant(header, H, 'Timestamp');
  if (timestamp && Date.parse(timestamp) > Date.now() + 5 * 60_000)
    f.problem(`${H}/Timestamp`, `${timestamp} is in the future`);
  const department = f.text(header, H, 'StaffInfo/Department', { max: 300 });
  const staff = f.text(header, H, 'StaffInfo/Staff', { max: 100 });
  if (f.problems.length) throw new EdxmlRefused(f.problems);
  return {
    from: from!,
    to: to!,
    documentId: documentId!,
    codeNumber,
    codeNotation,
    promulgationDate: promulgationDate!,
    statusCode: statusCode as StatusCode,
    description,
    timestamp: timestamp!,
    department,
    staff,
  };
}

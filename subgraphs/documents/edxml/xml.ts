/**
 * The XML layer of edXML: a package is parsed only after it passed three gates — a size cap, no
 * document type declaration at all (so no entity can be declared: no billion laughs, no external
 * entity), and well-formedness — then every element is checked to be in the edXML namespace and
 * its prefix dropped. fast-xml-parser (MIT) reads and writes; it resolves only XML's five predefined
 * entities and character references once the DTD gate has passed.
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { EDXML_NS, EDXML_PREFIX, MAX_PACKAGE_CHARS } from './format';
import type { EdxmlProblem } from './format';

/** An element as parsed: text, or child elements by local name (repeated ones as arrays), attributes dropped. */
export type XmlNode = string | { [name: string]: XmlNode | XmlNode[] };

export class EdxmlRefused extends Error {
  constructor(readonly problems: EdxmlProblem[]) {
    super(problems.map((p) => `${p.element}: ${p.message}`).join('; '));
    this.name = 'EdxmlRefused';
  }
}

const refuse = (element: string, message: string): never => {
  throw new EdxmlRefused([{ element, message }]);
};

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/**
 * The root element's content, prefixes dropped, when the package is a `rootName` in the edXML
 * namespace; EdxmlRefused naming the element otherwise.
 */
export function parseEdxml(xml: string, rootName: string): { [name: string]: XmlNode | XmlNode[] } {
  if (xml.length > MAX_PACKAGE_CHARS)
    refuse(
      rootName,
      `the package is ${xml.length.toLocaleString('en')} characters; at most ${MAX_PACKAGE_CHARS.toLocaleString('en')}`,
    );
  if (/<!DOCTYPE|<!ENTITY/i.test(xml))
    refuse('DOCTYPE', 'a document type declaration is not allowed in an edXML package (no DTD, no entities)');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) refuse(rootName, `not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = parser.parse(xml) as Record<string, unknown>;
  const roots = Object.keys(doc).filter((k) => !k.startsWith('?'));
  if (roots.length !== 1) refuse(rootName, 'the package must have exactly one root element');
  const [prefix, local] = splitName(roots[0]!);
  if (local !== rootName) refuse(rootName, `the root element is ${roots[0]}, not ${rootName}`);
  const root = doc[roots[0]!];
  if (typeof root !== 'object' || root === null) return refuse(rootName, 'is empty');
  const ns = (root as Record<string, unknown>)[prefix ? `@xmlns:${prefix}` : '@xmlns'];
  if (ns !== EDXML_NS)
    refuse(
      rootName,
      `is not in the edXML namespace ${EDXML_NS} (found ${ns === undefined ? 'none' : String(ns)})`,
    );
  return strip(root as Record<string, unknown>, prefix, rootName) as { [name: string]: XmlNode | XmlNode[] };
}

function splitName(name: string): [string | null, string] {
  const i = name.indexOf(':');
  return i < 0 ? [null, name] : [name.slice(0, i), name.slice(i + 1)];
}

/** Drops attributes and the prefix; an element of another namespace (another prefix) is refused. */
function strip(node: unknown, prefix: string | null, path: string): XmlNode | XmlNode[] {
  if (Array.isArray(node)) return node.map((n) => strip(n, prefix, path) as XmlNode);
  if (typeof node !== 'object' || node === null)
    return node === undefined || node === null ? '' : String(node);
  const out: Record<string, XmlNode | XmlNode[]> = {};
  const obj = node as Record<string, unknown>;
  for (const [key, value] of Object.entries(obj)) {
    if (key.startsWith('@')) continue;
    if (key === '#text') {
      if (Object.keys(obj).some((k) => !k.startsWith('@') && k !== '#text'))
        refuse(path, 'mixes text and elements');
      return String(value);
    }
    const [p, local] = splitName(key);
    if (p !== prefix) refuse(`${path}/${key}`, `is not in the edXML namespace ${EDXML_NS}`);
    out[local] = strip(value, prefix, `${path}/${local}`);
  }
  return out;
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  processEntities: true,
});

/** A value to write: text, children by local name (arrays repeat the element), or absent (null). */
export type XmlOut = string | number | null | undefined | XmlOut[] | { [name: string]: XmlOut };

function prefixed(value: XmlOut): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.map(prefixed);
  if (typeof value !== 'object') return String(value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const p = prefixed(v);
    if (p !== undefined) out[`${EDXML_PREFIX}:${k}`] = p;
  }
  return out;
}

/** `<edXML:{rootName} xmlns:edXML="…">…</…>` with an XML declaration. */
export function writeEdxml(rootName: string, content: { [name: string]: XmlOut }): string {
  const root = { [`@xmlns:${EDXML_PREFIX}`]: EDXML_NS, ...(prefixed(content) as object) };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [`${EDXML_PREFIX}:${rootName}`]: root }) as string}`;
}

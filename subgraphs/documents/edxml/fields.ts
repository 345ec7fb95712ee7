/**
 * Reading checked values out of a parsed edXML tree: each getter records a problem naming the
 * element (its path under the envelope, e.g. `edXMLHeader/MessageHeader/Code/CodeNumber`) instead
 * of throwing, so one refusal lists everything wrong with a package.
 */
import { parseAgencyCode } from '../../../kit';
import type { EdxmlProblem } from './format';
import type { XmlNode } from './xml';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export class Fields {
  readonly problems: EdxmlProblem[] = [];

  problem(element: string, message: string): void {
    this.problems.push({ element, message });
  }

  /** The element at `path` under `node` (one level per `/`), or undefined. */
  node(node: XmlNode | XmlNode[] | undefined, path: string): XmlNode | XmlNode[] | undefined {
    let cur: XmlNode | XmlNode[] | undefined = node;
    for (const part of path.split('/')) {
      if (cur === undefined || typeof cur === 'string' || Array.isArray(cur)) return undefined;
      cur = cur[part];
    }
    return cur;
  }

  /** Every occurrence of the element at `path` (a repeated element parses as an array). */
  list(node: XmlNode | XmlNode[] | undefined, path: string): XmlNode[] {
    const found = this.node(node, path);
    if (found === undefined) return [];
    return Array.isArray(found) ? found : [found];
  }

  /** The text of `path`: null when absent or empty (a problem when `required`), trimmed, at most `max`. */
  text(
    root: XmlNode | undefined,
    base: string,
    path: string,
    opts: { required?: boolean; max?: number } = {},
  ): string | null {
    const where = `${base}/${path}`;
    const found = this.node(root, path);
    if (Array.isArray(found)) {
      this.problem(where, 'appears more than once');
      return null;
    }
    if (found !== undefined && typeof found !== 'string') {
      this.problem(where, 'must hold text, not elements');
      return null;
    }
    const value = found?.trim() ?? '';
    if (!value) {
      if (opts.required) this.problem(where, 'is required');
      return null;
    }
    if (opts.max !== undefined && value.length > opts.max) {
      this.problem(where, `is ${value.length} characters; at most ${opts.max}`);
      return null;
    }
    return value;
  }

  agencyCode(root: XmlNode | undefined, base: string, path: string): string | null {
    const raw = this.text(root, base, path, { required: true, max: 50 });
    if (raw === null) return null;
    try {
      return parseAgencyCode(raw, path);
    } catch {
      this.problem(`${base}/${path}`, `"${raw}" is not a QCVN 102 agency code like 000.00.00.H41`);
      return null;
    }
  }

  /** A calendar date written `yyyy-MM-dd`. */
  date(root: XmlNode | undefined, base: string, path: string, required = false): string | null {
    const raw = this.text(root, base, path, { required, max: 10 });
    if (raw === null) return null;
    const d = new Date(`${raw}T00:00:00Z`);
    if (!ISO_DATE.test(raw) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== raw) {
      this.problem(`${base}/${path}`, `"${raw}" is not a calendar date written yyyy-MM-dd`);
      return null;
    }
    return raw;
  }

  /** An instant with its offset (ISO 8601), e.g. `2024-12-21T08:00:00+07:00`. */
  instant(root: XmlNode | undefined, base: string, path: string): string | null {
    const raw = this.text(root, base, path, { required: true, max: 40 });
    if (raw === null) return null;
    if (
      !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(raw) ||
      Number.isNaN(Date.parse(raw))
    ) {
      this.problem(`${base}/${path}`, `"${raw}" is not an instant like 2024-12-21T08:00:00+07:00`);
      return null;
    }
    return new Date(raw).toISOString();
  }

  /** A whole number in [min, max]. */
  integer(
    root: XmlNode | undefined,
    base: string,
    path: string,
    min: number,
    max: number,
    required = false,
  ): number | null {
    const raw = this.text(root, base, path, { required, max: 12 });
    if (raw === null) return null;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) {
      this.problem(`${base}/${path}`, `"${raw}" is not a whole number from ${min} to ${max}`);
      return null;
    }
    return n;
  }
}

/**
 * The response selection of a connector (`@connect(selection: "…")`): which parts of the existing
 * system's JSON become the graph's fields, under which names. A small language, a subset of Apollo
 * Connectors' selection mapping:
 *
 *   dossierCode: maHoSo  fee: lePhi  payerName: nguoiNop.hoTen  steps: buoc { name: ten at: thoiDiem }
 *
 * An item is `graphName: path`, or a bare `name` (kept as it is); a path walks objects by `.`; a `{ … }`
 * after it selects inside the object (or each element of the list) it reaches. A missing value is null.
 */

export interface SelectionItem {
  readonly name: string;
  readonly path: readonly string[];
  readonly sub: readonly SelectionItem[] | null;
}
export type Selection = readonly SelectionItem[];

const TOKEN = /\s*([A-Za-z_][A-Za-z0-9_]*|[:.{}])/y;

/** Parses a selection; throws naming the position of the first thing it cannot read. */
export function parseSelection(text: string): Selection {
  const tokens: { t: string; at: number }[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) throw new Error(`selection: unexpected "${text.slice(at).trim()[0]}" at ${at}`);
    tokens.push({ t: m[1]!, at });
  }
  let i = 0;
  const ident = (what: string): string => {
    const tok = tokens[i];
    if (!tok || !/^[A-Za-z_]/.test(tok.t))
      throw new Error(`selection: expected ${what} at ${tok ? tok.at : text.length}`);
    i++;
    return tok.t;
  };
  const items = (nested: boolean): SelectionItem[] => {
    const out: SelectionItem[] = [];
    while (i < tokens.length && tokens[i]!.t !== '}') {
      const first = ident('a field name');
      let name = first;
      let path = [first];
      const aliased = tokens[i]?.t === ':';
      if (aliased) {
        i++;
        path = [ident('a path')];
      }
      while (tokens[i]?.t === '.') {
        i++;
        path.push(ident('a path segment'));
      }
      if (!aliased) name = path.at(-1)!;
      let sub: SelectionItem[] | null = null;
      if (tokens[i]?.t === '{') {
        i++;
        sub = items(true);
        if (tokens[i]?.t !== '}') throw new Error(`selection: missing "}" at ${text.length}`);
        i++;
      }
      if (out.some((o) => o.name === name)) throw new Error(`selection: "${name}" is selected twice`);
      out.push({ name, path, sub });
    }
    if (!nested && i < tokens.length) throw new Error(`selection: unexpected "}" at ${tokens[i]!.at}`);
    return out;
  };
  const result = items(false);
  if (!result.length) throw new Error('selection: selects nothing');
  return result;
}

const at = (value: unknown, path: readonly string[]): unknown => {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
    v = (v as Record<string, unknown>)[key];
  }
  return v === undefined ? null : v;
};

/** The selected shape of `value` (an object; a list maps element by element). */
export function applySelection(selection: Selection, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => applySelection(selection, v));
  const out: Record<string, unknown> = {};
  for (const item of selection) {
    const v = at(value, item.path);
    out[item.name] = item.sub ? applySelection(item.sub, v) : v;
  }
  return out;
}

/** Reads one path (`duLieu.danhSach`) of a value; null when missing. */
export const valueAt = (value: unknown, dotted: string): unknown =>
  dotted === '' || dotted === '$' ? value : at(value, dotted.split('.'));

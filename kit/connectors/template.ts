/**
 * URL templates of connectors: `/api/hoso/{$this.code}?trang={$page.number}`. A `{$…}` placeholder names
 * a variable (`$args` the field's arguments, `$this` the entity's key fields, `$batch` the keys of a
 * batch, joined by commas, `$page` the legacy page, `$env` the process environment); each value is
 * percent-encoded. A template names only variables the field can have: checked when the schema loads.
 */

const PLACEHOLDER = /\{\$(args|this|batch|page|env)\.([A-Za-z_][A-Za-z0-9_]*)\}/g;
const ANY = /\{\$[^}]*\}/g;

export type Scope = 'args' | 'this' | 'batch' | 'page' | 'env';
export type Vars = Partial<Record<Scope, Record<string, unknown>>>;

/** The variables a template uses, e.g. `[['this', 'code']]`; throws on a placeholder it cannot read. */
export function templateVariables(template: string): [Scope, string][] {
  for (const m of template.matchAll(ANY))
    if (!new RegExp(`^${PLACEHOLDER.source}$`).test(m[0]))
      throw new Error(`template "${template}": cannot read ${m[0]}`);
  return [...template.matchAll(PLACEHOLDER)].map((m) => [m[1] as Scope, m[2]!]);
}

/** The template with every placeholder replaced; `encode: false` for headers and base URLs. */
export function expand(template: string, vars: Vars, encode = true): string {
  return template.replace(PLACEHOLDER, (_, scope: Scope, name: string) => {
    const v = vars[scope]?.[name];
    if (v === undefined || v === null) {
      if (scope === 'env') throw new Error(`${name} is not set`);
      return '';
    }
    const text = Array.isArray(v) ? v.map(String).join(',') : String(v);
    return encode && scope !== 'batch'
      ? encodeURIComponent(text)
      : encode
        ? text.split(',').map(encodeURIComponent).join(',')
        : text;
  });
}

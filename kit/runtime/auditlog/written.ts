/**
 * The values a mutation wrote, for its audit entry: its arguments with every input field the SDL marks
 * `@personalData` masked by that mark's `mask` (NAME, DIGITS, ADDRESS, BIRTH_YEAR; HIDE, the default,
 * keeps only that a value was given), plus what the resolver noted with `auditWritten` — typically
 * records it changed that its arguments do not name (a land change's cancelled certificates).
 */
import { getNullableType, isInputObjectType, isListType } from 'graphql';
import type { GraphQLArgument, GraphQLInputType } from 'graphql';
import { MASKERS } from '../personal-data/protect';
import type { MaskName } from '../personal-data/protect';

/** What HIDE leaves of a personal value in the log. */
export const HIDDEN = '[personal data]';

type Marked = {
  astNode?: { directives?: readonly { name: { value: string }; arguments?: readonly unknown[] }[] } | null;
};

function maskOf(field: Marked): MaskName | null {
  const d = field.astNode?.directives?.find((x) => x.name.value === 'personalData');
  if (!d) return null;
  const arg = (
    d.arguments as { name: { value: string }; value: { kind: string; value?: string } }[] | undefined
  )?.find((a) => a.name.value === 'mask');
  const mask = arg?.value.kind === 'EnumValue' ? arg.value.value : 'HIDE';
  return mask && mask in MASKERS ? (mask as MaskName) : 'HIDE';
}

function maskValue(value: unknown, mask: MaskName): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((v) => maskValue(v, mask));
  return mask === 'HIDE' ? HIDDEN : MASKERS[mask](jsonLeaf(value));
}

/** A scalar's internal value as JSON can hold it: bigints (Vnd) and other non-JSON values as text. */
function jsonLeaf(value: unknown): unknown {
  if (typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return String(value);
  }
  return value;
}

function walk(value: unknown, type: GraphQLInputType): unknown {
  if (value === null || value === undefined) return value ?? null;
  const t = getNullableType(type);
  if (isListType(t))
    return Array.isArray(value) ? value.map((v) => walk(v, t.ofType)) : walk(value, t.ofType);
  if (!isInputObjectType(t) || typeof value !== 'object') return jsonLeaf(value);
  const out: Record<string, unknown> = {};
  const fields = t.getFields();
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    const field = fields[name];
    if (!field || v === undefined) continue;
    const mask = maskOf(field);
    out[name] = mask ? maskValue(v, mask) : walk(v, field.type);
  }
  return out;
}

/** The arguments as the audit log keeps them: personal data masked, nothing else changed. */
export function maskedArguments(
  args: Record<string, unknown>,
  defs: readonly GraphQLArgument[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const def of defs) {
    const v = args[def.name];
    if (v === undefined) continue;
    const mask = maskOf(def);
    out[def.name] = mask ? maskValue(v, mask) : walk(v, def.type);
  }
  return out;
}

const notes = new WeakMap<object, { recordIds: string[]; values: Record<string, unknown> }>();

/** Starts collecting a mutation's notes on its context (kit/runtime/auditlog/mutations.ts). */
export function startNotes(ctx: object): { recordIds: string[]; values: Record<string, unknown> } {
  const n = { recordIds: [] as string[], values: {} as Record<string, unknown> };
  notes.set(ctx, n);
  return n;
}

/**
 * For a mutation resolver: adds to its audit entry records it wrote besides those it returns
 * (`recordIds`, e.g. `LandCertificate CS 123456`) and values worth keeping (`values`, merged by key).
 * Personal data must not be passed here unmasked. Outside a mutation it does nothing.
 */
export function auditWritten(
  ctx: object,
  note: { recordIds?: readonly string[]; values?: Readonly<Record<string, unknown>> },
): void {
  const n = notes.get(ctx);
  if (!n) return;
  n.recordIds.push(...(note.recordIds ?? []));
  Object.assign(n.values, note.values ?? {});
}

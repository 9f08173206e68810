import { z } from 'zod';
import { bumpBetween, formatCore, type Bump, type SemVer } from './semver';

/**
 * The input/output contract of a model version, and the diff that decides how big a version bump
 * a change needs. Callers send inputs, consumers read outputs, so every rule is mirrored between
 * the two sides: what narrows what a caller may send breaks callers; what widens what a consumer
 * may receive breaks consumers.
 */

export const FIELD_TYPES = ['string', 'integer', 'float', 'boolean', 'datetime'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

const Range = z
  .object({ min: z.number().optional(), max: z.number().optional() })
  .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, { message: 'min must not exceed max', path: ['max'] });

export const ContractField = z.object({
  name: z.string().trim().min(1).max(200),
  type: z.enum(FIELD_TYPES),
  nullable: z.boolean().default(false),
  /** Inputs only: must the caller send it. Outputs ignore it (the diff does too). */
  required: z.boolean().default(true),
  allowedValues: z.array(z.union([z.string(), z.number()])).max(1000).optional(),
  /** Inclusive bounds. */
  range: Range.optional(),
});
export type ContractField = z.infer<typeof ContractField>;

function flagDuplicates(fields: ContractField[], side: 'inputs' | 'outputs', ctx: z.RefinementCtx) {
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    if (seen.has(f.name)) ctx.addIssue({ code: 'custom', message: `Duplicate field name "${f.name}"`, path: [side, i, 'name'] });
    seen.add(f.name);
  });
}

export const Contract = z
  .object({
    inputs: z.array(ContractField).max(2000).default([]),
    outputs: z.array(ContractField).max(2000).default([]),
  })
  // Fields are matched by name across versions, so a name must mean one field per side.
  .superRefine((c, ctx) => {
    flagDuplicates(c.inputs, 'inputs', ctx);
    flagDuplicates(c.outputs, 'outputs', ctx);
  });
export type Contract = z.infer<typeof Contract>;

export type ChangeLevel = 'breaking' | 'compatible' | 'none';
export type ChangeKind = 'added' | 'removed' | 'retyped' | 'now_required' | 'now_optional' | 'nullability' | 'allowed_values' | 'range';
export type ContractChange = {
  side: 'input' | 'output';
  field: string;
  kind: ChangeKind;
  level: 'breaking' | 'compatible';
  /** One readable sentence, e.g. 'input "amount" changed type from integer to string'. */
  detail: string;
};
export type ContractDiff = { level: ChangeLevel; changes: ContractChange[] };

type Side = ContractChange['side'];
type Level = ContractChange['level'];

/** Whether a change on one side lets more through ('widened') or less ('narrowed'). */
type Direction = 'widened' | 'narrowed';

/**
 * Narrowing breaks callers (inputs); widening breaks consumers (outputs): a consumer written
 * against the old set of values does not expect the new ones.
 */
function levelOf(side: Side, directions: Direction[]): Level {
  const hurts: Direction = side === 'input' ? 'narrowed' : 'widened';
  return directions.includes(hurts) ? 'breaking' : 'compatible';
}

const MAX_LISTED = 5;

function formatValue(v: string | number): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

function formatValues(values: (string | number)[]): string {
  const listed = values.slice(0, MAX_LISTED).map(formatValue).join(', ');
  return values.length > MAX_LISTED ? `${listed} and ${values.length - MAX_LISTED} more` : listed;
}

// "1" and 1 are different values for a consumer that parses them, so the key keeps the type.
const valueKey = (v: string | number) => `${typeof v}:${v}`;

function diffAllowedValues(side: Side, label: string, before?: (string | number)[], after?: (string | number)[]) {
  if (!before && !after) return null;
  if (!before || !after) {
    // A list appearing restricts the field; a list disappearing frees it.
    const direction: Direction = before ? 'widened' : 'narrowed';
    const detail = before ? `${label} no longer restricts its values` : `${label} is now restricted to ${formatValues(after!)}`;
    return { level: levelOf(side, [direction]), detail };
  }
  const beforeKeys = new Set(before.map(valueKey));
  const afterKeys = new Set(after.map(valueKey));
  const removed = dedupe(before.filter((v) => !afterKeys.has(valueKey(v))));
  const added = dedupe(after.filter((v) => !beforeKeys.has(valueKey(v))));
  if (removed.length === 0 && added.length === 0) return null;
  const directions: Direction[] = [];
  const parts: string[] = [];
  if (removed.length > 0) {
    directions.push('narrowed');
    parts.push(`no longer allows ${formatValues(removed)}`);
  }
  if (added.length > 0) {
    directions.push('widened');
    parts.push(`now also allows ${formatValues(added)}`);
  }
  return { level: levelOf(side, directions), detail: `${label} ${parts.join(' and ')}` };
}

function dedupe(values: (string | number)[]): (string | number)[] {
  const seen = new Set<string>();
  return values.filter((v) => (seen.has(valueKey(v)) ? false : (seen.add(valueKey(v)), true)));
}

type Bounds = { min?: number | undefined; max?: number | undefined } | undefined;

function formatRange(r: Bounds): string {
  const min = r?.min;
  const max = r?.max;
  return `${min === undefined ? '(−∞' : `[${min}`}, ${max === undefined ? '∞)' : `${max}]`}`;
}

function diffRange(side: Side, label: string, before: Bounds, after: Bounds) {
  const directions: Direction[] = [];
  const [bMin, aMin, bMax, aMax] = [before?.min, after?.min, before?.max, after?.max];
  // A bound appearing or moving inwards narrows; a bound vanishing or moving outwards widens.
  if (bMin !== aMin) directions.push(bMin === undefined || (aMin !== undefined && aMin > bMin) ? 'narrowed' : 'widened');
  if (bMax !== aMax) directions.push(bMax === undefined || (aMax !== undefined && aMax < bMax) ? 'narrowed' : 'widened');
  if (directions.length === 0) return null;
  const verb = directions.every((d) => d === 'narrowed') ? 'narrowed' : directions.every((d) => d === 'widened') ? 'widened' : 'changed';
  return { level: levelOf(side, directions), detail: `${label} range ${verb} from ${formatRange(before)} to ${formatRange(after)}` };
}

/** MLflow's safe upcast: every integer a caller sends is still a valid float. */
function isSafeInputWidening(from: FieldType, to: FieldType) {
  return from === 'integer' && to === 'float';
}

function diffField(side: Side, before: ContractField, after: ContractField): ContractChange[] {
  const label = `${side} "${after.name}"`;
  const changes: ContractChange[] = [];
  const push = (kind: ChangeKind, level: Level, detail: string) => changes.push({ side, field: after.name, kind, level, detail });

  if (before.type !== after.type) {
    // Consumers parse outputs, so any output type change breaks them, widening included.
    const level = side === 'input' && isSafeInputWidening(before.type, after.type) ? 'compatible' : 'breaking';
    push('retyped', level, `${label} changed type from ${before.type} to ${after.type}`);
  }
  if (side === 'input' && before.required !== after.required) {
    if (after.required) push('now_required', 'breaking', `${label} is now required`);
    else push('now_optional', 'compatible', `${label} is now optional`);
  }
  if (before.nullable !== after.nullable) {
    // Accepting null widens an input; emitting null widens an output.
    const level = levelOf(side, [after.nullable ? 'widened' : 'narrowed']);
    const detail = side === 'input' ? (after.nullable ? `${label} now accepts null` : `${label} no longer accepts null`) : after.nullable ? `${label} may now be null` : `${label} can no longer be null`;
    push('nullability', level, detail);
  }
  const values = diffAllowedValues(side, label, before.allowedValues, after.allowedValues);
  if (values) push('allowed_values', values.level, values.detail);
  const range = diffRange(side, label, before.range, after.range);
  if (range) push('range', range.level, range.detail);
  return changes;
}

// Code-unit order, not localeCompare, so the list reads the same on every server.
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function diffSide(side: Side, before: ContractField[], after: ContractField[]): ContractChange[] {
  const beforeByName = new Map(before.map((f) => [f.name, f]));
  const afterByName = new Map(after.map((f) => [f.name, f]));
  const names = [...new Set([...beforeByName.keys(), ...afterByName.keys()])].sort(byName);
  return names.flatMap((name): ContractChange[] => {
    const b = beforeByName.get(name);
    const a = afterByName.get(name);
    const label = `${side} "${name}"`;
    if (b && a) return diffField(side, b, a);
    if (b) return [{ side, field: name, kind: 'removed', level: 'breaking', detail: `${label} was removed` }];
    // Only a newly required input breaks anyone: old callers do not send it.
    if (side === 'input') {
      const required = a!.required;
      return [{ side, field: name, kind: 'added', level: required ? 'breaking' : 'compatible', detail: `${label} was added as ${required ? 'required' : 'optional'}` }];
    }
    return [{ side, field: name, kind: 'added', level: 'compatible', detail: `${label} was added` }];
  });
}

/** Every change from `before` to `after`, inputs then outputs, each by field name; `level` is the worst. */
export function diffContracts(before: Contract, after: Contract): ContractDiff {
  const changes = [...diffSide('input', before.inputs, after.inputs), ...diffSide('output', before.outputs, after.outputs)];
  const level: ChangeLevel = changes.some((c) => c.level === 'breaking') ? 'breaking' : changes.length > 0 ? 'compatible' : 'none';
  return { level, changes };
}

export function requiredBump(level: ChangeLevel): 'major' | 'minor' | 'patch' {
  return level === 'breaking' ? 'major' : level === 'compatible' ? 'minor' : 'patch';
}

const BUMP_RANK: Record<Bump, number> = { none: 0, patch: 1, minor: 2, major: 3 };

export type BumpVerdict =
  | { ok: true }
  | { ok: false; required: 'major' | 'minor'; actual: Bump; message: string; fields: string[] };

/**
 * Does the version bump cover the contract change? During initial development (previous major 0)
 * a minor bump may carry a breaking change (semver §4, as Cargo does); a compatible change still
 * needs a minor bump there, so a patch release never changes the contract.
 *
 * `next`'s core is expected to be above `previous`'s (for a pre-release promoted to its release the
 * caller diffs against the version before that core). Equal cores count as no bump, which only
 * covers no change at all; a lower `next` throws (bumpBetween).
 */
export function checkBumpCoversChange(previous: SemVer, next: SemVer, diff: ContractDiff): BumpVerdict {
  const actual = bumpBetween(previous, next);
  if (diff.level === 'none') return { ok: true };
  const initialDevelopment = previous.major === 0;
  const required = diff.level === 'breaking' && !initialDevelopment ? 'major' : 'minor';
  if (BUMP_RANK[actual] >= BUMP_RANK[required]) return { ok: true };

  const relevant = diff.changes.filter((c) => c.level === diff.level);
  const fields = [...new Set(relevant.map((c) => `${c.side}s.${c.field}`))];
  const suggestion = required === 'major' ? `${previous.major + 1}.0.0` : `${previous.major}.${previous.minor + 1}.0`;
  const what = diff.level === 'breaking' ? 'Breaking' : 'Compatible';
  const needs = diff.level === 'breaking' && initialDevelopment ? 'needs at least a MINOR bump while the major version is 0' : `needs a ${required.toUpperCase()} bump`;
  const got = actual === 'none' ? 'got the same version core' : `got a ${actual} bump`;
  const message = `${what} contract change ${needs} (${formatCore(previous)} → ${suggestion}), ${got}: ${relevant.map((c) => c.detail).join('; ')}`;
  return { ok: false, required, actual, message, fields };
}

// What changed between an audit event's before and after, for the explorer's expandable view.
// Pure and free of Node built-ins: the browser computes it when a row is opened.

export type AuditChange = {
  /** Keys and array indexes joined with dots ("a.b.0.c"); "" is the value itself. For display:
   * a key that itself contains a dot is not escaped. */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
};

/**
 * A flat list of what changed between two JSON values, depth first, object keys in sorted order
 * and array items by index, so the same pair always gives the same list.
 *  - Objects are compared key by key, arrays index by index (an insertion at the front therefore
 *    shows as every later item changed, plus one added at the end).
 *  - A side that is absent (a missing key, an undefined member, or a null/undefined root — a
 *    creation or a deletion) lists every leaf of the other side as added or removed; an empty
 *    object or array is listed as itself.
 *  - A null nested inside an object is a value like any other, so null → {…} is "changed".
 *  - A change of type (object ↔ array ↔ scalar) is one "changed" entry with both whole values.
 */
export function auditDiff(before: unknown, after: unknown): AuditChange[] {
  const changes: AuditChange[] = [];
  const beforeAbsent = before === null || before === undefined;
  const afterAbsent = after === null || after === undefined;
  if (beforeAbsent && afterAbsent) return changes;
  if (beforeAbsent) listLeaves(after, [], 'added', changes);
  else if (afterAbsent) listLeaves(before, [], 'removed', changes);
  else diffValues(before, after, [], changes);
  return changes;
}

type Segment = string | number;

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

const joinPath = (path: Segment[]): string => path.join('.');

function diffValues(before: unknown, after: unknown, path: Segment[], out: AuditChange[]): void {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...definedKeys(before), ...definedKeys(after)])].sort();
    for (const key of keys) {
      const inBefore = before[key] !== undefined;
      const inAfter = after[key] !== undefined;
      if (inBefore && inAfter) diffValues(before[key], after[key], [...path, key], out);
      else if (inAfter) listLeaves(after[key], [...path, key], 'added', out);
      else listLeaves(before[key], [...path, key], 'removed', out);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    for (let i = 0; i < length; i++) {
      if (i >= after.length) listLeaves(before[i], [...path, i], 'removed', out);
      else if (i >= before.length) listLeaves(after[i], [...path, i], 'added', out);
      else diffValues(before[i], after[i], [...path, i], out);
    }
    return;
  }
  if (!sameLeaf(before, after)) out.push({ path: joinPath(path), kind: 'changed', before, after });
}

function listLeaves(value: unknown, path: Segment[], kind: 'added' | 'removed', out: AuditChange[]): void {
  const entry = (v: unknown): AuditChange => (kind === 'added' ? { path: joinPath(path), kind, after: v } : { path: joinPath(path), kind, before: v });
  if (isPlainObject(value)) {
    const keys = definedKeys(value).sort();
    if (keys.length === 0) out.push(entry(value));
    for (const key of keys) listLeaves(value[key], [...path, key], kind, out);
    return;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) out.push(entry(value));
    value.forEach((item, i) => listLeaves(item, [...path, i], kind, out));
    return;
  }
  out.push(entry(value));
}

const definedKeys = (value: Record<string, unknown>): string[] => Object.keys(value).filter((key) => value[key] !== undefined);

function sameLeaf(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  // Containers of the same kind were recursed into, so anything left is a leaf or a type change.
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

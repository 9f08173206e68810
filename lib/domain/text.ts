/**
 * Postgres text cannot hold U+0000 (and jsonb refuses the \u0000 escape): a string carrying one
 * can never equal a stored value, and writing it fails the query with a driver error. Whatever
 * arrives from outside — a path segment, a query parameter, a field — is checked with these
 * before it reaches the database, so that it is a 404, an empty result or a 422 naming the field.
 */
export const hasNul = (text: string) => text.includes('\u0000');

/** For zod: `z.string().refine(noNul, NO_NUL)`. */
export const noNul = (text: string) => !hasNul(text);
export const NO_NUL = 'Must not contain a NUL character';

const UNSTORABLE = 'Must not contain a NUL character or an unpaired surrogate';
const unstorable = (text: string) => hasNul(text) || !text.isWellFormed();

/**
 * The fields of a raw input (parsed JSON) holding a string Postgres cannot store: U+0000 anywhere,
 * or an unpaired UTF-16 surrogate (which text columns silently turn into U+FFFD and jsonb refuses,
 * so it fails the audit event that copies the input). Keys count too. Field paths are spelled as
 * in a 422 (`features.0.name`, `_` for the input itself); null when there is none. Walks without
 * recursion: a JSON body may nest 100,000 deep.
 */
export function unstorableFields(input: unknown): Record<string, string[]> | null {
  // A path is spelled only for what is reported: a 1,000-sample metrics push has 8,000 values,
  // and building each one's path up front cost more than parsing the JSON.
  type Visit = { value: unknown; key: string; parent: Visit | null };
  const pathOf = (visit: Visit) => {
    const keys: string[] = [];
    for (let v: Visit | null = visit; v && v.parent; v = v.parent) keys.push(v.key);
    return keys.reverse().join('.');
  };
  let fields: Record<string, string[]> | null = null;
  const stack: Visit[] = [{ value: input, key: '', parent: null }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const value = visit.value;
    if (typeof value === 'string') {
      if (unstorable(value)) (fields ??= {})[pathOf(visit) || '_'] = [UNSTORABLE];
    } else if (value !== null && typeof value === 'object') {
      for (const key of Object.keys(value)) {
        const child: Visit = { value: (value as Record<string, unknown>)[key], key, parent: visit };
        if (unstorable(key)) (fields ??= {})[pathOf(child)] = [`The name: ${UNSTORABLE.toLowerCase()}`];
        if (typeof child.value === 'object' || typeof child.value === 'string') stack.push(child);
      }
    }
  }
  return fields;
}

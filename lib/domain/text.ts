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
  const fields: Record<string, string[]> = {};
  const stack: [unknown, string][] = [[input, '']];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      if (unstorable(value)) fields[path || '_'] = [UNSTORABLE];
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const childPath = path ? `${path}.${key}` : key;
        if (unstorable(key)) fields[childPath] = [`The name: ${UNSTORABLE.toLowerCase()}`];
        stack.push([child, childPath]);
      }
    }
  }
  return Object.keys(fields).length > 0 ? fields : null;
}

/**
 * Path parameters are merged into a JSON object body. Anything else is passed through untouched,
 * so that the use case refuses it — after checking who is asking (403 before 422).
 */
export function withParams(body: unknown, params: Record<string, string>): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  return { ...body, ...params };
}

/**
 * `http://user:pass@host` as an operator may configure MLflow or Prometheus: fetch() refuses a URL
 * with credentials (and its error repeats the URL, password included, into whatever stores the
 * message). Split them off: the URL without them, and the Basic `Authorization` header that
 * carries them, which is what both servers' basic-auth front ends expect.
 */
export function splitCredentials(raw: string): { url: string; authorization?: string } {
  const url = new URL(raw);
  if (!url.username && !url.password) return { url: raw };
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  return { url: url.toString().replace(/\/+$/, ''), authorization: `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}` };
}

import { getToken } from 'next-auth/jwt';
import { NextResponse, type NextRequest } from 'next/server';
import { getAuthSecret } from '@/lib/auth/auth-secret';
import { decodeSessionToken } from '@/lib/auth/session-token';
import { getConfig } from '@/lib/config';
import SECURITY_HEADERS from '@/lib/http/security-headers.json';

/**
 * Every page request: a Content-Security-Policy with a fresh nonce (and HSTS over TLS), then
 * signed-out visitors are sent to sign-in. The redirect is a convenience,
 * not the security boundary: every page, action and API route checks the actor again through
 * lib/services. The headers that need no nonce (nosniff, X-Frame-Options, Referrer-Policy,
 * Permissions-Policy) and those of API routes come from next.config.js.
 */
export async function proxy(req: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const tls = overTls(req);
  const csp = contentSecurityPolicy(nonce, tls);
  const response = (await mayPass(req)) ? pass(req, csp) : toSignIn(req);
  response.headers.set('Content-Security-Policy', csp);
  if (tls) for (const { key, value } of SECURITY_HEADERS.overTls) response.headers.set(key, value);
  return response;
}

/**
 * Scripts: only those carrying this response's nonce, and what they load ('strict-dynamic': the
 * lazily loaded chunks of next/dynamic). Next.js reads the nonce from the request's CSP header
 * and puts it on its own inline and external scripts, which is why every page renders per request
 * (they all read the session anyway). Styles: Tailwind's stylesheet is 'self' and Next's inline
 * <style> elements carry the nonce, but style *attributes* cannot carry one: server-rendered
 * widths (traffic split, progress bars) and Recharts' positioning need style-src-attr
 * 'unsafe-inline' — CSS in an attribute cannot run script. Development adds what React's dev
 * tooling needs (eval, and styles injected without a nonce).
 */
function contentSecurityPolicy(nonce: string, tls: boolean): string {
  const dev = process.env.NODE_ENV === 'development';
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    // Only over TLS: on plain http (a local run, an internal address) it would send the browser to
    // an https:// address nothing answers.
    ...(tls ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/** Served over TLS: the public URL is https, or a TLS-terminating proxy says so. */
function overTls(req: NextRequest): boolean {
  return getConfig().authUrl.startsWith('https:') || req.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
}

/**
 * Sign-in itself, signed-in visitors, and server actions: an action answers for itself (runAction
 * refuses it without a session), and redirecting its POST would hand the form a sign-in page
 * instead of a result ("An unexpected response was received from the server").
 */
async function mayPass(req: NextRequest): Promise<boolean> {
  if (req.nextUrl.pathname === '/signin') return true;
  if (req.method === 'POST' && req.headers.has('next-action')) return true;
  const token = await getToken({ req, secret: getAuthSecret(getConfig()), decode: decodeSessionToken });
  return !!token?.uid;
}

/** On to the page, with the CSP on the request too: that is where Next.js finds the nonce. */
function pass(req: NextRequest, csp: string): NextResponse {
  const headers = new Headers(req.headers);
  headers.set('Content-Security-Policy', csp);
  return NextResponse.next({ request: { headers } });
}

function toSignIn(req: NextRequest): NextResponse {
  const url = req.nextUrl.clone();
  url.pathname = '/signin';
  url.search = `?callbackUrl=${encodeURIComponent(req.nextUrl.pathname + req.nextUrl.search)}`;
  return NextResponse.redirect(url);
}

export const config = {
  // Pages only: API routes authenticate each request themselves and get their headers from
  // next.config.js; Next's own files (build output, dev server) need no nonce.
  matcher: ['/((?!api/|_next/|favicon.ico|robots.txt).*)'],
};

import { getToken } from 'next-auth/jwt';
import { NextResponse, type NextRequest } from 'next/server';
import { getAuthSecret } from '@/lib/auth/auth-secret';
import { getConfig } from '@/lib/config';

/**
 * Sends signed-out visitors of any page to sign-in. This is a convenience, not the security
 * boundary: every page, action and API route checks the actor again through lib/services.
 */
export async function proxy(req: NextRequest) {
  const token = await getToken({ req, secret: getAuthSecret(getConfig()) });
  if (token?.uid) return NextResponse.next();
  const url = req.nextUrl.clone();
  url.pathname = '/signin';
  url.search = `?callbackUrl=${encodeURIComponent(req.nextUrl.pathname + req.nextUrl.search)}`;
  return NextResponse.redirect(url);
}

export const config = {
  matcher: ['/((?!api/|_next/|signin|favicon.ico|robots.txt).*)'],
};

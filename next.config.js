const { PHASE_PRODUCTION_BUILD } = require('next/constants');

/**
 * The headers of lib/http/security-headers.json (one list, also applied by lib/http/direct-routes.ts
 * to the /api/v1 endpoints server.mjs answers without Next's router). The page Content-Security-Policy
 * needs a fresh nonce per request, so proxy.ts sets it; see README "Security headers".
 * - nosniff; X-Frame-Options DENY for old browsers (frame-ancestors 'none' is the modern form).
 * - Referrer-Policy same-origin: same-origin requests keep their Referer and Origin (server actions
 *   compare Origin with Host); nothing leaks to other sites, not even our host name.
 * - Permissions-Policy: the dashboard needs none of these powerful features; nothing it embeds may ask for them either.
 * - API responses (JSON, downloads): a CSP under which nothing in them may run, load or be framed.
 * - HSTS: only honoured over TLS, so sent when the request arrived through a TLS-terminating proxy.
 */
const SECURITY_HEADERS = require('./lib/http/security-headers.json');
const OVER_TLS = [{ type: 'header', key: 'x-forwarded-proto', value: 'https' }];

/** @type {(phase: string) => import('next').NextConfig} */
module.exports = (phase) => ({
  // PGlite ships a wasm Postgres and postgres-js opens sockets: both must stay real Node modules,
  // not bundled (bundling copies ~15 MB of wasm into the public static folder).
  serverExternalPackages: ['@electric-sql/pglite', 'postgres'],
  // A self-contained server in .next/standalone for the Docker image (with server.mjs copied in). Only
  // at build time: server.mjs run from the repository (npm start, npm run demo, Playwright) reads
  // this file again, and Next would warn that standalone "does not work" there, although it serves
  // the same build from .next.
  output: phase === PHASE_PRODUCTION_BUILD ? 'standalone' : undefined,
  // Files the standalone server reads from disk: the SQL migrations, which no import reveals
  // (db/client.ts reads <cwd>/db/migrations, and server.mjs runs from its own folder), and PGlite's
  // wasm and data files, loaded by URL at run time — listed so that a tracer miss cannot break the
  // image. scripts/check-standalone.mjs checks both.
  outputFileTracingIncludes: {
    '/**': ['./db/migrations/**/*', './node_modules/@electric-sql/pglite/dist/**/*'],
  },
  poweredByHeader: false,
  // `npm test` type-checks the whole tree (tests included) once with tsc; the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  typedRoutes: false,
  async headers() {
    return [
      { source: '/:path*', headers: SECURITY_HEADERS.everyResponse },
      { source: '/api/:path*', headers: SECURITY_HEADERS.api },
      // Pages get HSTS from proxy.ts (which also knows NEXTAUTH_URL at run time).
      { source: '/api/:path*', has: OVER_TLS, headers: SECURITY_HEADERS.overTls },
    ];
  },
});

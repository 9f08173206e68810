const { PHASE_PRODUCTION_BUILD } = require('next/constants');

/**
 * Headers every response carries (pages, API routes, static files). The page Content-Security-Policy
 * needs a fresh nonce per request, so proxy.ts sets it; see docs/deployment.md "Security headers".
 */
const SECURITY_HEADERS = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  // frame-ancestors 'none' (in the CSP) is the modern form; X-Frame-Options is for old browsers.
  { key: 'X-Frame-Options', value: 'DENY' },
  // Same-origin requests keep their Referer and Origin (server actions compare Origin with Host);
  // nothing leaks to other sites, not even our host name.
  { key: 'Referrer-Policy', value: 'same-origin' },
  // The dashboard needs none of these powerful features; nothing it embeds may ask for them either.
  {
    key: 'Permissions-Policy',
    value: [
      'accelerometer=()', 'autoplay=()', 'camera=()', 'display-capture=()', 'encrypted-media=()',
      'geolocation=()', 'gyroscope=()', 'hid=()', 'magnetometer=()', 'microphone=()', 'midi=()',
      'payment=()', 'publickey-credentials-get=()', 'serial=()', 'usb=()', 'xr-spatial-tracking=()',
    ].join(', '),
  },
];

/** JSON and downloads: nothing in them may run, load or be framed. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** HSTS: only honoured over TLS, so sent when the request arrived through a TLS-terminating proxy. */
const HSTS = { key: 'Strict-Transport-Security', value: 'max-age=31536000; includeSubDomains' };
const OVER_TLS = [{ type: 'header', key: 'x-forwarded-proto', value: 'https' }];

/** @type {(phase: string) => import('next').NextConfig} */
module.exports = (phase) => ({
  // PGlite ships a wasm Postgres and postgres-js opens sockets: both must stay real Node modules,
  // not bundled (bundling copies ~15 MB of wasm into the public static folder).
  serverExternalPackages: ['@electric-sql/pglite', 'postgres'],
  // A self-contained server in .next/standalone for the Docker image (node server.js). Only at build
  // time: `next start` (npm start, npm run demo, Playwright) reads this file again and would warn
  // that it "does not work" with standalone, although it serves the same build from .next.
  output: phase === PHASE_PRODUCTION_BUILD ? 'standalone' : undefined,
  // Files the standalone server reads from disk: the SQL migrations, which no import reveals
  // (db/client.ts reads <cwd>/db/migrations, and server.js runs from its own folder), and PGlite's
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
      { source: '/:path*', headers: SECURITY_HEADERS },
      { source: '/api/:path*', headers: [{ key: 'Content-Security-Policy', value: API_CSP }] },
      // Pages get HSTS from proxy.ts (which also knows NEXTAUTH_URL at run time).
      { source: '/api/:path*', has: OVER_TLS, headers: [HSTS] },
    ];
  },
});

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships a wasm Postgres and postgres-js opens sockets: both must stay real Node modules,
  // not bundled (bundling copies ~15 MB of wasm into the public static folder).
  serverExternalPackages: ['@electric-sql/pglite', 'postgres'],
  poweredByHeader: false,
  // `npm test` type-checks the whole tree (tests included) once with tsc; the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  typedRoutes: false,
};

module.exports = nextConfig;

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships a wasm Postgres and postgres-js opens sockets: both must stay real Node modules,
  // not bundled (bundling copies ~15 MB of wasm into the public static folder).
  serverExternalPackages: ['@electric-sql/pglite', 'postgres'],
  poweredByHeader: false,
  typedRoutes: false,
};

module.exports = nextConfig;

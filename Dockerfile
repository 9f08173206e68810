# syntax=docker/dockerfile:1
# Flightdeck as one self-contained Node server (Next.js standalone output, see next.config.js).
#   docker build -t flightdeck . && docker run -p 3000:3000 -e DATABASE_URL=… -e NEXTAUTH_SECRET=… flightdeck
# or, with Postgres alongside: docker compose up --build (compose.yaml).
ARG NODE_IMAGE=node:20-bookworm-slim

# 1. Dependencies, from the lockfile only (cached until package*.json change). No install scripts:
#    the only packages that have one are esbuild copies used by dev tools (tsx, drizzle-kit).
FROM ${NODE_IMAGE} AS deps
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund

# 2. The production build. `output: 'standalone'` traces what the server needs at run time into
#    .next/standalone: its node_modules (PGlite and postgres-js included, as external packages),
#    and db/migrations (outputFileTracingIncludes), which db/client.ts reads from <cwd>/db/migrations.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1
COPY --from=deps /src/node_modules ./node_modules
COPY . .
RUN mkdir -p public && npx next build

# 3. The runtime: the standalone server, the browser assets and nothing else (~100 MB on top of Node).
FROM ${NODE_IMAGE} AS run
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    FLIGHTDECK_DATA_DIR=/data \
    NODE_OPTIONS="--max-old-space-size=1024 --max-semi-space-size=32"
# NODE_OPTIONS: the heap flags `npm start` uses too (README, Performance): V8 then keeps the heap
# near what is live (RSS about 250 MB under load instead of 450) for a few % more CPU.
# The code stays root-owned (read-only to the server); the server writes only Next's cache and,
# without DATABASE_URL, the embedded database in /data (mount a volume there to keep it).
COPY --from=build /src/.next/standalone ./
# Our server (server.mjs) instead of Next's generated server.js: it answers the machines' hot
# /api/v1 endpoints without Next's router and hands everything else to Next.
COPY --from=build /src/server.mjs ./
COPY --from=build /src/.next/static ./.next/static
COPY --from=build /src/public ./public
RUN mkdir -p .next/cache /data && chown node:node .next/cache /data \
 && test -f db/migrations/meta/_journal.json \
 && test -f node_modules/@electric-sql/pglite/dist/pglite.wasm
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server.mjs"]

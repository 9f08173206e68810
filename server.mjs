#!/usr/bin/env node
// Flightdeck's production server (npm start, npm run demo, the Docker image): Next.js answers every
// request, except the few /api/v1 endpoints machines call at high rate (app/api/v1/direct-routes.ts),
// which go straight to their own route handlers: Next's router costs ~1.2 ms of CPU per request,
// more than the routing endpoint's work, and capped it near 800 requests/s (README "Performance").
//   PORT (3000) and KEEP_ALIVE_TIMEOUT (ms), as Next's own servers read them. It listens on every
//   interface, as `next start` does (HOSTNAME is not read: Docker sets it to the container's name).
// It runs from the repository (after `next build`) or from .next/standalone with this file copied in
// (Dockerfile), where Next's config comes from the build instead of next.config.js.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// Before Next.js loads (hence the dynamic import below): what it reads at load time must see these.
process.env.NODE_ENV = 'production';
process.chdir(dirname(fileURLToPath(import.meta.url))); // db/client.ts reads ./db/migrations
const standalone = !existsSync('next.config.js');
if (standalone) process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(JSON.parse(readFileSync('.next/required-server-files.json', 'utf8')).config);

const port = Number.parseInt(process.env.PORT ?? '', 10) || 3000;
const keepAliveTimeout = Number.parseInt(process.env.KEEP_ALIVE_TIMEOUT ?? '', 10);

const { default: next } = await import('next');
const app = next({ dev: false, dir: '.', hostname: 'localhost', port });
const handle = app.getRequestHandler();
/** @typedef {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => boolean} ServeDirect */
/** @type {ServeDirect | undefined} */
let serveDirect;
const server = createServer((req, res) => {
  if (serveDirect?.(req, res)) return;
  handle(req, res);
});
if (keepAliveTimeout >= 0) server.keepAliveTimeout = keepAliveTimeout;
server.on('error', (error) => {
  console.error(`flightdeck: cannot listen on port ${port}: ${error.message}`);
  process.exit(1);
});

// instrumentation.ts calls this once the configuration is valid and the database migrated
// (lib/http/direct-routes.ts): only then does the server listen, so a load balancer's health check
// never reaches a half-started instance, and a bad configuration ends the process before it listens.
globalThis[Symbol.for('flightdeck.serverReady')] = (/** @type {ServeDirect} */ direct) => {
  serveDirect = direct;
  server.listen(port, () => console.log(`flightdeck: listening on port ${port}`));
};
try {
  await app.prepare();
} catch (error) {
  console.error(error);
  process.exit(1);
}

// As Next's own server: stop taking requests, let Next close, exit with the signal's code.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
  process.once(signal, () => {
    server.close();
    server.closeIdleConnections();
    app.close().catch(console.error).finally(() => process.exit(code));
  });
}

// `npm run controller`: the release controller as its own process (same environment variables as
// the server). Several may run: one leads (Postgres advisory lock), the others wait to take over.
import { getDb, getDbHandle } from '@/db';
import { getConfig } from '@/lib/config';
import { startController } from '@/lib/server/controller/run';

async function main() {
  await getDbHandle(); // opens and migrates, or fails with one line
  await startController(getDb, getConfig());
  console.log('flightdeck controller: running (Ctrl-C to stop)');
  setInterval(() => {}, 1 << 30);
}

main().catch((error) => {
  console.error(`flightdeck controller: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

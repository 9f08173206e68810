// Operator commands against the configured database (same environment variables as the server).
//   npm run admin -- migrate
//   npm run admin -- create-admin --email you@example.com --name "Your Name"   (password from
//       FLIGHTDECK_ADMIN_PASSWORD, or asked for)
//   npm run admin -- seed-demo
// With the embedded database, stop the server first: PGlite allows one process per data folder.
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { getDbHandle } from '@/db';
import { systemActor } from '@/lib/auth/system-actor';
import { seedDemo } from '@/db/seed/demo';
import { createUser } from '@/lib/services';
import { AppError } from '@/lib/services/errors';
import { prepareServer } from '@/lib/server/startup';

// One-off commands start no background workers (webhook delivery, controller).
process.env.FLIGHTDECK_DISABLE_WORKERS = '1';

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({ args: rest, options: { email: { type: 'string' }, name: { type: 'string' } } });
  await prepareServer();
  const { db, close } = await getDbHandle();
  try {
    if (command === 'migrate') return;
    if (command === 'seed-demo') return console.log(await seedDemo(db));
    if (command === 'create-admin') {
      if (!values.email) throw new Error('create-admin needs --email');
      const password = process.env.FLIGHTDECK_ADMIN_PASSWORD ?? (await ask('Password (12+ characters): '));
      const user = await createUser({ actor: systemActor('bootstrap'), db, request: { via: 'system' } }, {
        email: values.email,
        name: values.name ?? values.email,
        password,
        roles: ['admin'],
      });
      return console.log(`flightdeck: created admin ${user.email}`);
    }
    throw new Error(`unknown command "${command ?? ''}"; expected migrate, create-admin or seed-demo`);
  } finally {
    await close();
  }
}

async function ask(question: string) {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

main().catch((error) => {
  const details = error instanceof AppError && error.details?.fields ? ` ${JSON.stringify(error.details.fields)}` : '';
  console.error(`flightdeck: ${error instanceof Error ? error.message : String(error)}${details}`);
  process.exit(1);
});

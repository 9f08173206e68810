import { defineConfig } from 'drizzle-kit';

// `drizzle-kit generate` needs no database: it diffs db/schema against the committed snapshots.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
});

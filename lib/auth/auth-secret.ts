import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '@/lib/config';

const g = globalThis as { __flightdeckAuthSecret?: string };

/**
 * The key that signs session cookies. NEXTAUTH_SECRET when set (required in production outside
 * demo mode, see lib/config). Otherwise a random key kept in the data folder, so that a demo or
 * development server keeps its sessions across restarts without anyone choosing a password.
 */
export function getAuthSecret(config: Config): string {
  if (config.authSecret) return config.authSecret;
  if (g.__flightdeckAuthSecret) return g.__flightdeckAuthSecret;
  if (config.dataDir.startsWith('memory://')) return (g.__flightdeckAuthSecret = randomBytes(32).toString('base64url'));
  const file = path.join(config.dataDir, 'auth-secret');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process created it between our check and our write: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return (g.__flightdeckAuthSecret = readFileSync(file, 'utf8').trim());
}

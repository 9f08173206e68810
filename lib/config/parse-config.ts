import { z } from 'zod';
import { parseRateLimit, type Limit } from '@/lib/domain/rate-limit';

/**
 * The configuration contract (README "Configuration"). Parsed once at start-up; every problem is
 * reported by variable name so that a bad deployment fails with one readable line.
 * Pure: takes the environment as a value, so it is unit-tested as a table.
 */
export type Config = {
  databaseUrl: string | undefined;
  dataDir: string; // folder, or memory:// for a throw-away database
  demo: boolean;
  bootstrapAdmin: { email: string; password: string } | undefined;
  bootstrapApiKey: string | undefined;
  authSecret: string | undefined;
  authUrl: string;
  port: number;
  oidc: { issuer: string; clientId: string; clientSecret: string; name: string } | undefined;
  production: boolean;
  /** Requests per second (and burst) per API key; null = no limit. */
  apiRateLimit: Limit | null;
  /** In-memory read caches invalidated by Postgres NOTIFY (db/table-cache.ts); off behind a transaction-mode pooler. */
  readCache: boolean;
};

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

const flag = (name: string, value: string | undefined): boolean => {
  if (value === undefined || value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new ConfigError(name, `expected 1 or 0, got "${value}"`);
};

const optional = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());

export function parseConfig(env: Record<string, string | undefined>): Config {
  const databaseUrl = optional(env.DATABASE_URL);
  if (databaseUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(databaseUrl);
    } catch {
      throw new ConfigError('DATABASE_URL', 'is not a URL; expected postgres://user:password@host:5432/database');
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
      throw new ConfigError('DATABASE_URL', `unsupported scheme "${url.protocol}"; expected postgres://`);
    if (!url.hostname) throw new ConfigError('DATABASE_URL', 'has no host');
  }

  const port = optional(env.PORT) === undefined ? 3000 : /^\d{1,5}$/.test(env.PORT!.trim()) ? Number(env.PORT) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new ConfigError('PORT', `expected a port number between 1 and 65535, got "${env.PORT}"`);

  const adminEmail = optional(env.FLIGHTDECK_BOOTSTRAP_ADMIN_EMAIL);
  // Not trimmed: spaces at either end are part of a password.
  const adminPassword = env.FLIGHTDECK_BOOTSTRAP_ADMIN_PASSWORD?.trim() ? env.FLIGHTDECK_BOOTSTRAP_ADMIN_PASSWORD : undefined;
  if ((adminEmail === undefined) !== (adminPassword === undefined))
    throw new ConfigError(
      adminEmail ? 'FLIGHTDECK_BOOTSTRAP_ADMIN_PASSWORD' : 'FLIGHTDECK_BOOTSTRAP_ADMIN_EMAIL',
      'set both FLIGHTDECK_BOOTSTRAP_ADMIN_EMAIL and FLIGHTDECK_BOOTSTRAP_ADMIN_PASSWORD, or neither',
    );
  if (adminEmail !== undefined && !z.email().safeParse(adminEmail).success)
    throw new ConfigError('FLIGHTDECK_BOOTSTRAP_ADMIN_EMAIL', `"${adminEmail}" is not an e-mail address`);
  if (adminPassword !== undefined && adminPassword.length < 12)
    throw new ConfigError('FLIGHTDECK_BOOTSTRAP_ADMIN_PASSWORD', 'must be at least 12 characters');

  const bootstrapApiKey = optional(env.FLIGHTDECK_BOOTSTRAP_API_KEY);
  if (bootstrapApiKey !== undefined && (bootstrapApiKey.length < 24 || /\s/.test(bootstrapApiKey)))
    throw new ConfigError('FLIGHTDECK_BOOTSTRAP_API_KEY', 'must be at least 24 characters without spaces');

  const demo = flag('FLIGHTDECK_DEMO', env.FLIGHTDECK_DEMO);
  const production = env.NODE_ENV === 'production';
  const authSecret = optional(env.NEXTAUTH_SECRET);
  if (authSecret !== undefined && authSecret.length < 16)
    throw new ConfigError('NEXTAUTH_SECRET', 'must be at least 16 characters (openssl rand -base64 32)');
  // Outside demo mode a production server must not invent its own session key: sessions would
  // not survive a restart or be shared between instances.
  if (authSecret === undefined && production && !demo)
    throw new ConfigError('NEXTAUTH_SECRET', 'is required in production (openssl rand -base64 32)');

  const authUrl = optional(env.NEXTAUTH_URL) ?? `http://localhost:${port}`;
  try {
    new URL(authUrl);
  } catch {
    throw new ConfigError('NEXTAUTH_URL', `"${authUrl}" is not a URL`);
  }

  const issuer = optional(env.FLIGHTDECK_OIDC_ISSUER);
  const clientId = optional(env.FLIGHTDECK_OIDC_CLIENT_ID);
  const clientSecret = optional(env.FLIGHTDECK_OIDC_CLIENT_SECRET);
  const anyOidc = issuer ?? clientId ?? clientSecret;
  if (anyOidc !== undefined && (issuer === undefined || clientId === undefined || clientSecret === undefined))
    throw new ConfigError(
      issuer === undefined ? 'FLIGHTDECK_OIDC_ISSUER' : clientId === undefined ? 'FLIGHTDECK_OIDC_CLIENT_ID' : 'FLIGHTDECK_OIDC_CLIENT_SECRET',
      'single sign-on needs FLIGHTDECK_OIDC_ISSUER, FLIGHTDECK_OIDC_CLIENT_ID and FLIGHTDECK_OIDC_CLIENT_SECRET together',
    );
  if (issuer !== undefined) {
    try {
      new URL(issuer);
    } catch {
      throw new ConfigError('FLIGHTDECK_OIDC_ISSUER', `"${issuer}" is not a URL`);
    }
  }

  const apiRateLimit = parseRateLimit(env.FLIGHTDECK_API_RATE_LIMIT);
  if (apiRateLimit === 'invalid')
    throw new ConfigError('FLIGHTDECK_API_RATE_LIMIT', `expected requests per second per API key, optionally with a burst ("100" or "100/200"; "0" = no limit), got "${env.FLIGHTDECK_API_RATE_LIMIT}"`);

  const readCache = optional(env.FLIGHTDECK_READ_CACHE) ?? 'on';
  if (readCache !== 'on' && readCache !== 'off')
    throw new ConfigError('FLIGHTDECK_READ_CACHE', `expected "on" or "off" ("off" behind a pooler in transaction mode, which does not carry LISTEN), got "${env.FLIGHTDECK_READ_CACHE}"`);

  return {
    databaseUrl,
    dataDir: optional(env.FLIGHTDECK_DATA_DIR) ?? './.data',
    demo,
    bootstrapAdmin: adminEmail && adminPassword ? { email: adminEmail.toLowerCase(), password: adminPassword } : undefined,
    bootstrapApiKey,
    authSecret,
    authUrl,
    port,
    oidc:
      issuer && clientId && clientSecret
        ? { issuer, clientId, clientSecret, name: optional(env.FLIGHTDECK_OIDC_NAME) ?? 'Company SSO' }
        : undefined,
    production,
    apiRateLimit,
    readCache: readCache === 'on',
  };
}

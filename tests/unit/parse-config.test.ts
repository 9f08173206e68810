import { describe, expect, it, vi } from 'vitest';
import { ConfigError, parseConfig, type Config } from '@/lib/config/parse-config';

type Env = Record<string, string | undefined>;

const DEFAULTS: Config = {
  databaseUrl: undefined,
  dataDir: './.data',
  demo: false,
  bootstrapAdmin: undefined,
  bootstrapApiKey: undefined,
  authSecret: undefined,
  authUrl: 'http://localhost:3000',
  port: 3000,
  oidc: undefined,
  production: false,
  apiRateLimit: { ratePerSecond: 100, burst: 200 },
  readCache: true,
};

const SECRET = 'a-session-secret-of-32-characters';
const API_KEY = 'bootstrap-key-0123456789abcdef';
const OIDC = {
  FLIGHTDECK_OIDC_ISSUER: 'https://sso.example.com/realms/main',
  FLIGHTDECK_OIDC_CLIENT_ID: 'flightdeck',
  FLIGHTDECK_OIDC_CLIENT_SECRET: 'oidc-client-secret',
};

/** Parses and returns the ConfigError, failing the test if there was none. */
const configError = (env: Env): ConfigError => {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
};

describe('parseConfig: defaults', () => {
  it('runs with an empty environment', () => {
    expect(parseConfig({})).toEqual(DEFAULTS);
  });

  it('treats empty and blank values as unset', () => {
    const blanks: Env = {};
    for (const name of [
      'DATABASE_URL',
      'PORT',
      'FLIGHTDECK_DATA_DIR',
      'FLIGHTDECK_DEMO',
      'FLIGHTDECK_BOOTSTRAP_ADMIN_EMAIL',
      'FLIGHTDECK_BOOTSTRAP_ADMIN_PASSWORD',
      'FLIGHTDECK_BOOTSTRAP_API_KEY',
      'NEXTAUTH_SECRET',
      'NEXTAUTH_URL',
      'FLIGHTDECK_OIDC_ISSUER',
      'FLIGHTDECK_OIDC_CLIENT_ID',
      'FLIGHTDECK_OIDC_CLIENT_SECRET',
      'FLIGHTDECK_OIDC_NAME',
    ])
      blanks[name] = name === 'FLIGHTDECK_DEMO' ? '' : '   ';
    expect(parseConfig(blanks)).toEqual(DEFAULTS);
  });

  it('reads a complete production configuration', () => {
    const env: Env = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://deck:pw@db.internal:5432/flightdeck',
      FLIGHTDECK_DATA_DIR: '/var/lib/flightdeck',
      FLIGHTDECK_DEMO: '0',
      FLIGHTDECK_BOOTSTRAP_ADMIN_EMAIL: ' Admin@Example.COM ',
      FLIGHTDECK_BOOTSTRAP_ADMIN_PASSWORD: 'correct-horse-battery',
      FLIGHTDECK_BOOTSTRAP_API_KEY: API_KEY,
      NEXTAUTH_SECRET: SECRET,
      NEXTAUTH_URL: 'https://deck.example.com',
      PORT: '8080',
      ...OIDC,
      FLIGHTDECK_OIDC_NAME: 'Okta',
    };
    expect(parseConfig(env)).toEqual({
      databaseUrl: 'postgres://deck:pw@db.internal:5432/flightdeck',
      dataDir: '/var/lib/flightdeck',
      demo: false,
      bootstrapAdmin: { email: 'admin@example.com', password: 'correct-horse-battery' },
      bootstrapApiKey: API_KEY,
      authSecret: SECRET,
      authUrl: 'https://deck.example.com',
      port: 8080,
      oidc: { issuer: OIDC.FLIGHTDECK_OIDC_ISSUER, clientId: 'flightdeck', clientSecret: 'oidc-client-secret', name: 'Okta' },
      production: true,
      apiRateLimit: { ratePerSecond: 100, burst: 200 },
      readCache: true,
    } satisfies Config);
  });

  it('keeps a memory:// data dir for a throw-away database', () => {
    expect(parseConfig({ FLIGHTDECK_DATA_DIR: 'memory://' }).dataDir).toBe('memory://');
  });

  it('is pure: it reads only the environment it is given', () => {
    vi.stubEnv('NODE_ENV', 'production');
    vi.stubEnv('PORT', '1234');
    try {
      expect(parseConfig({})).toEqual(DEFAULTS);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('parseConfig: every error is a ConfigError naming its variable', () => {
  it.each<[string, Env, string]>([
    ['DATABASE_URL that is not a URL', { DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    ['DATABASE_URL as a bare host:port', { DATABASE_URL: 'localhost:5432/flightdeck' }, 'DATABASE_URL'],
    ['DATABASE_URL with a mysql scheme', { DATABASE_URL: 'mysql://u:p@db/flightdeck' }, 'DATABASE_URL'],
    ['DATABASE_URL with an http scheme', { DATABASE_URL: 'http://db:5432/flightdeck' }, 'DATABASE_URL'],
    ['DATABASE_URL with no host', { DATABASE_URL: 'postgres://' }, 'DATABASE_URL'],
    ['DATABASE_URL with an opaque path', { DATABASE_URL: 'postgres:flightdeck' }, 'DATABASE_URL'],
    ['PORT 0', { PORT: '0' }, 'PORT'],
    ['PORT 65536', { PORT: '65536' }, 'PORT'],
    ['PORT -1', { PORT: '-1' }, 'PORT'],
    ['PORT 80.5', { PORT: '80.5' }, 'PORT'],
    ['PORT abc', { PORT: 'abc' }, 'PORT'],
    ['PORT 80abc', { PORT: '80abc' }, 'PORT'],
    ['a bootstrap e-mail without a password', { FLIGHTDECK_BOOTSTRAP_ADMIN_EMAIL: 'a@example.com' }, 'FLIGHTDECK_BOOTSTRAP_ADMIN_PASSWORD'],
    ['a bootstrap password without an e-mail', { FLIGHTDECK_BOOTSTRAP_ADMIN_PASSWORD: 'long-enough-password' }, 'FLIGHTDECK_BOOTSTRAP_ADMIN_EMAIL'],
    [
      'a bootstrap e-mail that is not one',
      { FLIGHTDECK_BOOTSTRAP_ADMIN_EMAIL: 'admin', FLIGHTDECK_BOOTSTRAP_ADMIN_PASSWORD: 'long-enough-password' },
      'FLIGHTDECK_BOOTSTRAP_ADMIN_EMAIL',
    ],
    [
      'an 11-character bootstrap password',
      { FLIGHTDECK_BOOTSTRAP_ADMIN_EMAIL: 'a@example.com', FLIGHTDECK_BOOTSTRAP_ADMIN_PASSWORD: '12345678901' },
      'FLIGHTDECK_BOOTSTRAP_ADMIN_PASSWORD',
    ],
    ['a 23-character bootstrap API key', { FLIGHTDECK_BOOTSTRAP_API_KEY: 'x'.repeat(23) }, 'FLIGHTDECK_BOOTSTRAP_API_KEY'],
    ['a bootstrap API key with a space', { FLIGHTDECK_BOOTSTRAP_API_KEY: 'bootstrap-key 0123456789abcdef' }, 'FLIGHTDECK_BOOTSTRAP_API_KEY'],
    ['FLIGHTDECK_DEMO=yes', { FLIGHTDECK_DEMO: 'yes' }, 'FLIGHTDECK_DEMO'],
    ['FLIGHTDECK_DEMO=TRUE', { FLIGHTDECK_DEMO: 'TRUE' }, 'FLIGHTDECK_DEMO'],
    ['FLIGHTDECK_DEMO=2', { FLIGHTDECK_DEMO: '2' }, 'FLIGHTDECK_DEMO'],
    ['FLIGHTDECK_DEMO=on', { FLIGHTDECK_DEMO: 'on' }, 'FLIGHTDECK_DEMO'],
    ['a 15-character NEXTAUTH_SECRET', { NEXTAUTH_SECRET: 'x'.repeat(15) }, 'NEXTAUTH_SECRET'],
    ['a short NEXTAUTH_SECRET even in demo', { NEXTAUTH_SECRET: 'short', FLIGHTDECK_DEMO: '1' }, 'NEXTAUTH_SECRET'],
    ['no NEXTAUTH_SECRET in production', { NODE_ENV: 'production' }, 'NEXTAUTH_SECRET'],
    ['no NEXTAUTH_SECRET in production with demo off', { NODE_ENV: 'production', FLIGHTDECK_DEMO: 'false' }, 'NEXTAUTH_SECRET'],
    ['NEXTAUTH_URL that is not a URL', { NEXTAUTH_URL: 'deck.example.com' }, 'NEXTAUTH_URL'],
    ['an OIDC issuer that is not a URL', { ...OIDC, FLIGHTDECK_OIDC_ISSUER: 'okta' }, 'FLIGHTDECK_OIDC_ISSUER'],
  ])('%s', (_, env, variable) => {
    const error = configError(env);
    expect(error.variable).toBe(variable);
    expect(error.name).toBe('ConfigError');
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
  });

  it('explains what a bad PORT should be and echoes what it got', () => {
    expect(configError({ PORT: '99999' }).message).toBe('PORT: expected a port number between 1 and 65535, got "99999"');
  });

  it('names the wrong DATABASE_URL scheme without echoing the URL and its password', () => {
    const error = configError({ DATABASE_URL: 'mysql://root:hunter2@db/flightdeck' });
    expect(error.message).toContain('"mysql:"');
    expect(error.message).not.toContain('hunter2');
  });

  it('never echoes secrets in its messages', () => {
    const shortSecret = 'sEcReT-15-chars';
    expect(configError({ NEXTAUTH_SECRET: shortSecret }).message).not.toContain(shortSecret);
    const shortPassword = 'pw-11-chars';
    expect(
      configError({ FLIGHTDECK_BOOTSTRAP_ADMIN_EMAIL: 'a@example.com', FLIGHTDECK_BOOTSTRAP_ADMIN_PASSWORD: shortPassword }).message,
    ).not.toContain(shortPassword);
    const badKey = 'has a space in it but is long';
    expect(configError({ FLIGHTDECK_BOOTSTRAP_API_KEY: badKey }).message).not.toContain(badKey);
  });
});

describe('parseConfig: DATABASE_URL', () => {
  it.each(['postgres://deck:pw@db:5432/flightdeck', 'postgresql://deck@db/flightdeck', 'postgres://localhost'])('accepts %s', (url) => {
    expect(parseConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
  });

  it('trims surrounding whitespace', () => {
    expect(parseConfig({ DATABASE_URL: '  postgres://db/x \n' }).databaseUrl).toBe('postgres://db/x');
  });

  it('leaves the database unset when DATABASE_URL is absent (embedded database)', () => {
    expect(parseConfig({}).databaseUrl).toBeUndefined();
  });
});

describe('parseConfig: PORT', () => {
  it.each([
    ['1', 1],
    ['80', 80],
    ['8080', 8080],
    ['65535', 65535],
    [' 4000 ', 4000],
  ])('accepts %j as %i', (value, port) => {
    expect(parseConfig({ PORT: value }).port).toBe(port);
  });

  it('derives the default NEXTAUTH_URL from the port', () => {
    expect(parseConfig({ PORT: '4000' }).authUrl).toBe('http://localhost:4000');
  });

  it('lets an explicit NEXTAUTH_URL win over the port', () => {
    expect(parseConfig({ PORT: '4000', NEXTAUTH_URL: 'https://deck.example.com' }).authUrl).toBe('https://deck.example.com');
  });
});

describe('parseConfig: bootstrap admin and API key', () => {
  it('lower-cases and trims the bootstrap e-mail', () => {
    const config = parseConfig({ FLIGHTDECK_BOOTSTRAP_ADMIN_EMAIL: '  Ops@Example.COM', FLIGHTDECK_BOOTSTRAP_ADMIN_PASSWORD: 'twelve-chars' });
    expect(config.bootstrapAdmin).toEqual({ email: 'ops@example.com', password: 'twelve-chars' });
  });

  it('accepts a password of exactly 12 characters', () => {
    const config = parseConfig({ FLIGHTDECK_BOOTSTRAP_ADMIN_EMAIL: 'a@example.com', FLIGHTDECK_BOOTSTRAP_ADMIN_PASSWORD: '123456789012' });
    expect(config.bootstrapAdmin?.password).toBe('123456789012');
  });

  it('says to set both when only one is set, whichever it is', () => {
    expect(configError({ FLIGHTDECK_BOOTSTRAP_ADMIN_EMAIL: 'a@example.com' }).message).toMatch(/or neither/);
    expect(configError({ FLIGHTDECK_BOOTSTRAP_ADMIN_PASSWORD: 'long-enough-password' }).message).toMatch(/or neither/);
  });

  it('counts a blank partner as missing', () => {
    expect(configError({ FLIGHTDECK_BOOTSTRAP_ADMIN_EMAIL: 'a@example.com', FLIGHTDECK_BOOTSTRAP_ADMIN_PASSWORD: '   ' }).variable).toBe(
      'FLIGHTDECK_BOOTSTRAP_ADMIN_PASSWORD',
    );
  });

  it('accepts a bootstrap API key of exactly 24 characters, trimmed', () => {
    expect(parseConfig({ FLIGHTDECK_BOOTSTRAP_API_KEY: ` ${'k'.repeat(24)} ` }).bootstrapApiKey).toBe('k'.repeat(24));
  });
});

describe('parseConfig: FLIGHTDECK_DEMO and NEXTAUTH_SECRET', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['0', false],
    ['false', false],
    ['1', true],
    ['true', true],
  ])('FLIGHTDECK_DEMO=%j means demo %s', (value, demo) => {
    expect(parseConfig({ FLIGHTDECK_DEMO: value }).demo).toBe(demo);
  });

  it('lets a demo run in production without a secret', () => {
    const config = parseConfig({ NODE_ENV: 'production', FLIGHTDECK_DEMO: '1' });
    expect(config).toMatchObject({ production: true, demo: true, authSecret: undefined });
  });

  it.each(['development', 'test', undefined, 'Production'])('does not require a secret when NODE_ENV is %j', (nodeEnv) => {
    expect(parseConfig({ NODE_ENV: nodeEnv })).toMatchObject({ production: false, authSecret: undefined });
  });

  it('accepts a secret of exactly 16 characters in production', () => {
    expect(parseConfig({ NODE_ENV: 'production', NEXTAUTH_SECRET: 's'.repeat(16) })).toMatchObject({ production: true, authSecret: 's'.repeat(16) });
  });

  it('points at how to make a secret', () => {
    expect(configError({ NODE_ENV: 'production' }).message).toMatch(/openssl rand/);
  });
});

describe('parseConfig: single sign-on', () => {
  it('configures OIDC when all three variables are set, with a default button name', () => {
    expect(parseConfig(OIDC).oidc).toEqual({
      issuer: OIDC.FLIGHTDECK_OIDC_ISSUER,
      clientId: 'flightdeck',
      clientSecret: 'oidc-client-secret',
      name: 'Company SSO',
    });
  });

  it('uses FLIGHTDECK_OIDC_NAME for the button', () => {
    expect(parseConfig({ ...OIDC, FLIGHTDECK_OIDC_NAME: '  Okta  ' }).oidc?.name).toBe('Okta');
  });

  it('ignores FLIGHTDECK_OIDC_NAME alone', () => {
    expect(parseConfig({ FLIGHTDECK_OIDC_NAME: 'Okta' }).oidc).toBeUndefined();
  });

  const names = Object.keys(OIDC) as Array<keyof typeof OIDC>;
  const partial = [[0], [1], [2], [0, 1], [0, 2], [1, 2]].map((picks) => {
    const set = picks.map((i) => names[i]!);
    return { set, label: set.join(' + ') };
  });
  it.each(partial)('refuses a partial configuration with only $label', ({ set }) => {
    const env = Object.fromEntries(set.map((name) => [name, OIDC[name]]));
    const error = configError(env);
    expect(error.variable).toMatch(/^FLIGHTDECK_OIDC_/);
    for (const name of names) expect(error.message).toContain(name);
  });

  it('counts a blank variable as missing', () => {
    expect(() => parseConfig({ ...OIDC, FLIGHTDECK_OIDC_CLIENT_SECRET: ' ' })).toThrow(ConfigError);
  });
});

describe('parseConfig: FLIGHTDECK_API_RATE_LIMIT', () => {
  it('defaults to 100 per second with bursts of 200, "0" turns it off, and a burst may be given', () => {
    expect(parseConfig({}).apiRateLimit).toEqual({ ratePerSecond: 100, burst: 200 });
    expect(parseConfig({ FLIGHTDECK_API_RATE_LIMIT: '0' }).apiRateLimit).toBeNull();
    expect(parseConfig({ FLIGHTDECK_API_RATE_LIMIT: '20/50' }).apiRateLimit).toEqual({ ratePerSecond: 20, burst: 50 });
  });

  it('names the variable for a malformed value', () => {
    expect(() => parseConfig({ FLIGHTDECK_API_RATE_LIMIT: 'lots' })).toThrow(/^FLIGHTDECK_API_RATE_LIMIT: expected requests per second per API key/);
  });
});


describe('parseConfig: FLIGHTDECK_READ_CACHE', () => {
  it('is on unless turned off', () => {
    expect(parseConfig({}).readCache).toBe(true);
    expect(parseConfig({ FLIGHTDECK_READ_CACHE: 'on' }).readCache).toBe(true);
    expect(parseConfig({ FLIGHTDECK_READ_CACHE: 'off' }).readCache).toBe(false);
  });

  it('names the variable for anything else', () => {
    expect(() => parseConfig({ FLIGHTDECK_READ_CACHE: 'no' })).toThrow(/^FLIGHTDECK_READ_CACHE: expected "on" or "off"/);
  });
});

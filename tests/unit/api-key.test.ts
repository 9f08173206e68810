import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { API_KEY_PREFIX, displayPrefix, generateApiKey, hashApiKey, parseBearer } from '@/lib/domain/api-key';

describe('generateApiKey', () => {
  it('is fdk_ followed by 32 url-safe characters', () => {
    expect(API_KEY_PREFIX).toBe('fdk_');
    for (let i = 0; i < 200; i++) {
      const key = generateApiKey();
      expect(key).toMatch(/^fdk_[A-Za-z0-9_-]{32}$/);
    }
  });

  it('carries 24 random bytes (192 bits)', () => {
    const body = generateApiKey().slice(API_KEY_PREFIX.length);
    expect(Buffer.from(body, 'base64url')).toHaveLength(24);
  });

  it('never repeats', () => {
    const keys = new Set(Array.from({ length: 2000 }, () => generateApiKey()));
    expect(keys.size).toBe(2000);
  });

  it('is usable as-is in a Bearer header', () => {
    const key = generateApiKey();
    expect(parseBearer(`Bearer ${key}`)).toBe(key);
  });
});

describe('hashApiKey', () => {
  it('is the sha256 hex digest of the key', () => {
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashApiKey('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('hashes the UTF-8 bytes', () => {
    expect(hashApiKey('é')).toBe(createHash('sha256').update(Buffer.from([0xc3, 0xa9])).digest('hex'));
  });

  it('is deterministic and distinguishes keys that differ by one character or by case', () => {
    const key = generateApiKey();
    expect(hashApiKey(key)).toBe(hashApiKey(key));
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey('fdk_aaaa')).not.toBe(hashApiKey('fdk_aaab'));
    expect(hashApiKey('fdk_aaaa')).not.toBe(hashApiKey('fdk_AAAA'));
  });
});

describe('displayPrefix', () => {
  it('shows the prefix and six characters, nothing more', () => {
    expect(displayPrefix('fdk_abcdefghijklmnopqrstuvwxyz012345')).toBe('fdk_abcdef');
  });

  it('reveals at most 6 of the 32 secret characters of a real key', () => {
    const key = generateApiKey();
    expect(displayPrefix(key)).toHaveLength(10);
    expect(key.startsWith(displayPrefix(key))).toBe(true);
  });

  it('returns a short string whole', () => {
    expect(displayPrefix('fdk_ab')).toBe('fdk_ab');
    expect(displayPrefix('')).toBe('');
  });
});

describe('parseBearer', () => {
  it.each([
    ['Bearer fdk_abc', 'fdk_abc'],
    ['bearer fdk_abc', 'fdk_abc'],
    ['BEARER fdk_abc', 'fdk_abc'],
    ['Bearer    fdk_abc', 'fdk_abc'],
    ['Bearer\tfdk_abc', 'fdk_abc'],
    ['Bearer fdk_abc   ', 'fdk_abc'],
    ['Bearer fdk_a-b_c', 'fdk_a-b_c'],
    ['Bearer any-token-shape', 'any-token-shape'],
  ])('reads %j as %j', (header, key) => {
    expect(parseBearer(header)).toBe(key);
  });

  it.each([
    ['absent', null],
    ['empty', ''],
    ['the scheme alone', 'Bearer'],
    ['the scheme and a space', 'Bearer '],
    ['the scheme and only spaces', 'Bearer    '],
    ['no space after the scheme', 'Bearerfdk_abc'],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['a token without a scheme', 'fdk_abc'],
    ['two tokens', 'Bearer fdk_abc fdk_def'],
    ['a leading space', ' Bearer fdk_abc'],
    ['a look-alike scheme', 'Bearers fdk_abc'],
  ])('refuses %s', (_, header) => {
    expect(parseBearer(header)).toBeUndefined();
  });
});

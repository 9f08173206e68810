import { hkdfSync, randomUUID } from 'node:crypto';
import { EncryptJWT, jwtDecrypt, type JWTPayload } from 'jose';
import type { JWTDecodeParams, JWTEncodeParams } from 'next-auth/jwt';

/**
 * next-auth's session cookie, encoded and decoded exactly as next-auth does it (a JWE, "dir" +
 * A256GCM, keyed by HKDF-SHA256 of the secret) but with the key derived once per secret instead
 * of on every call. A page read the session three times (the proxy's check, then a decode and a
 * re-encode in getServerSession), each deriving the key again: 5 % of the Overview's server CPU.
 * Tokens are interchangeable with next-auth's own (tests/unit/session-token.test.ts).
 */
const keys = new Map<string, Uint8Array>();

function encryptionKey(secret: string | Buffer, salt = ''): Uint8Array {
  const id = `${salt}\u0000${typeof secret === 'string' ? secret : secret.toString('base64')}`;
  let key = keys.get(id);
  if (!key) {
    key = new Uint8Array(hkdfSync('sha256', secret, salt, `NextAuth.js Generated Encryption Key${salt ? ` (${salt})` : ''}`, 32));
    keys.set(id, key);
  }
  return key;
}

const DEFAULT_MAX_AGE = 30 * 24 * 60 * 60; // next-auth's default, seconds

export async function encodeSessionToken({ token = {}, secret, maxAge = DEFAULT_MAX_AGE, salt = '' }: JWTEncodeParams): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new EncryptJWT(token as JWTPayload)
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt(now)
    .setExpirationTime(now + maxAge)
    .setJti(randomUUID())
    .encrypt(encryptionKey(secret, salt));
}

export async function decodeSessionToken({ token, secret, salt = '' }: JWTDecodeParams) {
  if (!token) return null;
  const { payload } = await jwtDecrypt(token, encryptionKey(secret, salt), { clockTolerance: 15 });
  return payload;
}

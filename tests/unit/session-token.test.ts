import { describe, expect, it } from 'vitest';
import { decode, encode } from 'next-auth/jwt';
import { decodeSessionToken, encodeSessionToken } from '@/lib/auth/session-token';

// Sessions issued before the change (next-auth's own encode) must stay valid after it, and the
// other way round: the format is next-auth's, only the key derivation is done once.
describe('session tokens', () => {
  const secret = 'a-session-secret-of-enough-length-0123456789';
  const token = { uid: '8d3c3a1e-2f43-4c55-9f55-2f1d8b0a9c11', name: 'Olga On-call', email: 'oncall@flightdeck.demo' };

  it("reads next-auth's own tokens, and next-auth reads ours", async () => {
    const theirs = await encode({ token, secret });
    expect(await decodeSessionToken({ token: theirs, secret })).toMatchObject(token);
    const ours = await encodeSessionToken({ token, secret, maxAge: 60 });
    expect(await decode({ token: ours, secret })).toMatchObject(token);
  });

  it('keeps salted tokens apart (a salt derives another key)', async () => {
    const salted = await encodeSessionToken({ token, secret, salt: 'authjs.session-token' });
    expect(await decode({ token: salted, secret, salt: 'authjs.session-token' })).toMatchObject(token);
    await expect(decodeSessionToken({ token: salted, secret })).rejects.toThrow();
  });

  it('refuses a token made with another secret, and one that was tampered with', async () => {
    const ours = await encodeSessionToken({ token, secret });
    await expect(decodeSessionToken({ token: ours, secret: `${secret}-rotated` })).rejects.toThrow();
    const tampered = ours.slice(0, -4) + (ours.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    await expect(decodeSessionToken({ token: tampered, secret })).rejects.toThrow();
  });

  it('sets the expiry from maxAge, refuses an expired token, and reads no token as no session', async () => {
    const before = Math.floor(Date.now() / 1000);
    const payload = await decodeSessionToken({ token: await encodeSessionToken({ token, secret, maxAge: 3600 }), secret });
    expect(payload!.exp! - payload!.iat!).toBe(3600);
    expect(payload!.iat).toBeGreaterThanOrEqual(before);
    expect(payload!.jti).toMatch(/^[0-9a-f-]{36}$/);
    // Past the 15 s clock tolerance next-auth allows.
    await expect(decodeSessionToken({ token: await encodeSessionToken({ token, secret, maxAge: -60 }), secret })).rejects.toThrow(/exp/);
    expect(await decodeSessionToken({ token: undefined, secret })).toBeNull();
  });
});

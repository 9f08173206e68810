import { randomBytes } from 'node:crypto';

/**
 * A version 7 UUID (RFC 9562 §5.7): 48 bits of Unix milliseconds, then 74 random bits. Ids made
 * in time order land at the right-hand end of their btree index, on a page that is already in
 * memory and already in the WAL since the last checkpoint. Random (v4) ids land on a random page
 * each time, and the first change to a page after a checkpoint writes all 8 kB of it to the WAL:
 * on a 1-million-event audit log that was most of every append's WAL.
 */
export function uuidv7(unixMs: number = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Math.max(0, Math.min(Math.trunc(unixMs), 0xffff_ffff_ffff)), 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70; // version 7
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // variant 10
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The milliseconds a v7 UUID was made at. */
export function uuidv7Time(id: string): number {
  return parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}

import { randomUUID } from 'node:crypto';

/**
 * A version 7 UUID (RFC 9562 §5.7): 48 bits of Unix milliseconds, then 74 random bits. Ids made
 * in time order land at the right-hand end of their btree index, on a page that is already in
 * memory and already in the WAL since the last checkpoint. Random (v4) ids land on a random page
 * each time, and the first change to a page after a checkpoint writes all 8 kB of it to the WAL:
 * on a 1-million-event audit log that was most of every append's WAL.
 */
export function uuidv7(unixMs: number = Date.now()): string {
  // The random bits of a v4 UUID (its variant is v7's too): Node draws those from a pool, where
  // randomBytes(16) is a system call per id.
  const random = randomUUID();
  const time = Math.max(0, Math.min(Math.trunc(unixMs), 0xffff_ffff_ffff)).toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15, 18)}-${random.slice(19)}`;
}

/** The milliseconds a v7 UUID was made at. */
export function uuidv7Time(id: string): number {
  return parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}

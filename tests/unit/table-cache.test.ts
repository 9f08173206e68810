import { describe, expect, it, vi } from 'vitest';
import { attachChangeFeed, ChangeFeed } from '@/db/change-feed';
import { tableCache } from '@/db/table-cache';

function setup(opts: { maxEntries?: number; maxAgeMs?: number } = {}) {
  const db = {};
  const feed = new ChangeFeed();
  attachChangeFeed(db, feed);
  feed.listening();
  const cache = tableCache<number>({ tables: ['releases'], maxEntries: opts.maxEntries ?? 10, maxAgeMs: opts.maxAgeMs ?? 60_000 });
  let loads = 0;
  const read = (key = 'k', value = 1) => cache.get(db, key, async () => (loads += 1, value));
  return { db, feed, cache, read, loads: () => loads };
}

describe('tableCache', () => {
  it('serves a read from memory until one of its tables changes', async () => {
    const t = setup();
    expect(await t.read('k', 1)).toBe(1);
    expect(await t.read('k', 2)).toBe(1);
    expect(t.loads()).toBe(1);
    t.feed.publish('audit_events'); // not its table
    expect(await t.read('k', 2)).toBe(1);
    t.feed.publish('releases');
    expect(await t.read('k', 2)).toBe(2);
    t.feed.publish('*');
    expect(await t.read('k', 3)).toBe(3);
    expect(t.loads()).toBe(3);
  });

  it('reads through while the feed is not listening, and starts empty when it listens again', async () => {
    const t = setup();
    await t.read('k', 1);
    t.feed.lost();
    expect(await t.read('k', 2)).toBe(2);
    expect(await t.read('k', 3)).toBe(3);
    t.feed.listening();
    expect(await t.read('k', 4)).toBe(4);
    expect(await t.read('k', 5)).toBe(4);
  });

  it('never caches for a database without a feed (a transaction)', async () => {
    const cache = tableCache<number>({ tables: ['releases'], maxEntries: 10, maxAgeMs: 60_000 });
    let n = 0;
    const tx = {};
    await cache.get(tx, 'k', async () => ++n);
    expect(await cache.get(tx, 'k', async () => ++n)).toBe(2);
  });

  it('does not keep a value loaded while a change arrived', async () => {
    const t = setup();
    let release!: (v: number) => void;
    const pending = t.cache.get(t.db, 'k', () => new Promise<number>((r) => (release = r)));
    t.feed.publish('releases');
    release(1);
    expect(await pending).toBe(1);
    expect(await t.read('k', 2)).toBe(2); // the stale 1 was not kept
  });

  it('does not keep a failed load', async () => {
    const t = setup();
    await expect(t.cache.get(t.db, 'k', async () => Promise.reject(new Error('not found')))).rejects.toThrow('not found');
    expect(await t.read('k', 7)).toBe(7);
  });

  it('expires entries after maxAgeMs', async () => {
    vi.useFakeTimers({ now: 0 });
    try {
      const t = setup({ maxAgeMs: 1_000 });
      await t.read('k', 1);
      vi.setSystemTime(999);
      expect(await t.read('k', 2)).toBe(1);
      vi.setSystemTime(1_000);
      expect(await t.read('k', 2)).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('holds at most maxEntries, dropping the oldest', async () => {
    const t = setup({ maxEntries: 2 });
    await t.read('a', 1);
    await t.read('b', 1);
    await t.read('c', 1);
    expect(t.loads()).toBe(3);
    await t.read('c', 9);
    await t.read('b', 9);
    expect(t.loads()).toBe(3);
    expect(await t.read('a', 9)).toBe(9);
  });
});

import { changeFeedOf } from './change-feed';

/**
 * Hot reads kept in memory, never staler than a change notification's trip: every entry is
 * dropped when one of `tables` changes on any instance (db/change-feed.ts), and expires after
 * `maxAgeMs` whatever happens, as a bound should a notification ever go missing unnoticed. With
 * no live feed (a transaction, the listener reconnecting) every read goes to the database. A
 * value loaded while a change arrived is returned but not kept: it may predate the change.
 */
export function tableCache<V>(opts: { tables: readonly string[]; maxEntries: number; maxAgeMs: number }) {
  type State = { entries: Map<string, { value: V; at: number }>; generation: number };
  const states = new WeakMap<object, State>();

  function stateOf(db: object): State | undefined {
    const feed = changeFeedOf(db);
    if (!feed?.live) return undefined;
    let state = states.get(db);
    if (!state) {
      const created: State = { entries: new Map(), generation: 0 };
      feed.subscribe((table) => {
        if (table !== '*' && !opts.tables.includes(table)) return;
        created.entries.clear();
        created.generation += 1;
      });
      states.set(db, (state = created));
    }
    return state;
  }

  return {
    async get(db: object, key: string, load: () => Promise<V>): Promise<V> {
      const state = stateOf(db);
      if (!state) return load();
      const hit = state.entries.get(key);
      if (hit && Date.now() - hit.at < opts.maxAgeMs) return hit.value;
      const generation = state.generation;
      const value = await load();
      if (state.generation === generation && changeFeedOf(db)?.live) {
        state.entries.delete(key);
        // Oldest first in a Map: drop it when full.
        if (state.entries.size >= opts.maxEntries) state.entries.delete(state.entries.keys().next().value!);
        state.entries.set(key, { value, at: Date.now() });
      }
      return value;
    },
  };
}

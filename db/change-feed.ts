/**
 * Which tables changed, as the triggers of migration 0014 announce on the channel
 * flightdeck_changes: to every instance on the database, when the writing transaction commits.
 * Listeners hear a table name, or '*' when anything may have changed: the listening connection
 * was lost (what was announced meanwhile is gone) or came back, or this process has just
 * committed a write of its own (so that it reads its own writes without waiting for the echo).
 * `live` is false while no connection listens: caches must not serve then.
 */
export const CHANGES_CHANNEL = 'flightdeck_changes';

export type ChangeListener = (table: string) => void;

export class ChangeFeed {
  private readonly listeners = new Set<ChangeListener>();
  live = false;

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(table: string): void {
    for (const listener of this.listeners) listener(table);
  }

  listening(): void {
    this.live = true;
    this.publish('*');
  }

  lost(): void {
    this.live = false;
    this.publish('*');
  }
}

// On the database object itself (tests open several databases in one process; a transaction has
// none), under a global symbol: Next.js bundles this module once per route, and a module-level
// registry filled where the database was opened would be empty in every other bundle.
const FEED = Symbol.for('flightdeck.changeFeed');
export const changeFeedOf = (db: object): ChangeFeed | undefined => (db as { [FEED]?: ChangeFeed })[FEED];
export const attachChangeFeed = (db: object, feed: ChangeFeed) => void Object.defineProperty(db, FEED, { value: feed, enumerable: false });

-- The audit chain is linked at COMMIT, inside Postgres. Until now a use case took the append lock,
-- appended, and held the lock until the app sent COMMIT: a round trip through the app's event
-- loop, which under load waits its turn behind every other request. Every audited write in the
-- organisation queued behind that lock (16 concurrent rollbacks: 35 ms of each one's latency was
-- spent waiting for it). Now a use case writes its events to audit_queue, and this deferred
-- trigger links them when the transaction commits: the lock is held from the link to the end of
-- the commit, with no client round trip in between.
--
-- Ordering: deferred triggers fire in the order their rows were inserted, so one transaction's
-- events are linked in the order the use case gave them; the lock orders transactions, and each
-- link reads the head in a statement of its own after taking the lock, so it sees the previous
-- holder's commit (locks are released after the commit is visible). seq is drawn under the lock,
-- so seq order is chain order. The unique index on prev_hash still makes a fork impossible.
CREATE UNLOGGED TABLE "audit_queue" (
	"ord" bigserial PRIMARY KEY NOT NULL,
	"id" uuid NOT NULL,
	"occurred_at" timestamp (3) with time zone NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text NOT NULL,
	"actor_name" text NOT NULL,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"reason" text,
	"metadata" jsonb NOT NULL,
	"body" text NOT NULL
);
--> statement-breakpoint
-- hash = sha256_hex(prev_hash || "\n" || body), as lib/domain/audit-chain.ts `chainHash`; the
-- first event links to the genesis hash (64 zeros). 7262002 is the append lock's key.
CREATE FUNCTION audit_link_queued() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  head text;
BEGIN
  PERFORM pg_advisory_xact_lock(7262002);
  SELECT hash INTO head FROM audit_events ORDER BY seq DESC LIMIT 1;
  head := coalesce(head, repeat('0', 64));
  INSERT INTO audit_events (id, occurred_at, actor_type, actor_id, actor_name, action, target_type, target_id, before, after, reason, metadata, prev_hash, hash)
  VALUES (NEW.id, NEW.occurred_at, NEW.actor_type, NEW.actor_id, NEW.actor_name, NEW.action, NEW.target_type, NEW.target_id, NEW.before, NEW.after, NEW.reason, NEW.metadata,
          head, encode(sha256(convert_to(head || E'\n' || NEW.body, 'UTF8')), 'hex'));
  DELETE FROM audit_queue WHERE ord = NEW.ord;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER audit_queue_link AFTER INSERT ON audit_queue
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_link_queued();

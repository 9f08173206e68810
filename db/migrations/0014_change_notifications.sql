-- Every app instance keeps a few hot reads in memory (API keys by hash, the traffic split per
-- service): routers poll the split every few seconds, and each poll would otherwise cost the
-- key lookup and the split query. A change to the rows those reads come from is announced on the
-- channel flightdeck_changes with the table's name, delivered to every instance when the
-- transaction commits (NOTIFY dedups repeats within one transaction); db/change-feed.ts listens
-- and db/table-cache.ts forgets. Row-level, so an UPDATE that matches nothing announces nothing.
CREATE FUNCTION flightdeck_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('flightdeck_changes', TG_TABLE_NAME);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER api_keys_changed AFTER INSERT OR DELETE ON api_keys FOR EACH ROW EXECUTE FUNCTION flightdeck_notify_change();
--> statement-breakpoint
-- Every instance marks a key used about once a minute: that alone must not empty every cache.
CREATE TRIGGER api_keys_updated AFTER UPDATE ON api_keys FOR EACH ROW
  WHEN ((to_jsonb(OLD) - 'last_used_at') IS DISTINCT FROM (to_jsonb(NEW) - 'last_used_at'))
  EXECUTE FUNCTION flightdeck_notify_change();
--> statement-breakpoint
CREATE TRIGGER releases_changed AFTER INSERT OR UPDATE OR DELETE ON releases FOR EACH ROW EXECUTE FUNCTION flightdeck_notify_change();
--> statement-breakpoint
CREATE TRIGGER models_changed AFTER INSERT OR UPDATE OR DELETE ON models FOR EACH ROW EXECUTE FUNCTION flightdeck_notify_change();
--> statement-breakpoint
CREATE TRIGGER environments_changed AFTER INSERT OR UPDATE OR DELETE ON environments FOR EACH ROW EXECUTE FUNCTION flightdeck_notify_change();
--> statement-breakpoint
CREATE TRIGGER model_versions_changed AFTER INSERT OR UPDATE OR DELETE ON model_versions FOR EACH ROW EXECUTE FUNCTION flightdeck_notify_change();

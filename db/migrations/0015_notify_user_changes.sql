-- Signed-in people are read on every request (roles and deactivation take effect at once): each
-- instance keeps them in memory too, forgotten on any change but a sign-in being recorded.
CREATE TRIGGER users_changed AFTER INSERT OR DELETE ON users FOR EACH ROW EXECUTE FUNCTION flightdeck_notify_change();
--> statement-breakpoint
CREATE TRIGGER users_updated AFTER UPDATE ON users FOR EACH ROW
  WHEN ((to_jsonb(OLD) - 'last_sign_in_at') IS DISTINCT FROM (to_jsonb(NEW) - 'last_sign_in_at'))
  EXECUTE FUNCTION flightdeck_notify_change();

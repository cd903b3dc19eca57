-- A practice's audit chain is append-only like audit_events (0004): UPDATE, DELETE and TRUNCATE are refused.
CREATE FUNCTION practice_audit_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'practice_audit_events is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER practice_audit_events_append_only
  BEFORE UPDATE OR DELETE ON "practice_audit_events"
  FOR EACH ROW EXECUTE FUNCTION practice_audit_events_refuse_change();
--> statement-breakpoint
CREATE TRIGGER practice_audit_events_no_truncate
  BEFORE TRUNCATE ON "practice_audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION practice_audit_events_refuse_change();

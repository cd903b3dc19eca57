-- A format's audit chain is append-only like audit_events (0004): UPDATE, DELETE and TRUNCATE are refused.
CREATE FUNCTION format_audit_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'format_audit_events is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER format_audit_events_append_only
  BEFORE UPDATE OR DELETE ON "format_audit_events"
  FOR EACH ROW EXECUTE FUNCTION format_audit_events_refuse_change();
--> statement-breakpoint
CREATE TRIGGER format_audit_events_no_truncate
  BEFORE TRUNCATE ON "format_audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION format_audit_events_refuse_change();

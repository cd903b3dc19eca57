-- The audit tables are append-only for the roles that write them: besides the trigger
-- (0004_audit_append_only.sql, 0014_…, 0021_…), take UPDATE, DELETE and TRUNCATE away from every role but the
-- owner, among them the service role API and workers connect as (dd_service in docker-compose.yml, which
-- got them through ALTER DEFAULT PRIVILEGES). A role granted them again stays stopped by the trigger.
DO $$
DECLARE
  audit_table regclass;
  holder text;
BEGIN
  FOREACH audit_table IN ARRAY ARRAY['audit_events'::regclass, 'practice_audit_events'::regclass, 'format_audit_events'::regclass] LOOP
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %s FROM PUBLIC', audit_table);
    FOR holder IN
      SELECT DISTINCT grants.grantee::regrole::text
      FROM pg_class, aclexplode(pg_class.relacl) AS grants
      WHERE pg_class.oid = audit_table
        AND grants.grantee <> 0
        AND grants.grantee <> pg_class.relowner
        AND grants.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
    LOOP
      EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %s FROM %s', audit_table, holder);
    END LOOP;
  END LOOP;
END
$$;

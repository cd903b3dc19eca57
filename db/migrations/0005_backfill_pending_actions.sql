-- Initiatives stored before the inbox existed: derive their open actions from the stored resource.
INSERT INTO "pending_actions" ("initiative_id", "action", "land", "role", "due_at", "title", "proposer_sub", "overdue")
SELECT i."id", a->>'action', a->>'land', a->>'role', (a->>'dueAt')::timestamptz, i."resource"->>'title',
       i."proposer_sub", i."overdue"
FROM "initiatives" i, jsonb_array_elements(i."resource"->'pendingActions') a
ON CONFLICT DO NOTHING;

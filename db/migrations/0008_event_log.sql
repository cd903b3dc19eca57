CREATE TABLE "events" (
	"id" bigint PRIMARY KEY NOT NULL,
	"initiative_id" text NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"phase" text NOT NULL,
	"version" integer,
	"at" text NOT NULL,
	"lands" text[] NOT NULL,
	"public" boolean NOT NULL,
	CONSTRAINT "events_audit_event_unique" UNIQUE("initiative_id","seq")
);
--> statement-breakpoint
-- Audit events recorded before the event log existed, numbered in the order they happened. Their phase is
-- the one the initiative was in after them (the last phase change up to them); their version was never
-- recorded (null); who may read them follows the initiative as it is now (visibility only ever widens).
INSERT INTO "events" ("id", "initiative_id", "seq", "type", "phase", "version", "at", "lands", "public")
SELECT row_number() OVER (ORDER BY a."at"::timestamptz, a."initiative_id", a."seq"),
       a."initiative_id", a."seq", a."type",
       coalesce((SELECT p."data"->>'to' FROM "audit_events" p
                 WHERE p."initiative_id" = a."initiative_id" AND p."seq" <= a."seq" AND p."type" = 'phase_changed'
                 ORDER BY p."seq" DESC LIMIT 1), 'review'),
       NULL, a."at", i."lands", i."public"
FROM "audit_events" a JOIN "initiatives" i ON i."id" = a."initiative_id";

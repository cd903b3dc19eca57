CREATE TABLE "format_audit_events" (
	"format_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"at" text NOT NULL,
	"type" text NOT NULL,
	"actor" jsonb NOT NULL,
	"data" jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "format_audit_events_format_id_seq_pk" PRIMARY KEY("format_id","seq")
);
--> statement-breakpoint
CREATE TABLE "formats" (
	"id" uuid PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"kind" text NOT NULL,
	"date" text NOT NULL,
	"time" text NOT NULL,
	"land" text NOT NULL,
	"lands" text[] NOT NULL,
	"topics" text[] NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"resource" jsonb NOT NULL
);
--> statement-breakpoint
CREATE INDEX "formats_date_idx" ON "formats" USING btree ("date","time","id");--> statement-breakpoint
CREATE INDEX "formats_lands_idx" ON "formats" USING gin ("lands");--> statement-breakpoint
CREATE INDEX "initiatives_origin_format_idx" ON "initiatives" USING btree (("resource"->>'originFormat')) WHERE ("initiatives"."resource"->>'originFormat') is not null;--> statement-breakpoint
CREATE INDEX "initiatives_based_on_idx" ON "initiatives" USING gin (("resource"->'basedOn'));
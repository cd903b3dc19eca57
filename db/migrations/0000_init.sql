CREATE TABLE "audit_events" (
	"initiative_id" text NOT NULL,
	"seq" integer NOT NULL,
	"at" text NOT NULL,
	"type" text NOT NULL,
	"actor" jsonb NOT NULL,
	"data" jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_events_initiative_id_seq_pk" PRIMARY KEY("initiative_id","seq")
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"scope" text PRIMARY KEY NOT NULL,
	"request_hash" text NOT NULL,
	"initiative_id" text,
	"response_status" integer,
	"response_body" jsonb,
	"locked_until" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "initiatives" (
	"id" text PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"phase" text NOT NULL,
	"topic" text NOT NULL,
	"channel" text NOT NULL,
	"lead_land" text NOT NULL,
	"proposer_sub" text NOT NULL,
	"overdue" boolean NOT NULL,
	"lands" text[] NOT NULL,
	"public" boolean NOT NULL,
	"search_text" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"resource" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reference_counters" (
	"year" integer PRIMARY KEY NOT NULL,
	"last" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "initiatives_created_idx" ON "initiatives" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "initiatives_phase_created_idx" ON "initiatives" USING btree ("phase","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "initiatives_lands_idx" ON "initiatives" USING gin ("lands");
CREATE TABLE "calendar_feeds" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"iss" text NOT NULL,
	"sub" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calendar_feeds_person" UNIQUE("iss","sub")
);
--> statement-breakpoint
CREATE TABLE "mail_digests" (
	"day" date PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mail_outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_key" text NOT NULL,
	"iss" text NOT NULL,
	"sub" text NOT NULL,
	"to_address" text NOT NULL,
	"kind" text NOT NULL,
	"initiative_id" text,
	"data" jsonb NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "mail_outbox_event_recipient" UNIQUE("event_key","iss","sub")
);
--> statement-breakpoint
CREATE TABLE "people" (
	"iss" text NOT NULL,
	"sub" text NOT NULL,
	"name" text NOT NULL,
	"land" text NOT NULL,
	"roles" text[] NOT NULL,
	"ressort" text,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"email" text,
	"events" text[] DEFAULT '{task,reminder,escalation,decided}'::text[] NOT NULL,
	"digest" text DEFAULT 'immediate' NOT NULL,
	CONSTRAINT "people_iss_sub_pk" PRIMARY KEY("iss","sub")
);
--> statement-breakpoint
CREATE INDEX "mail_outbox_due_idx" ON "mail_outbox" USING btree ("next_attempt_at") WHERE "mail_outbox"."status" in ('pending', 'sending');--> statement-breakpoint
CREATE INDEX "mail_outbox_held_idx" ON "mail_outbox" USING btree ("iss","sub") WHERE "mail_outbox"."status" = 'held';--> statement-breakpoint
CREATE INDEX "people_land_idx" ON "people" USING btree ("land");
CREATE TABLE "practice_audit_events" (
	"practice_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"at" text NOT NULL,
	"type" text NOT NULL,
	"actor" jsonb NOT NULL,
	"data" jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "practice_audit_events_practice_id_seq_pk" PRIMARY KEY("practice_id","seq")
);
--> statement-breakpoint
CREATE TABLE "practice_interest" (
	"practice_id" uuid NOT NULL,
	"land" text NOT NULL,
	"at" text NOT NULL,
	CONSTRAINT "practice_interest_practice_id_land_pk" PRIMARY KEY("practice_id","land")
);
--> statement-breakpoint
CREATE TABLE "practices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"land" text NOT NULL,
	"topic" text NOT NULL,
	"ressort" text,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"tags_text" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"resource" jsonb NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('german'::regconfig, "title"), 'A') || setweight(to_tsvector('german'::regconfig, "tags_text"), 'B') || setweight(to_tsvector('german'::regconfig, "summary"), 'C')) STORED NOT NULL
);
--> statement-breakpoint
CREATE TABLE "topics" (
	"key" text PRIMARY KEY NOT NULL,
	"name_de" text NOT NULL,
	"name_en" text NOT NULL,
	"source" text NOT NULL,
	"provisional" boolean NOT NULL
);
--> statement-breakpoint
ALTER TABLE "practice_interest" ADD CONSTRAINT "practice_interest_practice_id_practices_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."practices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practices" ADD CONSTRAINT "practices_topic_topics_key_fk" FOREIGN KEY ("topic") REFERENCES "public"."topics"("key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "practices_search_idx" ON "practices" USING gin ("search");--> statement-breakpoint
CREATE INDEX "practices_created_idx" ON "practices" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "practices_topic_created_idx" ON "practices" USING btree ("topic","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "practices_land_created_idx" ON "practices" USING btree ("land","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);
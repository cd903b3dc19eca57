CREATE TABLE "conference_sessions" (
	"conference_key" text NOT NULL,
	"date" date NOT NULL,
	"number" integer,
	"place" text,
	"provisional" boolean NOT NULL,
	"source" text NOT NULL,
	CONSTRAINT "conference_sessions_conference_key_date_pk" PRIMARY KEY("conference_key","date")
);
--> statement-breakpoint
CREATE TABLE "conferences" (
	"key" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"members" jsonb NOT NULL,
	"bund" boolean NOT NULL,
	"voting_rules" jsonb NOT NULL,
	"registration_lead_days" integer NOT NULL,
	"source" text NOT NULL,
	"provisional" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "koenigstein_shares" (
	"year" integer PRIMARY KEY NOT NULL,
	"shares" jsonb NOT NULL,
	"source" text NOT NULL,
	"provisional" boolean NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conference_sessions" ADD CONSTRAINT "conference_sessions_conference_key_conferences_key_fk" FOREIGN KEY ("conference_key") REFERENCES "public"."conferences"("key") ON DELETE cascade ON UPDATE no action;
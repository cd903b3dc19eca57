CREATE TABLE "drucksachen" (
	"drucksache" text PRIMARY KEY NOT NULL,
	"initiative_id" text NOT NULL,
	"reserved_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plenary_sessions" (
	"number" integer PRIMARY KEY NOT NULL,
	"date" date NOT NULL,
	"provisional" boolean NOT NULL,
	"source" text NOT NULL,
	CONSTRAINT "plenary_sessions_date_unique" UNIQUE("date")
);

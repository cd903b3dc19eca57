CREATE TABLE "text_blobs" (
	"hash" text PRIMARY KEY NOT NULL,
	"body" text NOT NULL,
	"length" integer NOT NULL,
	"paragraphs" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);

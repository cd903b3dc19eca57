ALTER TABLE "pending_actions" ADD COLUMN "author_subs" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "pending_actions" ADD COLUMN "lead_ressort" text;
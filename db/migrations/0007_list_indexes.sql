-- pg_trgm is a trusted extension: the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "initiatives_topic_created_idx" ON "initiatives" USING btree ("topic","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "initiatives_overdue_created_idx" ON "initiatives" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "initiatives"."overdue";--> statement-breakpoint
CREATE INDEX "initiatives_search_trgm_idx" ON "initiatives" USING gin ("search_text" gin_trgm_ops);
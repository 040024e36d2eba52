DROP INDEX "message_feedback_created_at_idx";--> statement-breakpoint
CREATE INDEX "message_feedback_updated_at_idx" ON "message_feedback" USING btree ("updated_at");
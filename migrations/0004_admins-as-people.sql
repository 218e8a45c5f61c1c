ALTER TABLE "routers" ADD COLUMN "source" text DEFAULT 'config' NOT NULL;--> statement-breakpoint
CREATE INDEX "api_keys_display_prefix_idx" ON "api_keys" USING btree ("display_prefix");--> statement-breakpoint
CREATE INDEX "audit_log_time_idx" ON "audit_log" USING btree ("occurred_at","id");--> statement-breakpoint
CREATE INDEX "audit_log_actor_time_idx" ON "audit_log" USING btree ("actor_id","occurred_at");
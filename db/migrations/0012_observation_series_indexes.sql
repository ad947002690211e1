DROP INDEX "observations_region_idx";--> statement-breakpoint
DROP INDEX "observations_organisation_idx";--> statement-breakpoint
CREATE INDEX "observations_region_series_idx" ON "observations" USING btree ("region_id","indicator_id","period_start");--> statement-breakpoint
CREATE INDEX "observations_organisation_series_idx" ON "observations" USING btree ("organisation_id","indicator_id","period_start");
ALTER TABLE "organisations" ADD COLUMN "kolada_ou_id" text;--> statement-breakpoint
ALTER TABLE "observation_staging" ADD COLUMN "kolada_ou_id" text;--> statement-breakpoint
CREATE UNIQUE INDEX "organisations_kolada_ou_id_key" ON "organisations" USING btree ("kolada_ou_id");
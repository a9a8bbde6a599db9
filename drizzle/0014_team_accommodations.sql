CREATE TABLE "accommodation_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"team_id" uuid,
	"multiplier" real NOT NULL,
	"changed_by" uuid,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "team_accommodations" (
	"team_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"multiplier" real NOT NULL,
	"set_by" uuid,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "team_accommodations_team_id_user_id_pk" PRIMARY KEY("team_id","user_id"),
	CONSTRAINT "team_accommodations_multiplier_check" CHECK ("team_accommodations"."multiplier" between 1 and 4)
);
--> statement-breakpoint
ALTER TABLE "accommodation_changes" ADD CONSTRAINT "accommodation_changes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accommodation_changes" ADD CONSTRAINT "accommodation_changes_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accommodation_changes" ADD CONSTRAINT "accommodation_changes_changed_by_users_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_accommodations" ADD CONSTRAINT "team_accommodations_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_accommodations" ADD CONSTRAINT "team_accommodations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_accommodations" ADD CONSTRAINT "team_accommodations_set_by_users_id_fk" FOREIGN KEY ("set_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "accommodation_changes_user_id_idx" ON "accommodation_changes" USING btree ("user_id","changed_at");--> statement-breakpoint
CREATE INDEX "team_accommodations_user_id_idx" ON "team_accommodations" USING btree ("user_id");
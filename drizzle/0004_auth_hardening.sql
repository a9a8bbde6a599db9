CREATE TABLE "server_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signup_attempts" (
	"address" text NOT NULL,
	"attempted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "signup_attempts_address_idx" ON "signup_attempts" USING btree ("address","attempted_at");--> statement-breakpoint
CREATE INDEX "signup_attempts_attempted_at_idx" ON "signup_attempts" USING btree ("attempted_at");--> statement-breakpoint
CREATE INDEX "login_throttle_last_failure_at_idx" ON "login_throttle" USING btree ("last_failure_at");
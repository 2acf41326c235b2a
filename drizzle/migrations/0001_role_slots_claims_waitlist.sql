CREATE TYPE "public"."role_preset" AS ENUM('marshal', 'sign_carrier', 'literature_distributor', 'banner_carrier', 'medic', 'legal_observer', 'chant_leader', 'safety', 'driver', 'photographer');--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"person_id" uuid NOT NULL,
	"key" text NOT NULL,
	"operation" text NOT NULL,
	"status" integer,
	"response" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_person_id_key_pk" PRIMARY KEY("person_id","key")
);
--> statement-breakpoint
CREATE TABLE "role_claims" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slot_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"assigned_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "role_slots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"contingent_id" uuid,
	"preset" "role_preset",
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"capacity" integer NOT NULL,
	"filled" integer DEFAULT 0 NOT NULL,
	"need_per_marchers" integer,
	"need_minimum" integer,
	"start_time" text,
	"end_time" text,
	"meeting_point_id" uuid,
	"critical" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "role_slots_capacity_range" CHECK ("role_slots"."capacity" between 1 and 500),
	CONSTRAINT "role_slots_filled_within_capacity" CHECK ("role_slots"."filled" between 0 and "role_slots"."capacity"),
	CONSTRAINT "role_slots_window_complete" CHECK (("role_slots"."start_time" is null) = ("role_slots"."end_time" is null) and ("role_slots"."start_time" is null or "role_slots"."start_time" < "role_slots"."end_time"))
);
--> statement-breakpoint
CREATE TABLE "role_waitlist" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slot_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_claims" ADD CONSTRAINT "role_claims_slot_id_role_slots_id_fk" FOREIGN KEY ("slot_id") REFERENCES "public"."role_slots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_claims" ADD CONSTRAINT "role_claims_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_slots" ADD CONSTRAINT "role_slots_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_slots" ADD CONSTRAINT "role_slots_contingent_id_contingents_id_fk" FOREIGN KEY ("contingent_id") REFERENCES "public"."contingents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_slots" ADD CONSTRAINT "role_slots_meeting_point_id_meeting_points_id_fk" FOREIGN KEY ("meeting_point_id") REFERENCES "public"."meeting_points"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_waitlist" ADD CONSTRAINT "role_waitlist_slot_id_role_slots_id_fk" FOREIGN KEY ("slot_id") REFERENCES "public"."role_slots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_waitlist" ADD CONSTRAINT "role_waitlist_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "role_claims_slot_person_idx" ON "role_claims" USING btree ("slot_id","person_id");--> statement-breakpoint
CREATE INDEX "role_claims_person_idx" ON "role_claims" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "role_slots_event_idx" ON "role_slots" USING btree ("event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "role_waitlist_slot_person_idx" ON "role_waitlist" USING btree ("slot_id","person_id");--> statement-breakpoint
CREATE INDEX "role_waitlist_order_idx" ON "role_waitlist" USING btree ("slot_id","created_at");
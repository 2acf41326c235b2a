CREATE TYPE "public"."material_kind" AS ENUM('sign', 'literature', 'shirt', 'flag', 'banner', 'other');--> statement-breakpoint
CREATE TYPE "public"."material_request_status" AS ENUM('pending', 'fulfilled', 'declined');--> statement-breakpoint
CREATE TYPE "public"."movement_kind" AS ENUM('received', 'allocated', 'transferred', 'distributed', 'returned', 'lost', 'damaged', 'reversal');--> statement-breakpoint
CREATE TABLE "depots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"name" text NOT NULL,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "depots_lat_range" CHECK ("depots"."lat" between -90 and 90),
	CONSTRAINT "depots_lng_range" CHECK ("depots"."lng" between -180 and 180)
);
--> statement-breakpoint
CREATE TABLE "material_balances" (
	"material_id" uuid NOT NULL,
	"holder" text NOT NULL,
	"event_id" uuid NOT NULL,
	"quantity" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "material_balances_material_id_holder_pk" PRIMARY KEY("material_id","holder"),
	CONSTRAINT "material_balances_nonnegative" CHECK ("material_balances"."quantity" >= 0 or "material_balances"."holder" = 'supplier')
);
--> statement-breakpoint
CREATE TABLE "material_levels" (
	"material_id" uuid NOT NULL,
	"holder" text NOT NULL,
	"event_id" uuid NOT NULL,
	"planned" integer,
	"low_stock_threshold" integer,
	CONSTRAINT "material_levels_material_id_holder_pk" PRIMARY KEY("material_id","holder"),
	CONSTRAINT "material_levels_nonnegative" CHECK ("material_levels"."planned" >= 0 and "material_levels"."low_stock_threshold" >= 0)
);
--> statement-breakpoint
CREATE TABLE "material_movements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" bigint GENERATED ALWAYS AS IDENTITY (sequence name "material_movements_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"event_id" uuid NOT NULL,
	"material_id" uuid NOT NULL,
	"kind" "movement_kind" NOT NULL,
	"quantity" integer NOT NULL,
	"from_holder" text NOT NULL,
	"to_holder" text NOT NULL,
	"lat" double precision,
	"lng" double precision,
	"note" text DEFAULT '' NOT NULL,
	"reverses_id" uuid,
	"request_id" uuid,
	"recorded_by" uuid,
	"recorded_by_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "material_movements_quantity_positive" CHECK ("material_movements"."quantity" > 0),
	CONSTRAINT "material_movements_distinct_holders" CHECK ("material_movements"."from_holder" <> "material_movements"."to_holder")
);
--> statement-breakpoint
CREATE TABLE "material_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"material_id" uuid NOT NULL,
	"contingent_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"status" "material_request_status" DEFAULT 'pending' NOT NULL,
	"requested_by" uuid,
	"requested_by_name" text,
	"decided_by" uuid,
	"decline_reason" text,
	"movement_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	CONSTRAINT "material_requests_quantity_positive" CHECK ("material_requests"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "materials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"kind" "material_kind" NOT NULL,
	"name" text NOT NULL,
	"language" text,
	"unit" text NOT NULL,
	"slogan" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "depots" ADD CONSTRAINT "depots_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "material_balances" ADD CONSTRAINT "material_balances_material_id_materials_id_fk" FOREIGN KEY ("material_id") REFERENCES "public"."materials"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "material_balances" ADD CONSTRAINT "material_balances_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "material_levels" ADD CONSTRAINT "material_levels_material_id_materials_id_fk" FOREIGN KEY ("material_id") REFERENCES "public"."materials"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "material_levels" ADD CONSTRAINT "material_levels_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "material_movements" ADD CONSTRAINT "material_movements_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "material_movements" ADD CONSTRAINT "material_movements_material_id_materials_id_fk" FOREIGN KEY ("material_id") REFERENCES "public"."materials"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "material_movements" ADD CONSTRAINT "material_movements_reverses_id_material_movements_id_fk" FOREIGN KEY ("reverses_id") REFERENCES "public"."material_movements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "material_movements" ADD CONSTRAINT "material_movements_recorded_by_people_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "material_requests" ADD CONSTRAINT "material_requests_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "material_requests" ADD CONSTRAINT "material_requests_material_id_materials_id_fk" FOREIGN KEY ("material_id") REFERENCES "public"."materials"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "material_requests" ADD CONSTRAINT "material_requests_contingent_id_contingents_id_fk" FOREIGN KEY ("contingent_id") REFERENCES "public"."contingents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "material_requests" ADD CONSTRAINT "material_requests_requested_by_people_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "material_requests" ADD CONSTRAINT "material_requests_decided_by_people_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "material_requests" ADD CONSTRAINT "material_requests_movement_id_material_movements_id_fk" FOREIGN KEY ("movement_id") REFERENCES "public"."material_movements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "materials" ADD CONSTRAINT "materials_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "depots_event_idx" ON "depots" USING btree ("event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "material_movements_number_idx" ON "material_movements" USING btree ("number");--> statement-breakpoint
CREATE INDEX "material_movements_event_idx" ON "material_movements" USING btree ("event_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "material_movements_reverses_idx" ON "material_movements" USING btree ("reverses_id");--> statement-breakpoint
CREATE INDEX "material_requests_event_idx" ON "material_requests" USING btree ("event_id","created_at");--> statement-breakpoint
CREATE INDEX "materials_event_idx" ON "materials" USING btree ("event_id");
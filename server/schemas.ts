// Schemas shared by several features. Every object rejects unknown fields, every string
// and array is bounded, every number range-checked.
import { Type, type Static, type TSchema, type TStringOptions as StringOptions } from 'typebox';

/** Lower-case hexadecimal UUIDs only: ajv's uuid format also admits forms PostgreSQL refuses. */
export const Id = Type.String({
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
  maxLength: 36,
  description: 'A UUID, lower-case.',
});

export const LatLng = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90, description: 'Latitude, WGS 84.' }),
    lng: Type.Number({ minimum: -180, maximum: 180, description: 'Longitude, WGS 84.' }),
  },
  { additionalProperties: false },
);
export type LatLng = Static<typeof LatLng>;

export const LineString = Type.Object(
  {
    type: Type.Literal('LineString'),
    coordinates: Type.Array(
      Type.Tuple([
        Type.Number({ minimum: -180, maximum: 180 }),
        Type.Number({ minimum: -90, maximum: 90 }),
      ]),
      { minItems: 2, maxItems: 5000, description: '[longitude, latitude] pairs, as in GeoJSON.' },
    ),
  },
  { additionalProperties: false, description: 'A GeoJSON LineString.' },
);
export type LineString = Static<typeof LineString>;

/** Local time of day, 24-hour HH:MM. */
export const TimeOfDay = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', maxLength: 5 });
export const CalendarDate = Type.String({
  pattern: '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$',
  maxLength: 10,
});
export const Timestamp = Type.String({ format: 'date-time', maxLength: 40 });

/** Bounded text. PostgreSQL cannot store the NUL character, so no string may hold one. */
export const Text = (maxLength: number, minLength = 0, options: StringOptions = {}) =>
  Type.String({ ...options, minLength, maxLength, pattern: '^[^\\u0000]*$' });
/** A name-like string: bounded, not blank, no NUL. */
export const Name = (maxLength: number, options: StringOptions = {}) =>
  Type.String({
    ...options,
    minLength: 1,
    maxLength,
    pattern: '^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$',
  });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    errors: Type.Optional(
      Type.Array(Type.Object({ field: Type.String(), message: Type.String() })),
    ),
    reason: Type.Optional(
      Type.String({ description: 'Why, for translation: slot_full, time_overlap, …' }),
    ),
    params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
  },
  { description: 'RFC 9457 problem details.' },
);

/** Error responses every authenticated route may give. */
export const problemResponses = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
};

export const strictObject = <T extends Record<string, TSchema>>(properties: T) =>
  Type.Object(properties, { additionalProperties: false });

/** The body of an action that takes no input: nothing, or `{}`. */
export const EmptyBody = Type.Object({}, { additionalProperties: false });

/** A preValidation hook for routes with EmptyBody: a request without a body counts as `{}`; `null` stays invalid. */
export async function bodyMayBeEmpty(request: { body: unknown }): Promise<void> {
  if (request.body === undefined) request.body = {};
}

/** Writes a flaky phone may retry accept this header. */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 8,
      maxLength: 100,
      pattern: '^[A-Za-z0-9_.:-]+$',
      description:
        'A success is stored with its key: a retry gets it back and writes nothing new. ' +
        'A refusal (e.g. full) stores nothing, so its retry is decided afresh.',
    }),
  ),
});

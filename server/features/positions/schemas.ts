import { Type, type Static } from 'typebox';
import { Id, LatLng, Timestamp } from '../../schemas.ts';

export const CONTINGENT_STATUSES = ['assembling', 'marching', 'arrived', 'dispersed'] as const;
export const ContingentStatus = Type.Enum(CONTINGENT_STATUSES, {
  description: 'Where a contingent is in its day.',
});
export type ContingentStatus = Static<typeof ContingentStatus>;

/** Positions are kept only if measured within this long before they arrive. */
export const MAX_REPORT_AGE_MS = 5 * 60_000;
/** A phone's clock may run this far ahead of the server's. */
export const CLOCK_SKEW_MS = 5_000;
/** One accepted report per contingent per this long; phones send every 5 s at most. */
export const REPORT_INTERVAL_MS = 2_000;
/** A contingent with no report for this long is shown as stale. */
export const STALE_AFTER_MS = 2 * 60_000;

export const ContingentPosition = Type.Object({
  contingentId: Id,
  position: LatLng,
  accuracy: Type.Number({ description: 'Metres; about 200 when coarsened.' }),
  recordedAt: Timestamp,
  receivedAt: Timestamp,
  coarse: Type.Boolean({ description: 'Snapped to a grid of about 200 m, for volunteers.' }),
});
export type ContingentPosition = Static<typeof ContingentPosition>;

export const ReportPositionBody = Type.Object(
  {
    position: LatLng,
    accuracy: Type.Number({ minimum: 0, maximum: 1000, description: 'Metres, at most 1 km.' }),
    recordedAt: Type.String({
      format: 'date-time',
      maxLength: 40,
      description: 'When the phone measured it: not in the future, at most 5 minutes old.',
    }),
  },
  { additionalProperties: false },
);
export type ReportPositionBody = Static<typeof ReportPositionBody>;

export const SetStatusBody = Type.Object(
  { status: ContingentStatus },
  { additionalProperties: false },
);

export const ContingentStatusResult = Type.Object({
  contingentId: Id,
  status: ContingentStatus,
  statusChangedAt: Timestamp,
});
export type ContingentStatusResult = Static<typeof ContingentStatusResult>;

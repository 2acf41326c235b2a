// A contingent's statuses on the day, in the order it goes through them.
import type { CONTINGENT_STATUSES } from '../../../server/features/positions/schemas.ts';

/** The compiler holds this to the server's list, order included. */
export const STATUSES: typeof CONTINGENT_STATUSES = [
  'assembling',
  'marching',
  'arrived',
  'dispersed',
];

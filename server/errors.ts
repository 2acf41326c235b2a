// The one catalogue of coded errors services throw. They know nothing of HTTP; the
// error plugin maps each code to a status and an application/problem+json body.

export interface FieldError {
  /** JSON pointer-ish path of the field at fault, e.g. "/body/position/lat". */
  field: string;
  message: string;
}

export type ErrorCode =
  'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'INVALID' | 'TOO_MANY_REQUESTS';

/** Why a request was refused, for clients that show the reason in their own language. */
export interface Reason {
  reason: string;
  params: Record<string, string | number>;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
    readonly why: Reason | null = null,
    /** Seconds the client should wait before trying again (429). */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const Unauthorized = (message = 'Sign in through an invite link first.') =>
  new AppError('UNAUTHORIZED', message);
export const Forbidden = (message = 'You may not do this.') => new AppError('FORBIDDEN', message);
export const NotFound = (what: string) => new AppError('NOT_FOUND', `${what} was not found.`);
export const Conflict = (message: string, why: Reason | null = null) =>
  new AppError('CONFLICT', message, [], why);
export const Invalid = (field: string, message: string) =>
  new AppError('INVALID', message, [{ field, message }]);
export const TooManyRequests = (message: string, retryAfterSeconds: number) =>
  new AppError('TOO_MANY_REQUESTS', message, [], null, Math.max(1, Math.ceil(retryAfterSeconds)));

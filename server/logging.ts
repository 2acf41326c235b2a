// What the server's log may hold. A log is what a seized or leaked server gives away first,
// so it carries no token, cookie, display name, coordinate or message content: requests are
// logged by method and path (no addresses, no headers), and errors by their kind, code and
// stack with the values a database error quotes taken out. 5xx answers say nothing either
// (plugins/errors.ts); the log keeps what is needed to find the fault.
import type { FastifyRequest } from 'fastify';

/** Error fields that say where a fault is without quoting the data involved. */
const SAFE_FIELDS = ['code', 'statusCode', 'constraint', 'table', 'column', 'routine', 'severity'];

/**
 * Takes out what a database error quotes: drizzle's "params:" list of a failed query (names,
 * coordinates, message text) and PostgreSQL's quoted input values ('invalid input syntax for
 * type uuid: "…"'). The query text itself has only placeholders.
 */
export function withoutValues(text: string): string {
  return text
    .replace(/\nparams: .*/g, '\nparams: [not logged]')
    .replace(/: "[^"\n]*"/g, ': "[not logged]"');
}

interface LoggedError {
  [field: string]: unknown;
  type: string;
  message: string;
  stack: string;
}

/** An error as the log keeps it; a cause is kept the same way, a few levels deep. */
export function loggedError(error: unknown, depth = 0): LoggedError {
  if (!(error instanceof Error)) return { type: typeof error, message: '', stack: '' };
  const fields = error as unknown as Record<string, unknown>;
  const logged: LoggedError = {
    type: error.name,
    message: withoutValues(error.message),
    stack: withoutValues(error.stack ?? ''),
  };
  for (const field of SAFE_FIELDS) {
    const value = fields[field];
    if (typeof value === 'string' || typeof value === 'number') logged[field] = value;
  }
  if (error.cause !== undefined && depth < 3) logged.cause = loggedError(error.cause, depth + 1);
  return logged;
}

/** A request as the log keeps it: no client address, no headers (cookies, tokens). */
export function loggedRequest(request: FastifyRequest): { method: string; url: string } {
  return { method: request.method, url: request.url };
}

export const logSerializers = { req: loggedRequest, err: (error: unknown) => loggedError(error) };

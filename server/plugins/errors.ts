// Maps every error to application/problem+json (RFC 9457). Validation errors name the
// fields at fault; 5xx answers are generic while the log keeps the detail.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, type ErrorCode, type FieldError } from '../errors.ts';
import { sqlState } from './database.ts';

const STATUS: Record<ErrorCode, number> = {
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID: 400,
  TOO_MANY_REQUESTS: 429,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  /** A stable name for why a request was refused, e.g. slot_full, with what the detail names. */
  reason?: string;
  params?: Record<string, string | number>;
}

function validationFields(error: FastifyError): FieldError[] {
  const context = error.validationContext ?? 'body';
  return (error.validation ?? []).map((issue) => {
    let field = `/${context}${issue.instancePath}`;
    const params = issue.params as Record<string, unknown>;
    if (typeof params.missingProperty === 'string') field += `/${params.missingProperty}`;
    if (typeof params.additionalProperty === 'string') field += `/${params.additionalProperty}`;
    const message =
      typeof params.additionalProperty === 'string'
        ? 'is not a known field'
        : typeof params.missingProperty === 'string'
          ? 'is required'
          : (issue.message ?? 'is invalid');
    return { field, message };
  });
}

export function toProblem(error: FastifyError | AppError): Problem {
  if (error instanceof AppError) {
    const status = STATUS[error.code];
    const problem: Problem = {
      type: 'about:blank',
      title: TITLES[status] ?? 'Error',
      status,
      detail: error.message,
    };
    if (error.errors.length > 0) problem.errors = error.errors;
    if (error.why) Object.assign(problem, error.why);
    return problem;
  }
  if (error.validation) {
    const errors = validationFields(error);
    const first = errors[0];
    return {
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: first ? `${first.field} ${first.message}` : 'The request is invalid.',
      errors,
    };
  }
  const state = sqlState(error);
  if (state === '23505' || state === '23514' || state === '23503') {
    // A constraint caught what the service's checks did not (a race): nothing was written.
    return {
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: 'This conflicts with a change made at the same moment. Reload and try again.',
    };
  }
  const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
  return {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail: status >= 500 ? 'Something went wrong on our side. Please try again.' : error.message,
  };
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

async function errorsPlugin(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const problem = toProblem(error);
    if (error instanceof AppError && error.retryAfter) {
      reply.header('retry-after', String(error.retryAfter));
    }
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, problem);
  });
}

export default fp(errorsPlugin, { name: 'errors' });

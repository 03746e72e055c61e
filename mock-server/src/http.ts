/**
 * HTTP plumbing shared by the routes: errors with a status and a JSON body that names the
 * problem, body validation against the protocol schemas, and the error handler that turns
 * anything thrown into such a body without taking the server down.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type * as z from 'zod/mini';
import { describeIssues, summarizeIssues, type Schema } from './protocol.js';

export interface ErrorBody {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
  }

  body(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) } };
  }
}

/** Validates a value against a schema or throws a 400 that lists every problem. */
export function parse<S extends Schema>(schema: S, value: unknown, what = 'request body'): z.output<S> {
  if (value === undefined) {
    throw new ApiError(400, 'invalid_body', `the ${what} is missing: send JSON with Content-Type: application/json`);
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ApiError(400, 'invalid_body', `invalid ${what}: ${summarizeIssues(result.error)}`, describeIssues(result.error));
  }
  return result.data;
}

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json(new ApiError(404, 'not_found', `no route for ${req.method} ${req.path}`).body());
};

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
}

export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  let apiError: ApiError;
  const bodyError = err as BodyParserError;
  if (err instanceof ApiError) {
    apiError = err;
  } else if (bodyError?.type === 'entity.parse.failed') {
    apiError = new ApiError(400, 'invalid_json', `the request body is not valid JSON: ${bodyError.message}`);
  } else if (bodyError?.type === 'entity.too.large') {
    apiError = new ApiError(413, 'body_too_large', `the request body is over the ${bodyError.limit} byte limit`);
  } else if (typeof bodyError?.status === 'number' && bodyError.status >= 400 && bodyError.status < 500) {
    apiError = new ApiError(bodyError.status, bodyError.type ?? 'bad_request', bodyError.message);
  } else {
    console.error(`[mock-server] ${req.method} ${req.originalUrl} failed:`, err);
    apiError = new ApiError(500, 'internal', 'the server failed to handle this request; see its log');
  }
  if (res.headersSent) return;
  res.status(apiError.status).json(apiError.body());
};

/**
 * HTTP plumbing shared by the routes: errors with a status and a JSON body that names the
 * problem, body validation against the protocol schemas, and the error handler that turns
 * anything thrown (an ApiError, a DomainError from the model, anything else) into such a body
 * without taking the server down.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import * as v from 'valibot';
import { describeIssues, summarizeIssues, type Schema } from '../../protocol/issues.js';
import { DomainError, type FailureKind, type Issue } from './domain-error.js';
import { StorageError, StoreError } from './store.js';

export interface ErrorBody {
  error: { code: string; message: string; issues?: Issue[] };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: Issue[],
  ) {
    super(message);
  }

  body(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) } };
  }
}

/** Validates a value against a schema or throws a 400 that lists every problem. */
export function parse<S extends Schema>(schema: S, value: unknown, what = 'request body', code = 'invalid_body'): v.InferOutput<S> {
  if (value === undefined) {
    throw new ApiError(400, 'invalid_body', `the ${what} is missing: send JSON with Content-Type: application/json`);
  }
  const result = v.safeParse(schema, value);
  if (!result.success) {
    throw new ApiError(400, code, `invalid ${what}: ${summarizeIssues(result.issues)}`, describeIssues(result.issues));
  }
  return result.output;
}

/** The status code each kind of domain failure is answered with. */
const STATUS_OF: Record<FailureKind, number> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
};

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
  } else if (err instanceof DomainError) {
    apiError = new ApiError(STATUS_OF[err.kind], err.code, err.message, err.issues);
  } else if (err instanceof StoreError) {
    console.error(`[mock-server] ${req.method} ${req.originalUrl}: ${err.message}`);
    apiError = new ApiError(500, 'store_unreadable', `the server cannot read this workspace from its store: ${err.message}`);
  } else if (err instanceof StorageError) {
    // 503, not 500: the request was fine and nothing of it was kept, so the same request may be
    // sent again once the disk takes writes (PROTOCOL.md, "When the store cannot write").
    console.error(`[mock-server] ${req.method} ${req.originalUrl}: ${err.message}`);
    apiError = new ApiError(503, 'storage_unavailable', `the server cannot store this change: ${err.message}`);
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

/** Deeper than this, a JSON body is refused: no request of the protocol nests past 4. */
export const MAX_JSON_DEPTH = 32;
/** Keys refused anywhere in a body: copied onto a plain object they would reach its prototype. */
export const FORBIDDEN_JSON_KEYS = ['__proto__', 'constructor', 'prototype'];

/**
 * Refuses, before any route sees them, bodies that are not JSON and parsed JSON that nests too
 * deep or carries a prototype-shaped key. Walks the body without recursion.
 */
export const guardBody: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
  if (hasBody && !req.is('application/json')) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      `the request body must be JSON sent with Content-Type: application/json, not ${JSON.stringify(req.get('content-type') ?? 'none')}`,
    );
  }
  const stack: { value: unknown; depth: number; path: string }[] = [{ value: req.body, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) {
      throw new ApiError(400, 'too_deep', `the request body nests deeper than ${MAX_JSON_DEPTH} levels`);
    }
    for (const key of Object.keys(value)) {
      const at = path ? `${path}.${key}` : key;
      if (FORBIDDEN_JSON_KEYS.includes(key)) {
        throw new ApiError(400, 'forbidden_key', `the request body may not use the key "${key}" (at ${at})`, [
          { path: at, message: 'forbidden key' },
        ]);
      }
      stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1, path: at });
    }
  }
  next();
};

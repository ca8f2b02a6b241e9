/** Error codes a caller can see, with their HTTP status. */
export const errorStatus = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/**
 * An error caused by the caller (or a known unavailability), safe to show: the HTTP layer answers it as
 * `{ error: { code, message, details } }` with the code's status. Anything else becomes a generic 500.
 */
export class AppError extends Error {
  readonly status: number;
  constructor(readonly code: ErrorCode, message: string, readonly details?: unknown, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AppError';
    this.status = errorStatus[code];
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);

/** A 400 naming each field at fault, from a zod validation error: the one shape every edge answers with. */
export function validationFailed(message: string, error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): AppError {
  return new AppError('validation_failed', message, {
    issues: error.issues.map((issue) => ({ field: issue.path.map(String).join('.') || '(root)', message: issue.message })),
  });
}

/**
 * A write lost a race: someone changed the item since it was read (an eTag mismatch). The work must be re-run on
 * fresh state, not saved. Thrown by the conversation state storage, caught by the bot's runtime.
 */
export class ETagConflictError extends Error {
  constructor(readonly key: string) {
    super('state changed since it was read (eTag mismatch)');
    this.name = 'ETagConflictError';
  }
}

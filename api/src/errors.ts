import { ConflictError, databaseErrorOf, NotFoundError, ValidationError } from '@naravard/db';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from './logger.ts';

// The write errors are the domain's (db); the API answers them as typed results or with a code.
export { ConflictError, type FieldIssue, NotFoundError, ValidationError } from '@naravard/db';

/** A request the API refuses because of what the caller sent; `argument` names the argument. */
export class BadInputError extends GraphQLError {
  constructor(message: string, argument?: string) {
    super(message, { extensions: { code: 'BAD_USER_INPUT', ...(argument ? { argument } : {}) } });
  }
}

/**
 * What a client sees of an error. Errors the API raises on purpose (GraphQLError with a code)
 * pass as they are; a statement the database cancelled says so; anything else is logged in full
 * and shown only as an internal error, so SQL, parameters and stack traces never leave the server.
 */
export function formatErrorFor(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError ? error.originalError : error;
    // Pothos refuses some input itself (its errors are GraphQLErrors without a code).
    if (original?.constructor?.name === 'PothosValidationError') {
      // `node(id:)` with the ID of a type it cannot fetch: say so without naming how the API is built.
      const message = / does not support loading by id$/.test(formatted.message)
        ? 'No record that node(id:) can fetch has this ID.'
        : formatted.message;
      return { ...formatted, message, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
    }
    if (!original || original instanceof GraphQLError) return formatted;
    const database = databaseErrorOf(original);
    if (database?.code === '57014') {
      return {
        ...formatted,
        message: 'The database stopped this query because it ran too long. Narrow the filter or ask for smaller pages.',
        extensions: { code: 'QUERY_TIMEOUT' },
      };
    }
    const typed = TYPED_ERROR_CODES.get(original.constructor as never);
    if (typed) return { ...formatted, extensions: { ...formatted.extensions, code: typed } };
    logger.error({ err: original, path: formatted.path }, 'resolver failed');
    return {
      message: 'Internal server error.',
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

/** The caller's API key lacks the scope this operation needs (or there is no key). */
export class ForbiddenError extends Error {
  constructor(readonly requiredScope: string) {
    super(`This operation needs an API key with the "${requiredScope}" scope (Authorization: Bearer <key>).`);
    this.name = 'ForbiddenError';
  }
}

/** Errors raised on purpose, with the code they carry when they surface outside a typed result union. */
const TYPED_ERROR_CODES = new Map<unknown, string>([
  [ValidationError, 'BAD_USER_INPUT'],
  [NotFoundError, 'NOT_FOUND'],
  [ConflictError, 'CONFLICT'],
  [ForbiddenError, 'FORBIDDEN'],
]);

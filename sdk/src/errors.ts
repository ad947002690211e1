/** A GraphQL error as the API reports it: message, where, and a machine-readable code. */
export interface GraphQLErrorEntry {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

/** Anything the client could not get an answer for. */
export class NaravardError extends Error {
  override name = 'NaravardError';
}

/** The request never got an HTTP answer (refused, reset, timed out). Retried for reads. */
export class NetworkError extends NaravardError {
  override name = 'NetworkError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The API answered with errors instead of (or besides) data: a bad query, a limit, an outage. */
export class RequestError extends NaravardError {
  override name = 'RequestError';
  constructor(
    readonly status: number,
    readonly errors: GraphQLErrorEntry[],
  ) {
    super(errors.map((error) => error.message).join('; ') || `HTTP ${status}`);
  }

  /** The code of the first error (`UNAUTHENTICATED`, `BAD_USER_INPUT`, `QUERY_TOO_COMPLEX`, …). */
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

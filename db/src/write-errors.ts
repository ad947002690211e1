/*
 * Why a write did not happen. The Writer and the write rules raise these; nothing was written when
 * one is thrown, as the write's transaction rolls back. The API answers them as typed results.
 */

/** One problem with the input: where (the path of the field, e.g. ["input", "rows", 3, "period"]) and what. */
export interface FieldIssue {
  path: (string | number)[];
  message: string;
}

/** The input broke a rule; nothing was written. */
export class ValidationError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(
      issues.length === 1
        ? `Invalid input at ${issues[0]!.path.join('.')}: ${issues[0]!.message}`
        : `Invalid input: ${issues.length} problems, the first at ${issues[0]?.path.join('.')}: ${issues[0]?.message}`,
    );
    this.name = 'ValidationError';
  }
}

/** No live record of that type has that ID. */
export class NotFoundError extends Error {
  constructor(
    readonly typeName: string,
    readonly id: string,
    readonly path: (string | number)[] = [],
  ) {
    super(`No ${typeName} has the ID ${id}${path.length ? ` (at ${path.join('.')})` : ''}.`);
    this.name = 'NotFoundError';
  }
}

/** The record changed since the client read it: the client's version is stale. */
export class ConflictError extends Error {
  constructor(
    readonly typeName: string,
    readonly id: string,
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super(
      `${typeName} ${id} is at version ${currentVersion}, not ${expectedVersion}: someone changed it since you read it. Read it again and reapply your change.`,
    );
    this.name = 'ConflictError';
  }
}

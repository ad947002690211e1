import { GraphQLError } from 'graphql';

/** A request the API refuses because of what the caller sent; `path` names the argument. */
export class BadInputError extends GraphQLError {
  constructor(message: string, argument?: string) {
    super(message, { extensions: { code: 'BAD_USER_INPUT', ...(argument ? { argument } : {}) } });
  }
}

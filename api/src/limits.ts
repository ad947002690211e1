import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { type GraphQLField, GraphQLError, isListType, isNonNullType, type ValidationContext } from 'graphql';
import { DEFAULT_PAGE_SIZE } from './pagination.ts';

/**
 * Limits that keep one request from taking the service down. Checked before any resolver runs,
 * so a query over a limit costs no database work and gets an error that names the limit.
 */
export const LIMITS = {
  /** Deepest selection: region → meetings → agenda items → decisions → citations → document fits well. */
  depth: 15,
  /** Most fields selected in one operation. */
  breadth: 400,
  /** Estimated cost: each field costs 1, times the page size of the lists above it. */
  complexity: 100_000,
  /** Aliases per operation: enough for dashboards, too few to multiply one expensive field. */
  aliases: 30,
  /** Directives per operation. */
  directives: 20,
};

/** The multiplier of a bounded child list (a meeting's agenda items, an item's decisions). */
const CHILD_LIST_MULTIPLIER = 3;

/**
 * Cost of a field for the complexity limit: a connection costs as many times its selection as
 * the page it asks for; `edges` then adds nothing more; a plain list counts a few times.
 */
export function fieldComplexity(args: Record<string, unknown>, _context: unknown, field: GraphQLField<unknown, unknown>) {
  const pageSize = args.first ?? args.last;
  if ('first' in args || 'last' in args || field.args.some((arg) => arg.name === 'first')) {
    return { field: 1, multiplier: typeof pageSize === 'number' ? pageSize : DEFAULT_PAGE_SIZE };
  }
  const type = isNonNullType(field.type) ? field.type.ofType : field.type;
  if (field.name === 'edges') return { field: 1, multiplier: 1 };
  if (isListType(type)) return { field: 1, multiplier: CHILD_LIST_MULTIPLIER };
  return 1;
}

/** Reports a graphql-armor rejection as a validation error that names the limit (armor would throw). */
const reportAs =
  (limit: 'aliases' | 'directives') =>
  (context: ValidationContext | null, error: GraphQLError) =>
    context?.reportError(
      new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
        extensions: { code: 'QUERY_TOO_COMPLEX', limit, maximum: LIMITS[limit] },
      }),
    );

/** Validation rules from graphql-armor, run by Apollo Server before execution (a 400 response). */
export const validationRules = [
  maxAliasesRule({ n: LIMITS.aliases, exposeLimits: true, propagateOnRejection: false, onReject: [reportAs('aliases')] }),
  maxDirectivesRule({ n: LIMITS.directives, exposeLimits: true, propagateOnRejection: false, onReject: [reportAs('directives')] }),
];

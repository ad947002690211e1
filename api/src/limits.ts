import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { ApolloServerPlugin } from '@apollo/server';
import { complexityFromQuery } from '@pothos/plugin-complexity';
import {
  type ASTNode,
  type DocumentNode,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  getNamedType,
  GraphQLID,
  type GraphQLInputType,
  isInputObjectType,
  isListType as isList,
  type GraphQLField,
  GraphQLError,
  type GraphQLFormattedError,
  isListType,
  isNonNullType,
  type ValidationContext,
  TypeInfo,
  typeFromAST,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { globalIdParts } from './scalars.ts';
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
  /** Estimated cost: each field costs 1 (searches, aggregates and text filters more: COSTS), times the page size of the lists above it. */
  complexity: 100_000,
  /** Aliases per operation: enough for dashboards, too few to multiply one expensive field. */
  aliases: 30,
  /** Directives per operation. */
  directives: 20,
  /** Tokens in a document: the parser stops here, so a huge document is refused cheaply. */
  tokens: 20_000,
};

/** The multiplier of a bounded child list (a meeting's agenda items, an item's decisions). */
const CHILD_LIST_MULTIPLIER = 3;

/**
 * What work weighs beyond the rows it returns, in the units of the cost limit (a row's field is 1).
 * Measured on the seeded data: a search (full text over five tables, then trigram similarity when
 * the exact hits do not fill the page) takes about as long as reading 25,000 fields; an aggregate
 * scans an indicator's observations; a text filter scans its table with ILIKE.
 */
export const COSTS = {
  search: 25_000,
  aggregate: 5_000,
  textFilter: 500,
};

/** Fields whose own work costs more than a row's. */
const FIELD_COSTS: Record<string, number> = {
  search: COSTS.search,
  observationAggregates: COSTS.aggregate,
};

function ownCost(args: Record<string, unknown>, field: GraphQLField<unknown, unknown>): number {
  let cost = FIELD_COSTS[field.name] ?? 1;
  const filter = args.filter as { text?: unknown } | null | undefined;
  if (typeof filter?.text === 'string' && filter.text.trim() !== '') cost += COSTS.textFilter;
  return cost;
}

/**
 * Cost of a field for the complexity limit: its own work (see COSTS), plus, for a connection, as
 * many times its selection as the page it asks for; `edges` then adds nothing more; a plain list
 * counts a few times. The same estimate is charged to the client's rate limit (rate-limits.ts).
 */
export function fieldComplexity(args: Record<string, unknown>, _context: unknown, field: GraphQLField<unknown, unknown>) {
  const pageSize = args.first ?? args.last;
  const own = ownCost(args, field);
  if ('first' in args || 'last' in args || field.args.some((arg) => arg.name === 'first')) {
    return { field: own, multiplier: typeof pageSize === 'number' ? pageSize : DEFAULT_PAGE_SIZE };
  }
  const type = isNonNullType(field.type) ? field.type.ofType : field.type;
  if (field.name === 'edges') return { field: own, multiplier: 1 };
  if (isListType(type)) return { field: own, multiplier: CHILD_LIST_MULTIPLIER };
  return own;
}

/** How much an operation asks for: its estimated cost (see fieldComplexity), its depth and its breadth. */
export interface OperationMeasure {
  complexity: number;
  depth: number;
  breadth: number;
}

const measures = new WeakMap<object, OperationMeasure>();

/** The measure `queryLimits` took of the request whose GraphQL context this is (none when its variables did not fit). */
export const measureOf = (context: object): OperationMeasure | undefined => measures.get(context);

/** The refusal of an operation over a limit, naming the limit, the measure and the maximum. */
export function queryTooComplexError(limit: 'depth' | 'breadth' | 'complexity', actual: number): GraphQLError {
  const maximum = LIMITS[limit];
  return new GraphQLError(
    `The query's ${limit} is ${actual}, over the limit of ${maximum}. Ask for fewer fields or smaller pages (first/last).`,
    { extensions: { code: 'QUERY_TOO_COMPLEX', limit, actual, maximum, http: { status: 400 } } },
  );
}

/**
 * The variables whose values the measure reads (fieldComplexity): page sizes (`first`, `last`)
 * and a filter's text (`filter: $f`, `filter: { text: $t }`). A filter's other conditions (a
 * region, an indicator, a period) change no measure, so they do not split the cache.
 */
const PAGE_SIZE_ARGUMENTS = new Set(['first', 'last']);

/** Per operation: the variables that reach a measured argument; the others cannot change the measure. */
const measuredVariables = new WeakMap<OperationDefinitionNode, string[]>();

function variablesMeasured(document: DocumentNode, operation: OperationDefinitionNode): string[] {
  let names = measuredVariables.get(operation);
  if (!names) {
    const found = new Set<string>();
    let argument: string | null = null;
    // The input-object fields from the argument's value down to the variable.
    const fields: string[] = [];
    const visitor = {
      Argument: {
        enter: (node: { name: { value: string } }) => void (argument = node.name.value),
        leave: () => void (argument = null),
      },
      ObjectField: {
        enter: (node: { name: { value: string } }) => void fields.push(node.name.value),
        leave: () => void fields.pop(),
      },
      Variable: (node: { name: { value: string } }) => {
        if (argument === null) return;
        const measured = PAGE_SIZE_ARGUMENTS.has(argument) || (argument === 'filter' && (fields.length === 0 || fields[0] === 'text'));
        if (measured) found.add(node.name.value);
      },
    };
    // Fragments count whether or not this operation spreads them: a variable more only splits the cache.
    for (const definition of document.definitions) {
      if (definition === operation || definition.kind === Kind.FRAGMENT_DEFINITION) visit(definition, visitor);
    }
    measuredVariables.set(operation, (names = [...found].sort()));
  }
  return names;
}

/** Measures kept per document, keyed by the operation and the values of the variables that matter. */
const measuresByDocument = new WeakMap<DocumentNode, Map<string, OperationMeasure>>();
const MEASURES_PER_DOCUMENT = 500;

/**
 * The measure of an operation with these variables, or null when they do not fit its arguments.
 * A document is parsed once and reused by every request that sends it (Apollo's document cache),
 * and most variables (an ID, a region, a search's words) change no page size: the measure is
 * taken once for each set of values of the variables that can change it.
 */
export function measureOperation(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  schema: GraphQLSchema,
  variables: Record<string, unknown>,
): OperationMeasure | null {
  const names = variablesMeasured(document, operation);
  const key = `${operation.name?.value ?? ''}${names.length ? JSON.stringify(names.map((name) => variables[name] ?? null)) : ''}`;
  let byKey = measuresByDocument.get(document);
  if (!byKey) measuresByDocument.set(document, (byKey = new Map()));
  const known = byKey.get(key);
  if (known) return known;
  let measure: OperationMeasure;
  try {
    const single: DocumentNode = {
      kind: Kind.DOCUMENT,
      definitions: [operation, ...document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION)],
    };
    measure = complexityFromQuery(single, { schema, variables });
  } catch {
    return null;
  }
  if (byKey.size >= MEASURES_PER_DOCUMENT) byKey.clear();
  byKey.set(key, measure);
  return measure;
}

/**
 * Measures each operation once, before anything runs, and refuses it when it is over the depth,
 * breadth or cost limit. The measure (with the variables, which set the page sizes) is kept for
 * the request: the rate limit charges the same cost (rate-limits.ts), so it is not worked out twice.
 * Its hook never waits, so it has measured before the hooks of the plugins after it run.
 */
export const queryLimits: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue, document, operation, request, schema }) {
        if (!operation) return;
        const measure = measureOperation(document, operation, schema, request.variables ?? {});
        if (!measure) return; // Its variables do not fit: execution refuses it before any work.
        if (measure.depth > LIMITS.depth) throw queryTooComplexError('depth', measure.depth);
        if (measure.breadth > LIMITS.breadth) throw queryTooComplexError('breadth', measure.breadth);
        if (measure.complexity > LIMITS.complexity) throw queryTooComplexError('complexity', measure.complexity);
        measures.set(contextValue as object, measure);
      },
    };
  },
};

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
  // Every alias counts, `__typename` ones too: each one adds to the answer.
  maxAliasesRule({ n: LIMITS.aliases, allowList: [], exposeLimits: true, propagateOnRejection: false, onReject: [reportAs('aliases')] }),
  maxDirectivesRule({ n: LIMITS.directives, exposeLimits: true, propagateOnRejection: false, onReject: [reportAs('directives')] }),
];


// graphql-js spells it "more that" in some versions.
const TOKEN_LIMIT = /^Syntax Error: Document contains more th(?:an|at) \d+ tokens/;

/**
 * A refusal for a limit, reported the same way whichever check made it: the parser's token limit,
 * and the validation rules above (which Apollo would label GRAPHQL_VALIDATION_FAILED).
 */
export function limitErrorOf(formatted: GraphQLFormattedError): GraphQLFormattedError | undefined {
  if (TOKEN_LIMIT.test(formatted.message)) {
    return {
      message: `The document has more than ${LIMITS.tokens} tokens, over the limit. Send a smaller query; put bulk data in variables.`,
      extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'tokens', maximum: LIMITS.tokens },
    };
  }
  if (formatted.extensions?.limit && formatted.extensions.code === 'GRAPHQL_VALIDATION_FAILED') {
    return { ...formatted, extensions: { ...formatted.extensions, code: 'QUERY_TOO_COMPLEX' } };
  }
  return undefined;
}

/** A NUL character: no text column stores it, so PostgreSQL would refuse it mid-statement. */
const NUL = '\u0000';

/** Refuses the request as bad input naming the argument (a path like `filter.text`, or a variable like `$f.text`). */
function refuseNul(argument: string): never {
  throw new GraphQLError(`"${argument}" must not contain a NUL character (\\u0000).`, {
    extensions: { code: 'BAD_USER_INPUT', argument, http: { status: 400 } },
  });
}

function refuseId(argument: string): never {
  throw new GraphQLError(`"${argument}" is not an ID this API gave out.`, {
    extensions: { code: 'BAD_USER_INPUT', argument, http: { status: 400 } },
  });
}

/** The path of the first ID inside a variable's value that is no global ID. */
function malformedIdIn(value: unknown, type: GraphQLInputType, path: string): string | undefined {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (value === null || value === undefined) return undefined;
  if (isList(inner)) {
    const items = Array.isArray(value) ? value : [value];
    for (const [index, item] of items.entries()) {
      const found = malformedIdIn(item, inner.ofType, `${path}[${index}]`);
      if (found) return found;
    }
  } else if (isInputObjectType(inner) && typeof value === 'object') {
    for (const [name, field] of Object.entries(inner.getFields())) {
      if (acceptsNames(field.extensions)) continue;
      const found = malformedIdIn((value as Record<string, unknown>)[name], field.type, `${path}.${name}`);
      if (found) return found;
    }
  } else if (inner === GraphQLID && typeof value === 'string' && !globalIdParts(value)) {
    return path;
  }
  return undefined;
}

/** The path of the first string inside a variable's value that holds a NUL character. */
function nulIn(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? path : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = nulIn(item, `${path}[${index}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = nulIn(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Checks every string the request carries, in the document and in its variables, before anything
 * runs: text with a NUL character is refused as bad input naming the argument or variable.
 */
/** Documents whose literals passed a check ('nul', 'ids'); a document that fails is checked again each time. */
const literalsChecked = new WeakMap<object, Set<'nul' | 'ids'>>();

/** The variables of a document that are used only where a name is taken as well as an ID. */
const nameVariables = new WeakMap<object, Set<string>>();

/**
 * The extension an ID argument or input field has when it also takes a name (an organisation's,
 * resolved by the resolver, which refuses unknown names itself): such values are not checked as IDs here.
 */
export const ACCEPTS_NAMES = 'naravardAcceptsNames';

function acceptsNames(extensions: Readonly<Record<string, unknown>> | null | undefined): boolean {
  return extensions?.[ACCEPTS_NAMES] === true;
}

export const inputChecks: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ document, request, operation, schema }) {
        // The literals are the document's: checked once per document (Apollo reuses parsed documents).
        let passed = literalsChecked.get(document);
        if (!passed) literalsChecked.set(document, (passed = new Set()));
        if (!passed.has('nul')) {
          const names: string[] = [];
          visit(document as ASTNode, {
            Argument: { enter: (node) => void names.push(node.name.value), leave: () => void names.pop() },
            ObjectField: { enter: (node) => void names.push(node.name.value), leave: () => void names.pop() },
            StringValue(node) {
              if (node.value.includes(NUL)) refuseNul(names.join('.') || 'value');
            },
          });
          passed.add('nul');
        }
        for (const [name, value] of Object.entries(request.variables ?? {})) {
          const found = nulIn(value, `$${name}`);
          if (found) refuseNul(found);
        }
        // Reads refuse a malformed global ID naming its argument; writes answer it with a ValidationError.
        if (operation?.operation !== 'query') return;
        if (!passed.has('ids')) {
          const typeInfo = new TypeInfo(schema);
          const path: string[] = [];
          // Whether the argument or input field being visited takes a name as well as an ID.
          const takesNames: boolean[] = [];
          const usages = new Map<string, boolean>();
          visit(
            document as ASTNode,
            visitWithTypeInfo(typeInfo, {
              Argument: {
                enter: (node) => {
                  path.push(node.name.value);
                  takesNames.push(acceptsNames(typeInfo.getArgument()?.extensions));
                },
                leave: () => {
                  path.pop();
                  takesNames.pop();
                },
              },
              ObjectField: {
                enter: (node) => {
                  path.push(node.name.value);
                  const parent = typeInfo.getParentInputType();
                  const named = parent ? getNamedType(parent) : undefined;
                  takesNames.push(isInputObjectType(named) && acceptsNames(named.getFields()[node.name.value]?.extensions));
                },
                leave: () => {
                  path.pop();
                  takesNames.pop();
                },
              },
              StringValue(node) {
                const type = typeInfo.getInputType();
                if (takesNames.at(-1)) return;
                if (type && getNamedType(type) === GraphQLID && !globalIdParts(node.value)) refuseId(path.join('.') || 'id');
              },
              Variable(node) {
                if (!path.length) return;
                const name = node.name.value;
                usages.set(name, (usages.get(name) ?? true) && takesNames.at(-1) === true);
              },
            }),
          );
          nameVariables.set(document, new Set([...usages].filter(([, names]) => names).map(([name]) => name)));
          passed.add('ids');
        }
        const namesOnly = nameVariables.get(document);
        for (const definition of operation.variableDefinitions ?? []) {
          const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
          const name = definition.variable.name.value;
          // A variable used only where names are taken too ("Regionstyrelsen" for an Organisation) may hold one.
          if (namesOnly?.has(name)) continue;
          const found = type && malformedIdIn(request.variables?.[name], type, `$${name}`);
          if (found) refuseId(found);
        }
      },
    };
  },
};

import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { type DocumentNode, execute, type ExecutionResult, GraphQLError, type GraphQLSchema } from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';

/**
 * Executes queries with graphql-jit: a document is compiled once into a JavaScript function that
 * resolves exactly its fields (no per-field lookups of the schema, of arguments or of the type of
 * each value), then run for every request that sends it. Apollo Server parses, validates, applies
 * the limits and formats errors as before; only execution changes.
 *
 * The answers are the same as graphql-js's (a test runs every operation of the SDK through both).
 * graphql-js still runs what the compiler does not take on: mutations (each is one transaction,
 * where the order of fields matters more than speed), subscriptions, documents it cannot compile,
 * a request naming no operation the document holds,
 * and requests whose variables do not fit the operation (so the errors keep graphql-js's wording
 * and Apollo's BAD_USER_INPUT code).
 */
export function compiledExecutor(schema: GraphQLSchema): GatewayExecutor {
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | null>>();
  const compiledFor = (document: DocumentNode, operationName: string | undefined): CompiledQuery | null => {
    let byOperation = compiled.get(document);
    if (!byOperation) compiled.set(document, (byOperation = new Map()));
    const key = operationName ?? '';
    let query = byOperation.get(key);
    if (query === undefined) {
      const result = compileQuery(schema, document, operationName, { disablingCapturingStackErrors: true });
      query = isCompiledQuery(result) ? result : null;
      byOperation.set(key, query);
    }
    return query;
  };

  return async (requestContext) => {
    const { document, operation, request, context } = requestContext;
    // The name the client asked for (the context's own is null when none matched).
    const operationName = request.operationName ?? undefined;
    const variables = request.variables ?? {};
    const query = operation?.operation === 'query' ? compiledFor(document, operationName) : null;
    if (query) {
      const result = await query.query(undefined, context, variables);
      // Without data, the variables did not fit: graphql-js says why, in its words.
      if (result.data !== undefined) return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
    }
    return (await execute({
      schema,
      document,
      contextValue: context,
      variableValues: variables,
      operationName,
    })) as ExecutionResult;
  };
}

/**
 * graphql-jit's errors are GraphQLErrors without `extensions` when the error a resolver threw has
 * none; Apollo Server and the error formatting expect the object graphql-js makes. Same message,
 * locations, path and original error.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  if (error.extensions) return error;
  const rebuilt = new GraphQLError(error.message, { path: error.path, originalError: error.originalError });
  (rebuilt as { locations: GraphQLError['locations'] }).locations = error.locations;
  return rebuilt;
}

/**
 * The schema and executor in the form Apollo Server takes them (its gateway interface, the hook
 * it offers for another executor). The schema never changes while the server runs.
 */
export function compiledGateway(schema: GraphQLSchema): GatewayInterface {
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    async load() {
      return { executor: compiledExecutor(schema) };
    },
    async stop() {},
  };
}

import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import ErrorsPlugin from '@pothos/plugin-errors';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import RelayPlugin from '@pothos/plugin-relay';
import type { Context } from './context.ts';
import { hasScope } from './auth.ts';
import { ForbiddenError } from './errors.ts';
import { fieldComplexity } from './limits.ts';
import {
  decodeGlobalId,
  literalString,
  parseDate,
  parseDateTime,
  parseDecimal,
  parsePeriod,
} from './scalars.ts';

export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: { write: boolean; admin: boolean };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  Scalars: {
    Date: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    Period: { Input: string; Output: string };
    Decimal: { Input: string; Output: string };
    JSONObject: { Input: never; Output: unknown };
  };
}>({
  defaultFieldNullability: false,
  // The errors plugin comes before scope-auth so an authorisation failure becomes a typed
  // ForbiddenError in a mutation's result union, like the other errors of a write.
  plugins: [ErrorsPlugin, ScopeAuthPlugin, RelayPlugin, ComplexityPlugin],
  scopeAuth: {
    authScopes: (context) => ({
      write: hasScope(context.principal, 'write'),
      admin: hasScope(context.principal, 'admin'),
    }),
    unauthorizedError: (_parent, _context, _info, result) =>
      new ForbiddenError(/admin/.test(JSON.stringify(result)) ? 'admin' : 'write'),
  },
  errors: {
    directResult: true,
    defaultUnionOptions: { name: ({ fieldName }) => `${fieldName.slice(0, 1).toUpperCase()}${fieldName.slice(1)}Result` },
  },
  complexity: {
    fieldComplexity: fieldComplexity as never,
    // The limits are checked once per request, before execution, by the query limits' plugin
    // (limits.ts), whose measure the rate limit charges too; the plugin here only declares each
    // field's cost for that measure.
    disabled: true,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
    nodeQueryOptions: { description: 'Fetches any record by its global ID.' },
    nodesQueryOptions: { description: 'Fetches records by their global IDs, in the order given (null where none is found).' },
    pageInfoTypeOptions: { description: 'Where a page stands in a list, for paging forward and backward.' },
    nodeTypeOptions: { description: 'A record with a global ID that `node(id:)` resolves.' },
    idFieldOptions: { description: 'Global ID: opaque and stable; `node(id:)` resolves it.' },
    decodeGlobalID: decodeGlobalId,
  },
});

builder.queryType({ description: 'Reads. Public: these are public records.' });

builder.mutationType({
  description:
    'Writes. Each mutation is one transaction, recorded in the change log; it needs `Authorization: Bearer <API key>` with the `write` scope (key management: `admin`).',
});

builder.scalarType('Date', {
  description: 'A calendar date, "YYYY-MM-DD".',
  serialize: (value) => value,
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(literalString('Date', ast)),
});

builder.scalarType('DateTime', {
  description: 'An instant, ISO 8601 with a time zone: "2025-03-25T09:30:00.000Z".',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString()),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(literalString('DateTime', ast)),
});

builder.scalarType('Period', {
  description: 'A reporting period: a year "2018", a quarter "2018-Q3" or a month "2018-05".',
  serialize: (value) => value,
  parseValue: parsePeriod,
  parseLiteral: (ast) => parsePeriod(literalString('Period', ast)),
});

builder.scalarType('Decimal', {
  description:
    'An exact decimal number as a string ("51900000.00", "148", "0.42"). Money is in SEK; a string keeps every öre exact.',
  serialize: (value) => value,
  parseValue: parseDecimal,
  parseLiteral: (ast) => parseDecimal(literalString('Decimal', ast)),
});

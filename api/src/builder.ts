import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import RelayPlugin from '@pothos/plugin-relay';
import type { Context } from './context.ts';
import {
  literalString,
  parseDate,
  parseDateTime,
  parseDecimal,
  parsePeriod,
} from './scalars.ts';

export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  Scalars: {
    Date: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    Period: { Input: string; Output: string };
    Decimal: { Input: string; Output: string };
  };
}>({
  defaultFieldNullability: false,
  plugins: [RelayPlugin, DataloaderPlugin],
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
    nodeQueryOptions: { description: 'Fetches any record by its global ID.' },
    nodesQueryOptions: { description: 'Fetches records by their global IDs, in the order given (null where none is found).' },
    pageInfoTypeOptions: { description: 'Where a page stands in a list, for paging forward and backward.' },
    nodeTypeOptions: { description: 'A record with a global ID that `node(id:)` resolves.' },
  },
});

builder.queryType({ description: 'Reads. Public: these are public records.' });

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

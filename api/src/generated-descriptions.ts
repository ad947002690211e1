import { type GraphQLSchema, isObjectType, isUnionType } from 'graphql';

const ARGUMENTS: Record<string, string> = {
  first: 'How many records to return from the start (after `after`); at most 100, 20 if no size is given.',
  after: 'Return records after this cursor (from `pageInfo.endCursor` or an edge).',
  last: 'How many records to return from the end (before `before`); at most 100.',
  before: 'Return records before this cursor (from `pageInfo.startCursor` or an edge).',
};

/**
 * The Relay and errors plugins generate types without descriptions (connections, edges, mutation
 * result unions); GraphiQL shows descriptions as the documentation, so every generated type, field
 * and paging argument gets one here, in one place.
 */
export function describeGeneratedTypes(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    const result = /^(.+)Result$/.exec(type.name);
    if (isUnionType(type) && result) {
      const mutation = `${result[1]!.slice(0, 1).toLowerCase()}${result[1]!.slice(1)}`;
      type.description ??= `What \`${mutation}\` answers: the record written, or a WriteError saying why nothing was written.`;
    }
    if (!isObjectType(type)) continue;
    const edge = /^(.+)ConnectionEdge$/.exec(type.name);
    const connection = /^(.+)Connection$/.exec(type.name);
    const fields = type.getFields();
    if (edge) {
      type.description ??= `One ${edge[1]} in a page of results, with its cursor.`;
      if (fields.node) fields.node.description ??= `The ${edge[1]}.`;
      if (fields.cursor) fields.cursor.description ??= 'Where this record stands in the list: pass it as `after` or `before` to page from here.';
    } else if (connection) {
      type.description ??= `A page of ${connection[1]} records, with cursors for paging.`;
      if (fields.edges) fields.edges.description ??= 'The records of this page, each with its cursor.';
      if (fields.pageInfo) fields.pageInfo.description ??= 'Whether there are more pages, and the cursors to reach them.';
    }
    if (type.name === 'PageInfo') {
      const descriptions: Record<string, string> = {
        hasNextPage: 'Whether more records follow this page.',
        hasPreviousPage: 'Whether records precede this page.',
        startCursor: 'The cursor of the first record of this page.',
        endCursor: 'The cursor of the last record of this page: pass it as `after` for the next page.',
      };
      for (const [name, description] of Object.entries(descriptions)) if (fields[name]) fields[name].description ??= description;
    }
    for (const field of Object.values(fields)) {
      for (const arg of field.args) arg.description ??= ARGUMENTS[arg.name] ?? (arg.name === 'id' ? 'A global ID.' : arg.name === 'ids' ? 'Global IDs.' : undefined);
    }
  }
  return schema;
}

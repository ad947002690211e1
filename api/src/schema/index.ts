import { lexicographicSortSchema } from 'graphql';
import { builder } from '../builder.ts';
import './connections.ts';
import './bookkeeping.ts';
import './regions.ts';

/** The whole GraphQL schema, built from every domain module above. */
export const schema = lexicographicSortSchema(builder.toSchema());

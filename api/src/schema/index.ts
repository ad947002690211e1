import { lexicographicSortSchema } from 'graphql';
import { builder } from '../builder.ts';
import './connections.ts';
import './bookkeeping.ts';
import './provenance.ts';
import './regions.ts';
import './organisations.ts';
import './meetings.ts';
import './decisions.ts';
import './assignments.ts';
import './audits.ts';
import './grants.ts';
import './indicators.ts';
import './documents.ts';
import './topics.ts';

/** The whole GraphQL schema, built from every domain module above. */
export const schema = lexicographicSortSchema(builder.toSchema());

import { lexicographicSortSchema } from 'graphql';
import { builder } from '../builder.ts';
import { describeGeneratedTypes } from '../generated-descriptions.ts';
import './connections.ts';
import './bookkeeping.ts';
import './provenance.ts';
import './errors.ts';
import './regions.ts';
import './organisations.ts';
import './meetings.ts';
import './decisions.ts';
import './assignments.ts';
import './dates.ts';
import './links.ts';
import './document-records.ts';
import './audits.ts';
import './grants.ts';
import './indicators.ts';
import './documents.ts';
import './topics.ts';
import './api-keys.ts';
import './changes.ts';
import './imports.ts';
import './search.ts';
import './drafts.ts';

/** The whole GraphQL schema, built from every domain module above. */
export const schema = describeGeneratedTypes(lexicographicSortSchema(builder.toSchema()));

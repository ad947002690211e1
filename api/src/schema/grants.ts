import { tables } from '@naravard/db';
import { builder } from '../builder.ts';
import { entityNode, taggedEntityNode } from '../nodes.ts';
import { Allocation, type AllocationRow, Grant, GrantProgramme, type GrantProgrammeRow, type GrantRow } from './refs.ts';

builder.node(GrantProgramme, {
  ...taggedEntityNode<GrantProgrammeRow>(tables.grantProgrammes),
  description: 'A grant programme: the state grant for nära vård, Patientmiljarden, the mental-health grant.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The name of the programme.' }),
  }),
});

builder.node(Grant, {
  ...entityNode<GrantRow>(tables.grants),
  description: 'An amount granted to a region or an organisation for a period.',
  fields: (t) => ({
    amountSek: t.expose('amountSek', { type: 'Decimal', nullable: true, description: 'The amount in SEK, exact.' }),
  }),
});

builder.node(Allocation, {
  ...entityNode<AllocationRow>(tables.allocations),
  description: 'Money passed on from a grant: an amount, a rate, or a ceiling.',
  fields: (t) => ({
    description: t.exposeString('description', { nullable: true, description: 'What the allocation is for.' }),
  }),
});

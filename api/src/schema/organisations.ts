import { tables } from '@naravard/db';
import { builder } from '../builder.ts';
import { entityNode } from '../nodes.ts';
import { Membership, type MembershipRow, Organisation, type OrganisationRow, Person, type PersonRow } from './refs.ts';

builder.node(Organisation, {
  ...entityNode<OrganisationRow>(tables.organisations),
  description: 'A body in the records: board (nämnd), committee (beredning), steering group, administration, health centre (vårdcentral), municipality (kommun), national body.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The name as the records give it, corrected.' }),
  }),
});

builder.node(Person, {
  ...entityNode<PersonRow>(tables.people),
  description: 'A person named in the records.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Full name.' }),
  }),
});

builder.node(Membership, {
  ...entityNode<MembershipRow>(tables.memberships),
  description: "A person's role in an organisation, with the title the records give.",
  fields: (t) => ({
    title: t.exposeString('title', { nullable: true, description: 'The title ("Programchef").' }),
  }),
});

import { tables } from '@naravard/db';
import { asc, sql } from 'drizzle-orm';
import { builder } from '../../builder.ts';
import { allOf, takesNames, filterId, lifecycleConditions, lifecycleFilterFields, resolveFilterNames, textMatches } from '../../filters.ts';
import { loadChildren, loadReference } from '../../loaders.ts';
import { entityNode } from '../nodes.ts';
import { paginateTable } from '../../pagination.ts';
import { Membership, type MembershipRow, Organisation, type OrganisationRow, Person, type PersonRow } from '../refs.ts';

/* People and their memberships of organisations as nodes, the list of people and its root field. */

builder.node(Person, {
  ...entityNode<PersonRow>(tables.people),
  description: 'A person named in the records: an office-holder, a presenter, someone given an assignment.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Full name, corrected.' }),
    aliases: t.exposeStringList('aliases', { description: 'Other spellings of the name met in the documents.' }),
    memberships: t.field({
      type: [Membership],
      description: 'The bodies this person belongs to, with the title the records give.',
      resolve: (person, _args, context) =>
        loadChildren<MembershipRow>(
          context,
          {
            table: tables.memberships,
            foreignKey: tables.memberships.personId,
            orderBy: [asc(tables.memberships.organisationId), asc(tables.memberships.id)],
          },
          person.id,
        ),
    }),
  }),
});

builder.node(Membership, {
  ...entityNode<MembershipRow>(tables.memberships),
  description: "A person's role in an organisation, with the title the records give (\"Programchef\").",
  fields: (t) => ({
    person: t.field({
      type: Person,
      description: 'The person.',
      resolve: async (membership, _args, context, info) =>
        (await loadReference<PersonRow>(context, tables.people, membership.personId, info))!,
    }),
    organisation: t.field({
      type: Organisation,
      description: 'The body.',
      resolve: async (membership, _args, context, info) =>
        (await loadReference<OrganisationRow>(context, tables.organisations, membership.organisationId, info))!,
    }),
    title: t.exposeString('title', { nullable: true, description: 'The title ("Programchef", "Hälso- och sjukvårdsdirektör").' }),
    startedOn: t.expose('startedOn', { type: 'Date', nullable: true, description: 'When the role began, if known.' }),
    endedOn: t.expose('endedOn', { type: 'Date', nullable: true, description: 'When the role ended, if known.' }),
  }),
});

const PersonFilter = builder.inputType('PersonFilter', {
  description: 'Narrows a list of people. Conditions combine with AND.',
  fields: (t) => ({
    text: t.string({ description: 'Words in the name or any other spelling of it, matched as `search` matches them: whole words in any inflection, accents and case ignored, every word required ("quoted phrase", `or`, -word).' }),
    organisation: t.id({ ...takesNames, description: 'Members of this body (its Organisation ID or name), by their memberships.' }),
    ...lifecycleFilterFields(t),
  }),
});

const PersonOrder = builder.enumType('PersonOrder', {
  description: 'Orders of a list of people; ties are broken by ID so paging is stable.',
  values: {
    NAME: { description: 'By name, ascending (the default).' },
    UPDATED_AT: { description: 'By last change, oldest first: the order for incremental refresh.' },
  },
});

type PersonFilterShape = typeof PersonFilter.$inferInput;

function personConditions(filter: PersonFilterShape | null | undefined) {
  const p = tables.people;
  const m = tables.memberships;
  const organisationId = filterId(filter?.organisation, 'Organisation', 'organisation');
  return allOf([
    ...lifecycleConditions(p, filter),
    organisationId
      ? sql`exists (select 1 from ${m} where ${m.personId} = ${p.id} and ${m.organisationId} = ${organisationId} and ${m.deletedAt} is null)`
      : undefined,
    textMatches([p.name, sql`array_to_string(${p.aliases}, ' ')`], filter?.text),
  ]);
}

builder.queryFields((t) => ({
  people: t.connection({
    type: Person,
    description: 'People named in the records.',
    args: {
      filter: t.arg({ type: PersonFilter, description: 'Which people.' }),
      orderBy: t.arg({ type: PersonOrder, defaultValue: 'NAME', description: 'In which order.' }),
    },
    resolve: async (_root, args, context) =>
      paginateTable<PersonRow>({
        db: context.db,
        table: tables.people,
        where: personConditions(await resolveFilterNames(context, args.filter)),
        order:
          args.orderBy === 'UPDATED_AT'
            ? [{ column: tables.people.updatedAt, direction: 'asc' }]
            : [{ column: tables.people.name, direction: 'asc' }],
        args,
      }),
  }),
}));

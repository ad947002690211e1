import { requireLiveOwners, requireNothingLiveUnder, tables } from '@naravard/db';
import { and, count, eq, isNull } from 'drizzle-orm';
import { builder } from '../../builder.ts';
import { ValidationError } from '../../errors.ts';
import { deleteField, restoreField, updateField } from '../../mutation-fields.ts';
import { parseInput, rules, write } from '../../writes.ts';
import { WRITE_ERRORS } from '../../write-error-types.ts';
import { aliasesRule } from '../organisations/write-rules.ts';
import { citationsField } from '../citations.ts';
import { ruledInput, ruledPatch } from '../../ruled-inputs.ts';
import { Membership, type MembershipRow, Person, type PersonRow } from '../refs.ts';

/* The rules, inputs and mutations of people and their memberships. A person is refused a delete while live memberships point at them; a membership is refused a restore while its person or organisation is deleted. */

const name = rules.text(300);
const membershipTitle = rules.text(300).nullish();

const CreatePersonInput = ruledInput('CreatePersonInput', {
  description: 'A person named in the records.',
  fields: {
    name: { type: 'String', description: 'Full name, corrected, at most 300 characters.', rule: name },
    aliases: { type: ['String'], description: 'Other spellings of the name met in the documents.', rule: aliasesRule.default([]) },
    citations: citationsField('Passages naming the person.'),
  },
});

const PersonPatch = ruledPatch('PersonPatch', {
  description: 'Fields of a person to change; fields left out stay as they are.',
  fields: {
    name: { type: 'String', description: 'New name.', rule: name },
    aliases: {
      type: ['String'],
      description: 'The new list of other spellings (replaces the old one; null clears it).',
      rule: aliasesRule.nullable().transform((aliases) => aliases ?? []),
    },
  },
});

const AddMembershipInput = ruledInput('AddMembershipInput', {
  description: "A person's role in a body, with the title the records give.",
  fields: {
    person: { type: 'ID', description: 'The Person (ID).', rule: rules.globalId('Person') },
    organisation: { type: 'ID', description: 'The Organisation (ID).', rule: rules.globalId('Organisation') },
    title: { type: 'String', description: 'The title ("Programchef"), at most 300 characters.', rule: membershipTitle },
    startedOn: { type: 'Date', description: 'When the role began, if known.', rule: rules.date.nullish() },
    endedOn: { type: 'Date', description: 'When the role ended, if known; not before `startedOn`.', rule: rules.date.nullish() },
    citations: citationsField('Passages supporting the membership.'),
  },
  check: (membership, context) => {
    if (membership.startedOn && membership.endedOn && membership.endedOn < membership.startedOn) {
      context.addIssue({ code: 'custom', message: 'the role must not end before it starts', path: ['endedOn'] });
    }
  },
});

const MembershipPatch = ruledPatch('MembershipPatch', {
  description:
    'Fields of a membership to change; fields left out stay, null clears. To record that a role ended, set `endedOn`. The person and the body are fixed: delete the membership and add another to change them.',
  fields: {
    title: { type: 'String', description: 'New title.', rule: membershipTitle },
    startedOn: { type: 'Date', description: 'New start date.', rule: rules.date.nullish() },
    endedOn: { type: 'Date', description: 'New end date (the day the role ended).', rule: rules.date.nullish() },
  },
});

builder.mutationFields((t) => ({
  createPerson: t.field({
    type: Person,
    description: 'Adds a person named in the records. Needs the `write` scope.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: CreatePersonInput.ref, required: true, description: 'The person.' }) },
    resolve: async (_root, args, context) => {
      const input = parseInput(CreatePersonInput.rules, args.input);
      return write(context, async (writer) => {
        const person = await writer.create<PersonRow & { version: number }>('Person', { name: input.name, aliases: input.aliases });
        await writer.cite('Person', person.id, input.citations, ['input', 'citations']);
        return person;
      });
    },
  }),
  updatePerson: updateField(t, {
    ref: Person,
    description: 'Changes the name or other spellings of a person. A stale `version` is a ConflictError.',
    idDescription: 'The person.',
    patch: PersonPatch,
  }),
  deletePerson: deleteField(t, {
    ref: Person,
    description:
      'Deletes a person (a tombstone an admin can restore). Refused while live memberships point at them; participations and assignments keep pointing at the tombstone.',
    idDescription: 'The person.',
    beforeDelete: async (writer, { id }) => {
      const m = tables.memberships;
      await requireNothingLiveUnder([
        { count: writer.tx.select({ value: count() }).from(m).where(and(eq(m.personId, id), isNull(m.deletedAt))), what: 'membership(s)' },
      ]);
    },
  }),
  restorePerson: restoreField(t, {
    ref: Person,
    description: 'Brings back a deleted person. Needs the `admin` scope.',
    idDescription: 'The deleted person.',
  }),

  addMembership: t.field({
    type: Membership,
    description: "Records a person's role in a body, with title and dates (`startedOn` not after `endedOn`). Needs the `write` scope.",
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: AddMembershipInput.ref, required: true, description: 'The membership.' }) },
    resolve: async (_root, args, context) => {
      const input = parseInput(AddMembershipInput.rules, args.input);
      return write(context, async (writer) => {
        await writer.requireLive([
          { entity: 'Person', id: input.person, path: ['input', 'person'] },
          { entity: 'Organisation', id: input.organisation, path: ['input', 'organisation'] },
        ]);
        const membership = await writer.create<MembershipRow & { version: number }>('Membership', {
          personId: input.person,
          organisationId: input.organisation,
          title: input.title ?? null,
          startedOn: input.startedOn ?? null,
          endedOn: input.endedOn ?? null,
        });
        await writer.cite('Membership', membership.id, input.citations, ['input', 'citations']);
        return membership;
      });
    },
  }),
  updateMembership: updateField(t, {
    ref: Membership,
    description:
      'Changes the title or dates of a membership; set `endedOn` to record that the role ended. The dates must stay in order. A stale `version` is a ConflictError.',
    idDescription: 'The membership.',
    patch: MembershipPatch,
    check: (_writer, { patch, current }) => {
      const startedOn = patch.startedOn !== undefined ? patch.startedOn : current.startedOn;
      const endedOn = patch.endedOn !== undefined ? patch.endedOn : current.endedOn;
      if (startedOn && endedOn && endedOn < startedOn) {
        throw new ValidationError([
          {
            path: ['patch', patch.endedOn !== undefined ? 'endedOn' : 'startedOn'],
            message: `the role must not end (${endedOn}) before it starts (${startedOn})`,
          },
        ]);
      }
    },
  }),
  deleteMembership: deleteField(t, {
    ref: Membership,
    description:
      'Deletes a membership recorded in error (a tombstone an admin can restore). A role that ended is not deleted: set its `endedOn` with updateMembership.',
    idDescription: 'The membership.',
  }),
  restoreMembership: restoreField(t, {
    ref: Membership,
    description: 'Brings back a deleted membership; refused while its person or body is deleted. Needs the `admin` scope.',
    idDescription: 'The deleted membership.',
    beforeRestore: async (writer, id) => {
      const m = tables.memberships;
      const [row] = await writer.tx.select({ personId: m.personId, organisationId: m.organisationId }).from(m).where(eq(m.id, id));
      await requireLiveOwners(writer, [
        { entity: 'Person', id: row?.personId ?? null, role: 'person' },
        { entity: 'Organisation', id: row?.organisationId ?? null, role: 'organisation' },
      ]);
    },
  }),
}));

import { requireLiveOwners, requireNoOrganisationCycle, requireNothingLiveUnder, requireUniqueOrganisationKeys, tables } from '@naravard/db';
import { and, count, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { builder } from '../../builder.ts';
import { ValidationError } from '../../errors.ts';
import { deleteField, restoreField, updateField } from '../../mutation-fields.ts';
import { parseInput, rules, write } from '../../writes.ts';
import { WRITE_ERRORS } from '../../write-error-types.ts';
import { citationsField } from '../citations.ts';
import { ruledInput, ruledPatch } from '../../ruled-inputs.ts';
import { Organisation, type OrganisationRow } from '../refs.ts';
import { OrganisationKind, Ownership } from './read.ts';
import { aliasesRule } from './write-rules.ts';

/* The rules, inputs and mutations of organisations. */

// Deleting: an organisation is refused (ValidationError at `id`) while live bodies sit under it
// (`children`) or live memberships point at it: delete or move those first. A person is refused
// while live memberships point at them. Meetings, decisions, assignments and participants that name
// a deleted organisation or person keep pointing at the tombstone, which they still show with
// `deletedAt` set: those are records of what happened and are not rewritten.
// Restoring: an organisation whose parent is deleted, and a membership whose person or organisation
// is deleted, are refused until that record is restored, so nothing live ever hangs under a tombstone.
// Memberships are deleted with `deleteMembership` (a record that should not be there); a role that
// ended is recorded by `updateMembership` with `endedOn`.

const OrganisationKindValues = tables.organisationKind.enumValues;
const OwnershipValues = tables.ownership.enumValues;

const municipalityCodeRule = z.string().regex(/^[0-9]{4}$/, 'must be a four-digit SCB municipality code (kommunkod) such as "0780"');

const kind = z.enum(OrganisationKindValues);
const name = rules.text(300);
const region = rules.regionCode.nullish();
const parent = rules.globalId('Organisation').nullish();
const ownership = z.enum(OwnershipValues).nullish();
const organisationNumber = rules.organisationNumber.nullish();
const municipalityCode = municipalityCodeRule.nullish();
const description = rules.text(5000).nullish();

/** The rule linking kind and municipality code, or null when it holds. */
function municipalityCodeProblem(kind: string, code: string | null | undefined): string | null {
  if (kind === 'municipality' && !code) return 'a municipality needs its SCB municipality code (kommunkod)';
  if (kind !== 'municipality' && code) return 'only an organisation of kind MUNICIPALITY has a municipality code';
  return null;
}

const CreateOrganisationInput = ruledInput('CreateOrganisationInput', {
  description: 'A body to add to the records: a board, committee, steering group, health centre, municipality, national body.',
  fields: {
    kind: { type: OrganisationKind, description: 'What kind of body it is.', rule: kind },
    name: { type: 'String', description: 'The name, corrected ("Hälso- och sjukvårdsnämnden"), at most 300 characters.', rule: name },
    aliases: { type: ['String'], description: 'Short forms and damaged spellings met in the documents ("HSN").', rule: aliasesRule.default([]) },
    region: { type: 'String', description: 'SCB county code of the region it belongs to ("07"); left out for national bodies.', rule: region },
    parent: { type: 'ID', description: 'The body it sits under (Organisation ID): a committee’s board, a health centre’s operator.', rule: parent },
    ownership: { type: Ownership, description: 'Public or private, where the records say.', rule: ownership },
    organisationNumber: {
      type: 'String',
      description: 'Swedish organisation number (organisationsnummer), check digit verified; stored as "NNNNNN-NNNN".',
      rule: organisationNumber,
    },
    municipalityCode: {
      type: 'String',
      description: 'SCB municipality code (kommunkod), four digits: required for kind MUNICIPALITY, refused for any other kind.',
      rule: municipalityCode,
    },
    description: { type: 'String', description: 'What the body is and does, from the records.', rule: description },
    citations: citationsField('Passages supporting the record.'),
  },
  check: (organisation, context) => {
    const problem = municipalityCodeProblem(organisation.kind, organisation.municipalityCode);
    if (problem) context.addIssue({ code: 'custom', message: problem, path: ['municipalityCode'] });
  },
});

const OrganisationPatch = ruledPatch('OrganisationPatch', {
  description: 'Fields of an organisation to change; fields left out stay as they are, null clears an optional field.',
  fields: {
    kind: { type: OrganisationKind, description: 'New kind.', rule: kind },
    name: { type: 'String', description: 'New name.', rule: name },
    aliases: {
      type: ['String'],
      description: 'The new list of aliases (replaces the old one; null clears it).',
      rule: aliasesRule.nullable().transform((aliases) => aliases ?? []),
    },
    region: { type: 'String', description: 'New region (SCB county code).', rule: region },
    parent: { type: 'ID', description: 'New parent (Organisation ID); it must not be the body itself or one under it.', rule: parent },
    ownership: { type: Ownership, description: 'New ownership.', rule: ownership },
    organisationNumber: { type: 'String', description: 'New organisation number.', rule: organisationNumber },
    municipalityCode: { type: 'String', description: 'New municipality code (only for kind MUNICIPALITY).', rule: municipalityCode },
    description: { type: 'String', description: 'New description.', rule: description },
  },
});

builder.mutationFields((t) => ({
  createOrganisation: t.field({
    type: Organisation,
    description:
      'Adds an organisation. The parent must exist; an organisation number must pass its check digit; a municipality needs its municipality code and only a municipality may have one. Needs the `write` scope.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: CreateOrganisationInput.ref, required: true, description: 'The organisation.' }) },
    resolve: async (_root, args, context) => {
      const input = parseInput(CreateOrganisationInput.rules, args.input);
      return write(context, async (writer) => {
        await writer.requireLive([{ entity: 'Organisation', id: input.parent, path: ['input', 'parent'] }]);
        const regionId = await writer.regionId(input.region, ['input', 'region']);
        await requireUniqueOrganisationKeys(writer, null, input, ['input']);
        const organisation = await writer.create<OrganisationRow & { version: number }>('Organisation', {
          kind: input.kind,
          name: input.name,
          aliases: input.aliases,
          regionId: regionId ?? null,
          parentId: input.parent ?? null,
          ownership: input.ownership ?? null,
          organisationNumber: input.organisationNumber ?? null,
          municipalityCode: input.municipalityCode ?? null,
          description: input.description ?? null,
        });
        await writer.cite('Organisation', organisation.id, input.citations, ['input', 'citations']);
        return organisation;
      });
    },
  }),
  updateOrganisation: updateField(t, {
    ref: Organisation,
    description:
      'Changes fields of an organisation. `version` must be the one you read: a stale version is a ConflictError. A new parent must not be the body itself or one under it.',
    idDescription: 'The organisation.',
    patch: OrganisationPatch,
    references: { parent: { entity: 'Organisation', column: 'parentId' } },
    regions: { region: 'regionId' },
    check: async (writer, { patch, current }) => {
      const kind = patch.kind ?? current.kind;
      const municipalityCode = patch.municipalityCode !== undefined ? patch.municipalityCode : current.municipalityCode;
      const problem = municipalityCodeProblem(kind, municipalityCode);
      if (problem) {
        throw new ValidationError([{ path: ['patch', patch.municipalityCode !== undefined ? 'municipalityCode' : 'kind'], message: problem }]);
      }
      if (patch.parent) await requireNoOrganisationCycle(writer, current.id, patch.parent, ['patch', 'parent']);
      await requireUniqueOrganisationKeys(writer, current.id, patch, ['patch']);
    },
  }),
  deleteOrganisation: deleteField(t, {
    ref: Organisation,
    description:
      'Deletes an organisation (a tombstone an admin can restore). Refused while live bodies sit under it or live memberships point at it; records of meetings, decisions and assignments that name it keep pointing at the tombstone.',
    idDescription: 'The organisation.',
    beforeDelete: async (writer, { id }) => {
      const o = tables.organisations;
      const m = tables.memberships;
      await requireNothingLiveUnder([
        { count: writer.tx.select({ value: count() }).from(o).where(and(eq(o.parentId, id), isNull(o.deletedAt))), what: 'organisation(s) under it' },
        { count: writer.tx.select({ value: count() }).from(m).where(and(eq(m.organisationId, id), isNull(m.deletedAt))), what: 'membership(s)' },
      ]);
    },
  }),
  restoreOrganisation: restoreField(t, {
    ref: Organisation,
    description: 'Brings back a deleted organisation; refused while its parent is deleted. Needs the `admin` scope.',
    idDescription: 'The deleted organisation.',
    beforeRestore: async (writer, id) => {
      const [row] = await writer.tx.select({ parentId: tables.organisations.parentId }).from(tables.organisations).where(eq(tables.organisations.id, id));
      await requireLiveOwners(writer, [{ entity: 'Organisation', id: row?.parentId ?? null, role: 'parent' }]);
    },
  }),
}));

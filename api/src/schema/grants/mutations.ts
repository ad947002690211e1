import { allocationRulesBroken, valueAfterPatch, grantRulesBroken, liveRowCount, refuseBrokenRules, requireGrantUnderProgramme, requireLiveSources, requireNothingAgainst, tables } from '@naravard/db';
import { eq } from 'drizzle-orm';
import { builder } from '../../builder.ts';
import { deleteField, restoreField, updateField } from '../../mutation-fields.ts';
import { parseInput, write } from '../../writes.ts';
import { WRITE_ERRORS } from '../../write-error-types.ts';
import { Allocation, type AllocationRow, Grant, GrantProgramme, type GrantProgrammeRow, type GrantRow } from '../refs.ts';
import { AllocationPatch, CreateAllocationInput, CreateGrantInput, CreateGrantProgrammeInput, GrantPatch, GrantProgrammePatch } from './write-rules.ts';

/* The mutations of grant programmes, grants and allocations. */

builder.mutationFields((t) => ({
  createGrantProgramme: t.field({
    type: GrantProgramme,
    description: 'Records a grant programme with its topics and citations. Needs the `write` scope.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: CreateGrantProgrammeInput.ref, required: true, description: 'The programme.' }) },
    resolve: async (_root, args, context) => {
      const input = parseInput(CreateGrantProgrammeInput.rules, args.input);
      return write(context, async (writer) => {
        await writer.requireLive([{ entity: 'Organisation', id: input.grantor, path: ['input', 'grantor'] }]);
        const programme = await writer.create<GrantProgrammeRow>('GrantProgramme', {
          name: input.name,
          legalBasis: input.legalBasis ?? null,
          grantorId: input.grantor ?? null,
          description: input.description ?? null,
        });
        await writer.tag('GrantProgramme', programme.id, input.topics, ['input', 'topics']);
        await writer.cite('GrantProgramme', programme.id, input.citations, ['input', 'citations']);
        return programme;
      });
    },
  }),
  updateGrantProgramme: updateField(t, {
    ref: GrantProgramme,
    description: 'Changes fields of a grant programme. `version` must be the one you read: a stale version is a ConflictError.',
    idDescription: 'The programme.',
    patch: GrantProgrammePatch,
    references: { grantor: { entity: 'Organisation', column: 'grantorId' } },
  }),
  deleteGrantProgramme: deleteField(t, {
    ref: GrantProgramme,
    description:
      'Deletes a grant programme (a tombstone; an admin can restore it). Refused while live grants or allocations are recorded under it: delete those first.',
    idDescription: 'The programme.',
    beforeDelete: async (writer, { id }) => {
      await requireNothingAgainst(writer, 'programme', [
        { label: 'grants', count: () => liveRowCount(writer, tables.grants, eq(tables.grants.programmeId, id)) },
        { label: 'allocations', count: () => liveRowCount(writer, tables.allocations, eq(tables.allocations.programmeId, id)) },
      ]);
    },
  }),
  restoreGrantProgramme: restoreField(t, {
    ref: GrantProgramme,
    description: 'Brings back a deleted grant programme. Needs the `admin` scope.',
    idDescription: 'The deleted programme.',
  }),

  createGrant: t.field({
    type: Grant,
    description: 'Records an amount granted under a programme, with its citations. Needs the `write` scope.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: CreateGrantInput.ref, required: true, description: 'The grant.' }) },
    resolve: async (_root, args, context) => {
      const input = parseInput(CreateGrantInput.rules, args.input);
      return write(context, async (writer) => {
        await writer.requireLive([
          { entity: 'GrantProgramme', id: input.programme, path: ['input', 'programme'] },
          { entity: 'Organisation', id: input.recipientOrganisation, path: ['input', 'recipientOrganisation'] },
        ]);
        const regionId = await writer.regionId(input.recipientRegion, ['input', 'recipientRegion']);
        const grant = await writer.create<GrantRow>('Grant', {
          programmeId: input.programme,
          recipientRegionId: regionId ?? null,
          recipientOrganisationId: input.recipientOrganisation ?? null,
          period: input.period,
          amountSek: input.amountSek ?? null,
          amountIsApproximate: input.amountIsApproximate,
          status: input.status,
          requisitionDueOn: input.requisitionDueOn ?? null,
          description: input.description ?? null,
        });
        await writer.cite('Grant', grant.id, input.citations, ['input', 'citations']);
        return grant;
      });
    },
  }),
  updateGrant: updateField(t, {
    ref: Grant,
    description:
      'Changes fields of a grant, e.g. its status from REQUESTED to AWARDED to PAID. `version` must be the one you read: a stale version is a ConflictError.',
    idDescription: 'The grant.',
    patch: GrantPatch,
    references: {
      programme: { entity: 'GrantProgramme', column: 'programmeId' },
      recipientOrganisation: { entity: 'Organisation', column: 'recipientOrganisationId' },
    },
    regions: { recipientRegion: 'recipientRegionId' },
    check: (_writer, { patch, current, values }) => {
      refuseBrokenRules(
        grantRulesBroken({
          hasRecipientRegion: Boolean(valueAfterPatch(values.recipientRegionId as string | null | undefined, current.recipientRegionId)),
          hasRecipientOrganisation: Boolean(valueAfterPatch(patch.recipientOrganisation, current.recipientOrganisationId)),
          amountSek: valueAfterPatch(patch.amountSek, current.amountSek),
          amountIsApproximate: valueAfterPatch(patch.amountIsApproximate, current.amountIsApproximate),
        }),
        'patch',
      );
    },
  }),
  deleteGrant: deleteField(t, {
    ref: Grant,
    description:
      'Deletes a grant (a tombstone; an admin can restore it). Refused while live allocations are recorded against it: delete those first.',
    idDescription: 'The grant.',
    beforeDelete: async (writer, { id }) => {
      await requireNothingAgainst(writer, 'grant', [
        { label: 'allocations', count: () => liveRowCount(writer, tables.allocations, eq(tables.allocations.grantId, id)) },
      ]);
    },
  }),
  restoreGrant: restoreField(t, {
    ref: Grant,
    description: 'Brings back a deleted grant; its programme must be live. Needs the `admin` scope.',
    idDescription: 'The deleted grant.',
    afterRestore: (writer, grant) => requireLiveSources(writer, [{ entity: 'GrantProgramme', id: grant.programmeId }]),
  }),

  createAllocation: t.field({
    type: Allocation,
    description:
      'Records money passed on from a grant or a programme: an amount, a rate or a ceiling, with its citations. Needs the `write` scope.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: CreateAllocationInput.ref, required: true, description: 'The allocation.' }) },
    resolve: async (_root, args, context) => {
      const input = parseInput(CreateAllocationInput.rules, args.input);
      return write(context, async (writer) => {
        await writer.requireLive([
          { entity: 'Grant', id: input.grant, path: ['input', 'grant'] },
          { entity: 'GrantProgramme', id: input.programme, path: ['input', 'programme'] },
          { entity: 'Organisation', id: input.fromOrganisation, path: ['input', 'fromOrganisation'] },
          { entity: 'Organisation', id: input.recipientOrganisation, path: ['input', 'recipientOrganisation'] },
        ]);
        await requireGrantUnderProgramme(writer, input.grant ?? null, input.programme ?? null, ['input', 'programme']);
        const regionId = await writer.regionId(input.region, ['input', 'region']);
        const allocation = await writer.create<AllocationRow>('Allocation', {
          grantId: input.grant ?? null,
          programmeId: input.programme ?? null,
          fromOrganisationId: input.fromOrganisation ?? null,
          recipientOrganisationId: input.recipientOrganisation ?? null,
          recipientDescription: input.recipientDescription ?? null,
          regionId: regionId ?? null,
          period: input.period ?? null,
          amountSek: input.amountSek ?? null,
          rateSek: input.rateSek ?? null,
          rateMaxSek: input.rateMaxSek ?? null,
          rateUnit: input.rateUnit ?? null,
          capSek: input.capSek ?? null,
          capUnit: input.capUnit ?? null,
          paidOn: input.paidOn ?? null,
          description: input.description ?? null,
        });
        await writer.cite('Allocation', allocation.id, input.citations, ['input', 'citations']);
        return allocation;
      });
    },
  }),
  updateAllocation: updateField(t, {
    ref: Allocation,
    description:
      'Changes fields of an allocation; the result must still satisfy the rules of a new one. `version` must be the one you read.',
    idDescription: 'The allocation.',
    patch: AllocationPatch,
    references: {
      grant: { entity: 'Grant', column: 'grantId' },
      programme: { entity: 'GrantProgramme', column: 'programmeId' },
      fromOrganisation: { entity: 'Organisation', column: 'fromOrganisationId' },
      recipientOrganisation: { entity: 'Organisation', column: 'recipientOrganisationId' },
    },
    regions: { region: 'regionId' },
    check: async (writer, { patch, current }) => {
      const grantId = valueAfterPatch(patch.grant, current.grantId);
      const programmeId = valueAfterPatch(patch.programme, current.programmeId);
      refuseBrokenRules(
        allocationRulesBroken({
          grant: grantId,
          programme: programmeId,
          amountSek: valueAfterPatch(patch.amountSek, current.amountSek),
          rateSek: valueAfterPatch(patch.rateSek, current.rateSek),
          rateMaxSek: valueAfterPatch(patch.rateMaxSek, current.rateMaxSek),
          rateUnit: valueAfterPatch(patch.rateUnit, current.rateUnit),
          capSek: valueAfterPatch(patch.capSek, current.capSek),
          capUnit: valueAfterPatch(patch.capUnit, current.capUnit),
        }),
        'patch',
      );
      await requireGrantUnderProgramme(writer, grantId, programmeId, ['patch', patch.programme !== undefined ? 'programme' : 'grant']);
    },
  }),
  deleteAllocation: deleteField(t, {
    ref: Allocation,
    description: 'Deletes an allocation (a tombstone: it leaves the lists, shows in `updatedSince` with `deletedAt`; an admin can restore it).',
    idDescription: 'The allocation.',
  }),
  restoreAllocation: restoreField(t, {
    ref: Allocation,
    description: 'Brings back a deleted allocation; its grant and programme must be live. Needs the `admin` scope.',
    idDescription: 'The deleted allocation.',
    afterRestore: (writer, allocation) =>
      requireLiveSources(writer, [
        { entity: 'Grant', id: allocation.grantId },
        { entity: 'GrantProgramme', id: allocation.programmeId },
      ]),
  }),
}));

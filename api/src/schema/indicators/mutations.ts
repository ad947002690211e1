import { requireFreeIndicatorCode, upsertObservations } from '@naravard/db';
import { z } from 'zod';
import { builder } from '../../builder.ts';
import { ValidationError } from '../../errors.ts';
import { deleteField, restoreField, updateField } from '../../mutation-fields.ts';
import { parseInput, write } from '../../writes.ts';
import { WRITE_ERRORS } from '../../write-error-types.ts';
import { Indicator, type IndicatorRow, IndicatorTarget, type IndicatorTargetRow, Observation } from '../refs.ts';
import { AddIndicatorTargetInput, CreateIndicatorInput, IndicatorPatch, IndicatorTargetPatch } from './write-rules.ts';
import { MAX_UPSERT_ROWS, ObservationRowInput, UpsertObservationsResult, validateRows } from './upsert.ts';

/* The mutations of indicators, targets and observations. */

builder.mutationFields((t) => ({
  createIndicator: t.field({
    type: Indicator,
    description: 'Records a new indicator with its topics and citations. Needs the `write` scope.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: CreateIndicatorInput.ref, required: true, description: 'The indicator.' }) },
    resolve: async (_root, args, context) => {
      const input = parseInput(CreateIndicatorInput.rules, args.input);
      return write(context, async (writer) => {
        await requireFreeIndicatorCode(writer, input.code, ['input', 'code']);
        const indicator = await writer.create<IndicatorRow & { version: number }>('Indicator', {
          code: input.code,
          name: input.name,
          description: input.description ?? null,
          unit: input.unit,
          direction: input.direction,
          sourceSystem: input.sourceSystem ?? null,
          koladaKpiId: input.koladaKpiId ?? null,
        });
        await writer.tag('Indicator', indicator.id, input.topics, ['input', 'topics']);
        await writer.cite('Indicator', indicator.id, input.citations, ['input', 'citations']);
        return indicator;
      });
    },
  }),
  updateIndicator: updateField(t, {
    ref: Indicator,
    description: 'Changes fields of an indicator. `version` must be the one you read: a stale version is a ConflictError.',
    idDescription: 'The indicator (its ID).',
    patch: IndicatorPatch,
    check: async (writer, { patch, current }) => {
      await requireFreeIndicatorCode(writer, patch.code, ['patch', 'code'], current.id);
    },
  }),
  deleteIndicator: deleteField(t, {
    ref: Indicator,
    description: [
      'Deletes an indicator (a tombstone: it leaves the lists, shows in `updatedSince` queries with `deletedAt`,',
      'and an admin can restore it). Its targets and observations are not deleted with it; its code stays taken.',
    ].join(' '),
    idDescription: 'The indicator.',
  }),
  restoreIndicator: restoreField(t, {
    ref: Indicator,
    description: 'Brings back a deleted indicator. Needs the `admin` scope.',
    idDescription: 'The deleted indicator.',
  }),

  addIndicatorTarget: t.field({
    type: IndicatorTarget,
    description: 'Adds a target (målvärde) to an indicator, with its citations. Needs the `write` scope.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: AddIndicatorTargetInput.ref, required: true, description: 'The target.' }) },
    resolve: async (_root, args, context) => {
      const input = parseInput(AddIndicatorTargetInput.rules, args.input);
      return write(context, async (writer) => {
        await writer.requireLive([{ entity: 'Indicator', id: input.indicator, path: ['input', 'indicator'] }]);
        const regionId = await writer.regionId(input.region, ['input', 'region']);
        const target = await writer.create<IndicatorTargetRow & { version: number }>('IndicatorTarget', {
          indicatorId: input.indicator,
          comparator: input.comparator,
          value: input.value,
          regionId: regionId ?? null,
          validFrom: input.validFrom ?? null,
          validTo: input.validTo ?? null,
          basis: input.basis ?? null,
          description: input.description ?? null,
        });
        await writer.cite('IndicatorTarget', target.id, input.citations, ['input', 'citations']);
        return target;
      });
    },
  }),
  updateIndicatorTarget: updateField(t, {
    ref: IndicatorTarget,
    description: [
      'Changes fields of a target. `version` must be the one you read: a stale version is a ConflictError.',
      'The dates after the change must still be ordered (validFrom ≤ validTo).',
    ].join(' '),
    idDescription: 'The target (its ID).',
    patch: IndicatorTargetPatch,
    regions: { region: 'regionId' },
    check: (_writer, { patch, current }) => {
      const validFrom = patch.validFrom !== undefined ? patch.validFrom : current.validFrom;
      const validTo = patch.validTo !== undefined ? patch.validTo : current.validTo;
      if (validFrom && validTo && validFrom > validTo) {
        throw new ValidationError([
          {
            path: ['patch', patch.validTo !== undefined ? 'validTo' : 'validFrom'],
            message: `the target would apply from ${validFrom} to ${validTo}: validTo must not be before validFrom`,
          },
        ]);
      }
    },
  }),
  deleteIndicatorTarget: deleteField(t, {
    ref: IndicatorTarget,
    description: 'Deletes a target (a tombstone; an admin can restore it).',
    idDescription: 'The target.',
  }),
  restoreIndicatorTarget: restoreField(t, {
    ref: IndicatorTarget,
    description: 'Brings back a deleted target. Needs the `admin` scope.',
    idDescription: 'The deleted target.',
  }),

  deleteObservation: deleteField(t, {
    ref: Observation,
    description: [
      'Deletes one observation (a tombstone: it leaves lists, series and aggregates, and shows in `updatedSince`',
      'queries with `deletedAt`). Upserting the same observation again brings it back; so can an admin.',
    ].join(' '),
    idDescription: 'The observation.',
  }),
  restoreObservation: restoreField(t, {
    ref: Observation,
    description: 'Brings back a deleted observation. Needs the `admin` scope.',
    idDescription: 'The deleted observation.',
  }),

  upsertObservations: t.field({
    type: UpsertObservationsResult,
    description: [
      `Stores up to ${MAX_UPSERT_ROWS.toLocaleString('en')} values of one indicator in one transaction, idempotently: each row is`,
      'identified by indicator, subject, period and dimensions; a new row is inserted, a row whose value differs',
      '(or whose observation was deleted) is updated with version + 1, and a row already stored as given is left',
      'alone, so sending the same batch twice changes nothing the second time. Every row is checked first: one bad',
      'row, two rows with the same identity, or an unknown region or organisation refuses the whole batch with an',
      'error naming the row (["rows", "3", "period"]), and nothing is written. Each insert and update is recorded',
      'in the change log. Needs the `write` scope.',
    ].join(' '),
    authScopes: { write: true },
    errors: {
      types: WRITE_ERRORS,
      union: {
        name: 'UpsertObservationsOutcome',
        description: 'What upsertObservations answers: the counts of what it did, or why it wrote nothing.',
      },
    },
    args: {
      indicator: t.arg.string({ required: true, description: 'The indicator, by code ("SIP_MEETINGS").' }),
      rows: t.arg({
        type: [ObservationRowInput.ref],
        required: true,
        description: `The values, at most ${MAX_UPSERT_ROWS.toLocaleString('en')}; each observation at most once.`,
      }),
    },
    resolve: async (_root, args, context) => {
      const code = parseInput(z.string().min(1, 'must not be empty').max(100, 'must be at most 100 characters'), args.indicator, ['indicator']);
      const rows = validateRows(args.rows);
      return write(context, (writer) => upsertObservations(writer, code, rows));
    },
  }),
}));

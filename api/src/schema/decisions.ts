import { agendaItemOf, createDecision, tables } from '@naravard/db';
import { eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { builder } from '../builder.ts';
import { databaseEnum } from '../enums.ts';
import { bookkeepingColumns, idColumn, lifecycleFilter, lifecycleParameters, organisationParameter, regionParameter, registerExport, topicParameter } from '../exports.ts';
import { ValidationError } from '../errors.ts';
import {
  allOf,
  DateRange,
  periodInRange,
  lifecycleConditions,
  lifecycleFilterFields,
  referenceIs,
  regionIs, takesNames,
  taggedWith,
  wordsInVector,
} from '../filters.ts';
import { loadReference } from '../loaders.ts';
import { deleteField, restoreField, updateField } from '../mutation-fields.ts';
import { taggedEntityNode } from './nodes.ts';
import { filteredList, type OrderKey } from '../pagination.ts';
import { parseInput, rules, write } from '../writes.ts';
import { WRITE_ERRORS } from '../write-error-types.ts';
import { DatePrecision, precisionProblem } from './dates.ts';
import { citationsField } from './citations.ts';
import { ruledInput, ruledPatch } from '../ruled-inputs.ts';
import {
  AgendaItem,
  type AgendaItemRow,
  Decision, headingOf, Searchable,
  type DecisionRow,
  Meeting,
  type MeetingRow,
  Organisation,
  type OrganisationRow,
  Region,
  type RegionRow,
} from './refs.ts';

export const DecisionKind = databaseEnum('DecisionKind', 'What kind of decision it is.', {
  decision: 'A decision (beslut).',
  direction: 'A decision on direction (inriktningsbeslut): which way the work is to go, without settling the details.',
  delegation: 'A delegation (delegation): a body or an office-holder hands a task and a mandate to another.',
  approval: 'An approval (godkännande, fastställande) of a plan, a guideline or a proposal.',
});

/**
 * The decision date as two never-NULL keys: first whether it is missing (decisions known only
 * from a report have no date), so undated decisions come last in both directions, then the date.
 */
function decidedOnOrder(direction: 'asc' | 'desc'): OrderKey[] {
  const d = tables.decisions;
  return [
    { column: sql`(${d.decidedOn} is null)`, direction: 'asc' },
    { column: sql`coalesce(${d.decidedOn}, date '0001-01-01')`, direction },
  ];
}

builder.node(Decision, {
  ...taggedEntityNode<DecisionRow>(tables.decisions, [Searchable]),
  description:
    'A decision (beslut), a decision on direction (inriktningsbeslut), a delegation or an approval (godkännande): taken at an agenda item of a meeting, or known only from a report.',
  fields: (t) => ({
    kind: t.expose('kind', { type: DecisionKind, description: 'What kind of decision it is.' }),
    title: t.string({
      description: 'A short heading: the recorded one (`recordedTitle`), else the first sentence of the text (at most 100 characters).',
      resolve: (decision) => decision.title ?? headingOf(decision.text),
    }),
    recordedTitle: t.string({
      nullable: true,
      description: 'The heading as recorded (`title`, `updateDecision`); null when the records give none and `title` is made from the text.',
      resolve: (decision) => decision.title,
    }),
    text: t.exposeString('text', { description: 'What was decided, as the records word it.' }),
    decidedOn: t.expose('decidedOn', {
      type: 'Date',
      nullable: true,
      description:
        'The day of the decision, or the first day of its month or year when the records give no more (see `decidedOnPrecision`); null when they give no date at all.',
    }),
    decidedOnPrecision: t.expose('decidedOnPrecision', {
      type: DatePrecision,
      description: 'How much of `decidedOn` the records give: DAY, or only the MONTH ("december 2022") or the YEAR.',
    }),
    decidedBy: t.field({
      type: Organisation,
      nullable: true,
      description: 'The body that took the decision, when the records say.',
      resolve: (decision, _args, context, info) =>
        loadReference<OrganisationRow>(context, tables.organisations, decision.decidedById, info),
    }),
    meeting: t.field({
      type: Meeting,
      nullable: true,
      description: 'The meeting it was taken at; null when known only from a report.',
      resolve: (decision, _args, context, info) => loadReference<MeetingRow>(context, tables.meetings, decision.meetingId, info),
    }),
    agendaItem: t.field({
      type: AgendaItem,
      nullable: true,
      description: 'The agenda item (punkt, §) it was taken under.',
      resolve: (decision, _args, context, info) => loadReference<AgendaItemRow>(context, tables.agendaItems, decision.agendaItemId, info),
    }),
    region: t.field({
      type: Region,
      nullable: true,
      description: 'The region whose governance the decision belongs to.',
      resolve: (decision, _args, context, info) => loadReference<RegionRow>(context, tables.regions, decision.regionId, info),
    }),
  }),
});

const DecisionFilter = builder.inputType('DecisionFilter', {
  description: 'Narrows a list of decisions. Conditions combine with AND.',
  fields: (t) => ({
    region: t.string({ description: 'The region: SCB county code ("07") or name ("Örebro", "Region Örebro län"), case and accents ignored.' }),
    decidedBy: t.id({
      ...takesNames,
      description: 'Taken by this body, as the `decidedBy` field says: its Organisation ID or its name or alias ("Regionstyrelsen"; within `region` when given).',
    }),
    organisation: t.id({
      ...takesNames,
      description: 'Taken by this body: its Organisation ID or its name or alias ("Regionstyrelsen"; within `region` when given).',
      deprecationReason: 'Use `decidedBy`, named like the field it filters on.',
    }),
    meeting: t.globalID({ description: 'Taken at this meeting (a Meeting ID).' }),
    kind: t.field({ type: [DecisionKind], description: 'Any of these kinds.' }),
    decidedOn: t.field({
      type: DateRange,
      description:
        'Decided within these dates: a decision known only to a month or a year matches when that period overlaps the range (undated decisions never match).',
    }),
    topic: t.string({ description: 'Tagged with this topic: its slug ("care-pathways") or its name, English or Swedish ("central kontaktingång").' }),
    text: t.string({ description: 'Words in the title or text, matched as `search` matches them: whole words in any inflection, accents and case ignored, every word required ("quoted phrase", `or`, -word).' }),
    ...lifecycleFilterFields(t),
  }),
});

const DecisionOrder = builder.enumType('DecisionOrder', {
  description: 'Orders of a decision list; ties are broken by ID so paging is stable.',
  values: {
    DECIDED_ON_DESC: { description: 'Newest first (the default); undated decisions last.' },
    DECIDED_ON_ASC: { description: 'Oldest first; undated decisions last.' },
    UPDATED_AT: { description: 'By last change, oldest first: the order for incremental refresh.' },
  },
});

type DecisionFilterShape = typeof DecisionFilter.$inferInput;

function decisionConditions(filter: DecisionFilterShape | null | undefined) {
  const d = tables.decisions;
  return allOf([
    ...lifecycleConditions(d, filter),
    regionIs(d.regionId, filter?.region),
    referenceIs(d.decidedById, filter?.decidedBy, 'Organisation', 'decidedBy'),
    referenceIs(d.decidedById, filter?.organisation, 'Organisation', 'organisation'),
    referenceIs(d.meetingId, filter?.meeting, 'Meeting', 'meeting'),
    filter?.kind?.length ? inArray(d.kind, filter.kind) : undefined,
    ...periodInRange(d.decidedOn, d.decidedOnPrecision, filter?.decidedOn),
    taggedWith('decision', d.id, filter?.topic),
    wordsInVector(d.searchVector, filter?.text),
  ]);
}

function decisionOrder(order: string | null | undefined): OrderKey[] {
  if (order === 'UPDATED_AT') return [{ column: tables.decisions.updatedAt, direction: 'asc' }];
  if (order === 'DECIDED_ON_ASC') return decidedOnOrder('asc');
  return decidedOnOrder('desc');
}

const decisionList = filteredList<DecisionRow, DecisionFilterShape>({ table: tables.decisions, where: decisionConditions, order: decisionOrder });

const decisionListArgs = builder.args((t) => ({
  filter: t.field({ type: DecisionFilter, description: 'Which decisions.' }),
  orderBy: t.field({ type: DecisionOrder, defaultValue: 'DECIDED_ON_DESC', description: 'In which order.' }),
}));

builder.queryFields((t) => ({
  decisions: t.connection({
    type: Decision,
    description: 'Decisions, decisions on direction, delegations and approvals, across regions.',
    args: decisionListArgs,
    resolve: (_root, args, context, info) => decisionList.page(context, args, info),
  }),
}));

builder.objectField(Region, 'decisions', (t) =>
  t.connection({
    type: Decision,
    description: "The region's decisions.",
    args: decisionListArgs,
    resolve: (region, args, context, info) => decisionList.pageOf(context, tables.decisions.regionId, region.id, args, info),
  }),
);

builder.objectField(Organisation, 'decisions', (t) =>
  t.connection({
    type: Decision,
    description: 'The decisions this body took.',
    args: decisionListArgs,
    resolve: (organisation, args, context, info) => decisionList.pageOf(context, tables.decisions.decidedById, organisation.id, args, info),
  }),
);

// ─── Writes ──────────────────────────────────────────────────────────────────
//
// A decision taken at an agenda item names the item's meeting; when only the item is given, its
// meeting is taken from it, and a meeting's day, body and region fill `decidedOn`, `decidedBy` and
// `region` when those are left out (null keeps them empty). Deleting a decision leaves the
// assignments that come from it pointing at the tombstone. Restoring is refused while its agenda
// item is deleted.

const DecisionKindValues = tables.decisionKind.enumValues;

const decisionFields = {
  kind: z.enum(DecisionKindValues),
  title: rules.text(500).nullish(),
  text: rules.text(20_000),
  decidedOn: rules.date.nullish(),
  decidedOnPrecision: z.enum(tables.datePrecision.enumValues).nullish(),
  decidedBy: rules.globalId('Organisation').nullish(),
  meeting: rules.globalId('Meeting').nullish(),
  agendaItem: rules.globalId('AgendaItem').nullish(),
  region: rules.regionCode.nullish(),
};

const RecordDecisionInput = ruledInput('RecordDecisionInput', {
  description:
    'A decision to record: taken at an agenda item of a meeting, or known only from a report (no meeting). The meeting fills the date, the body and the region when they are left out.',
  fields: {
    kind: { type: DecisionKind, description: 'What kind of decision.', rule: decisionFields.kind },
    title: { type: 'String', description: 'A short heading, at most 500 characters.', rule: decisionFields.title },
    text: { type: 'String', description: 'What was decided, as the records word it (at most 20 000 characters).', rule: decisionFields.text },
    decidedOn: { type: 'Date', description: "The day of the decision; the meeting's day if left out.", rule: decisionFields.decidedOn },
    decidedOnPrecision: {
      type: DatePrecision,
      description: 'How much of the date the records give (DAY if left out); MONTH or YEAR need `decidedOn` on the first day of it.',
      rule: decisionFields.decidedOnPrecision,
    },
    decidedBy: { type: 'ID', description: "The body that decided (Organisation ID); the meeting's body if left out.", rule: decisionFields.decidedBy },
    meeting: { type: 'ID', description: "The meeting it was taken at (Meeting ID); the agenda item's meeting if left out.", rule: decisionFields.meeting },
    agendaItem: { type: 'ID', description: 'The agenda item it was taken under (AgendaItem ID); it must belong to the meeting.', rule: decisionFields.agendaItem },
    region: { type: 'String', description: "SCB county code of the region (\"07\"); the meeting's region if left out.", rule: decisionFields.region },
    topics: { type: ['String'], description: 'Topic slugs to tag the decision with.', rule: rules.topics.default([]) },
    citations: citationsField('Passages supporting the decision.'),
  },
});

const DecisionPatch = ruledPatch('DecisionPatch', {
  description:
    'Fields of a decision to change; fields left out stay as they are, null clears an optional field. The agenda item must still belong to the meeting afterwards.',
  fields: {
    kind: { type: DecisionKind, description: 'New kind.', rule: decisionFields.kind },
    title: { type: 'String', description: 'New heading.', rule: decisionFields.title },
    text: { type: 'String', description: 'New wording.', rule: decisionFields.text },
    decidedOn: { type: 'Date', description: 'New date.', rule: decisionFields.decidedOn },
    decidedOnPrecision: { type: DatePrecision, description: 'New precision of the date; null sets DAY.', rule: decisionFields.decidedOnPrecision },
    decidedBy: { type: 'ID', description: 'New deciding body (Organisation ID).', rule: decisionFields.decidedBy },
    meeting: { type: 'ID', description: 'New meeting (Meeting ID).', rule: decisionFields.meeting },
    agendaItem: { type: 'ID', description: 'New agenda item (AgendaItem ID), of the meeting.', rule: decisionFields.agendaItem },
    region: { type: 'String', description: 'New region (SCB county code).', rule: decisionFields.region },
  },
});

builder.mutationFields((t) => ({
  recordDecision: t.field({
    type: Decision,
    description:
      'Records a decision, with its topics and citations, in one transaction. An agenda item must belong to the meeting given. Needs the `write` scope.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: RecordDecisionInput.ref, required: true, description: 'The decision.' }) },
    resolve: async (_root, args, context) => {
      const input = parseInput(RecordDecisionInput.rules, args.input);
      return write(context, async (writer) => {
        await writer.requireLive([
          { entity: 'Organisation', id: input.decidedBy, path: ['input', 'decidedBy'] },
          { entity: 'Meeting', id: input.meeting, path: ['input', 'meeting'] },
          { entity: 'AgendaItem', id: input.agendaItem, path: ['input', 'agendaItem'] },
        ]);
        let meetingId = input.meeting ?? null;
        if (input.agendaItem) {
          const item = (await agendaItemOf(writer, input.agendaItem))!;
          if (meetingId && item.meetingId !== meetingId) {
            throw new ValidationError([
              { path: ['input', 'agendaItem'], message: `agenda item ${item.ordinal} (${item.title}) belongs to another meeting` },
            ]);
          }
          meetingId = item.meetingId;
        }
        const [meeting] = meetingId
          ? await writer.tx.select().from(tables.meetings).where(eq(tables.meetings.id, meetingId))
          : [];
        const regionId = await writer.regionId(input.region, ['input', 'region']);
        const decidedOn = input.decidedOn !== undefined ? input.decidedOn : (meeting?.heldOn ?? null);
        const problem = precisionProblem(decidedOn, input.decidedOnPrecision ?? 'day');
        if (problem) throw new ValidationError([{ path: ['input', 'decidedOnPrecision'], message: problem }]);
        return createDecision(
          writer,
          {
            kind: input.kind,
            title: input.title ?? null,
            text: input.text,
            decidedOn,
            decidedOnPrecision: input.decidedOnPrecision ?? 'day',
            decidedById: input.decidedBy !== undefined ? input.decidedBy : (meeting?.organisationId ?? null),
            meetingId,
            agendaItemId: input.agendaItem ?? null,
            regionId: regionId !== undefined ? regionId : (meeting?.regionId ?? null),
            topics: input.topics,
            citations: input.citations,
          },
          ['input'],
        );
      });
    },
  }),
  updateDecision: updateField(t, {
    ref: Decision,
    description:
      'Changes fields of a decision. `version` must be the one you read: a stale version is a ConflictError. The agenda item must still belong to the meeting afterwards.',
    idDescription: 'The decision.',
    patch: DecisionPatch,
    references: {
      decidedBy: { entity: 'Organisation', column: 'decidedById' },
      meeting: { entity: 'Meeting', column: 'meetingId' },
      agendaItem: { entity: 'AgendaItem', column: 'agendaItemId' },
    },
    regions: { region: 'regionId' },
    check: async (writer, { patch, current, values }) => {
      const meetingId = patch.meeting !== undefined ? patch.meeting : current.meetingId;
      const agendaItemId = patch.agendaItem !== undefined ? patch.agendaItem : current.agendaItemId;
      if (agendaItemId) {
        const item = (await agendaItemOf(writer, agendaItemId))!;
        if (item.meetingId !== meetingId) {
          throw new ValidationError([
            {
              path: ['patch', patch.agendaItem !== undefined ? 'agendaItem' : 'meeting'],
              message: meetingId
                ? `agenda item ${item.ordinal} (${item.title}) belongs to another meeting`
                : `agenda item ${item.ordinal} (${item.title}) belongs to a meeting: a decision without a meeting has no agenda item, clear it too`,
            },
          ]);
        }
      }
      const problem = precisionProblem(
        patch.decidedOn !== undefined ? patch.decidedOn : current.decidedOn,
        patch.decidedOnPrecision ?? current.decidedOnPrecision,
      );
      if (problem) throw new ValidationError([{ path: ['patch', patch.decidedOnPrecision ? 'decidedOnPrecision' : 'decidedOn'], message: problem }]);
      if (patch.decidedOnPrecision === null) values.decidedOnPrecision = 'day';
    },
  }),
  deleteDecision: deleteField(t, {
    ref: Decision,
    description:
      'Deletes a decision (a tombstone: it leaves the lists, shows in `updatedSince` queries with `deletedAt`, and an admin can restore it). Assignments that come from it keep pointing at the tombstone.',
    idDescription: 'The decision.',
  }),
  restoreDecision: restoreField(t, {
    ref: Decision,
    description: 'Brings back a deleted decision; refused while its agenda item is deleted. Needs the `admin` scope.',
    idDescription: 'The deleted decision.',
    beforeRestore: async (writer, id) => {
      const [row] = await writer.tx
        .select({ agendaItemId: tables.decisions.agendaItemId })
        .from(tables.decisions)
        .where(eq(tables.decisions.id, id));
      const item = row?.agendaItemId ? await agendaItemOf(writer, row.agendaItemId) : undefined;
      if (item?.deletedAt) {
        throw new ValidationError([{ path: ['id'], message: `its agenda item ${item.ordinal} (${item.title}) is deleted; restore that first` }]);
      }
    },
  }),
}));

// ---------------------------------------------------------------------------------------------
// Export: /export/decisions.csv and .ndjson, with the filter of `decisions`

registerExport({
  name: 'decisions',
  description: 'Decisions (beslut): one row per decision, with who decided, when, and at which meeting.',
  table: tables.decisions,
  references: [tables.organisations],
  parameters: {
    region: regionParameter,
    organisation: organisationParameter('Taken by this body'),
    meeting: { kind: 'id', types: ['Meeting'], description: 'Taken at this meeting (a Meeting ID).' },
    kind: { kind: 'list', values: tables.decisions.kind.enumValues, description: 'Any of these kinds, comma-separated.' },
    from: { kind: 'date', argument: 'decidedOn', description: 'Decided on or after this date (YYYY-MM-DD).' },
    to: { kind: 'date', argument: 'decidedOn', description: 'Decided on or before this date (YYYY-MM-DD).' },
    topic: topicParameter,
    text: { kind: 'string', description: 'Words in the title or text, accents and case ignored.' },
    ...lifecycleParameters,
  },
  filter: (values): DecisionFilterShape => ({
    region: values.region ?? null,
    organisation: values.organisation ?? null,
    meeting: values.meeting ?? null,
    kind: (values.kind as DecisionFilterShape['kind']) ?? null,
    decidedOn: values.from || values.to ? { from: values.from ?? null, to: values.to ?? null } : null,
    topic: values.topic ?? null,
    text: values.text ?? null,
    ...lifecycleFilter(values),
  }),
  where: decisionConditions,
  keys: [tables.decisions.id],
  columns: () => {
    const d = tables.decisions;
    return [
      idColumn('id', d.id, 'Decision'),
      { name: 'kind', value: d.kind },
      { name: 'decided_on', value: d.decidedOn },
      { name: 'decided_on_precision', value: d.decidedOnPrecision },
      { name: 'region', value: d.regionId, lookup: { key: tables.regions.id, value: tables.regions.code } },
      idColumn('decided_by', d.decidedById, 'Organisation'),
      { name: 'decided_by_name', value: d.decidedById, lookup: { key: tables.organisations.id, value: tables.organisations.name } },
      idColumn('meeting', d.meetingId, 'Meeting'),
      idColumn('agenda_item', d.agendaItemId, 'AgendaItem'),
      { name: 'title', value: d.title },
      { name: 'text', value: d.text },
      ...bookkeepingColumns(d),
    ];
  },
});

import { tables } from '@naravard/db';
import { bookkeepingColumns, idColumn, lifecycleFilter, lifecycleParameters, organisationParameter, regionParameter, registerExport, topicParameter } from '../../exports.ts';
import { meetingConditions, type MeetingFilterShape } from './read.ts';

/* The export of meetings: /export/meetings.csv and .ndjson. */

registerExport({
  name: 'meetings',
  description: 'Meetings (sammanträden, möten): one row per meeting, with the body that met, when and where.',
  table: tables.meetings,
  references: [tables.organisations],
  parameters: {
    region: regionParameter,
    organisation: organisationParameter('The body that met'),
    kind: { kind: 'list', values: tables.meetings.kind.enumValues, description: 'Any of these kinds, comma-separated.' },
    from: { kind: 'date', argument: 'heldOn', description: 'Held on or after this date (YYYY-MM-DD).' },
    to: { kind: 'date', argument: 'heldOn', description: 'Held on or before this date (YYYY-MM-DD).' },
    topic: topicParameter,
    text: { kind: 'string', description: 'Words in the title or place, accents and case ignored.' },
    ...lifecycleParameters,
  },
  filter: (values): MeetingFilterShape => ({
    region: values.region ?? null,
    organisation: values.organisation ?? null,
    kind: (values.kind as MeetingFilterShape['kind']) ?? null,
    heldOn: values.from || values.to ? { from: values.from ?? null, to: values.to ?? null } : null,
    topic: values.topic ?? null,
    text: values.text ?? null,
    ...lifecycleFilter(values),
  }),
  where: meetingConditions,
  keys: [tables.meetings.id],
  columns: () => {
    const m = tables.meetings;
    return [
      idColumn('id', m.id, 'Meeting'),
      { name: 'title', value: m.title },
      { name: 'kind', value: m.kind },
      { name: 'held_on', value: m.heldOn },
      { name: 'starts_at', value: m.startsAt },
      { name: 'ends_at', value: m.endsAt },
      { name: 'place', value: m.place },
      { name: 'region', value: m.regionId, lookup: { key: tables.regions.id, value: tables.regions.code } },
      idColumn('organisation', m.organisationId, 'Organisation'),
      { name: 'organisation_name', value: m.organisationId, lookup: { key: tables.organisations.id, value: tables.organisations.name } },
      ...bookkeepingColumns(m),
    ];
  },
});

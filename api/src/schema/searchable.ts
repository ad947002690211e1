import { tables } from '@naravard/db';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { asc } from 'drizzle-orm';
import { loadChildren, loadReference } from '../loaders.ts';
import type {
  AgendaItemRow,
  AssignmentRow,
  AuditRow,
  DecisionRow,
  GrantProgrammeRow,
  GrantRow,
  MeetingRow,
  OrganisationRow,
  RecommendationRow,
  RegionRow,
} from './refs.ts';

/**
 * What every kind of record `search` finds shows the same way, so a list of hits reads the same
 * whatever was found: a heading (`title`), the opening of its text (`snippet`) and a line saying
 * where it comes from (`citation`), all non-null. A query may ask for `title` on any hit type
 * (`... on Decision { title } ... on AgendaItem { title }`) or on the interface itself.
 */

type DocumentRow = (typeof tables.documents)['$inferSelect'];

/** Longest heading made from a text when the record has none. */
const HEADING_LENGTH = 100;
/** Words in a record's `snippet`. */
const SNIPPET_WORDS = 30;

const squeeze = (text: string) => text.replace(/\s+/g, ' ').trim();

/** A heading from the first sentence of a text, cut at a word within HEADING_LENGTH characters. */
export function headingOf(text: string): string {
  const plain = squeeze(text);
  const sentence = /^(.+?[.!?:])(\s|$)/.exec(plain)?.[1] ?? plain;
  const trimmed = sentence.replace(/[.:]$/, '');
  if (trimmed.length <= HEADING_LENGTH) return trimmed;
  const cut = trimmed.slice(0, HEADING_LENGTH);
  const space = cut.lastIndexOf(' ');
  return `${(space > HEADING_LENGTH / 2 ? cut.slice(0, space) : cut).replace(/[,;]$/, '')} …`;
}

/** The first SNIPPET_WORDS words of a text, "…" when it goes on. */
export function openingOf(text: string): string {
  const words = squeeze(text).split(' ').filter(Boolean);
  return words.length > SNIPPET_WORDS ? `${words.slice(0, SNIPPET_WORDS).join(' ')} …` : words.join(' ');
}

const joined = (parts: (string | null | undefined)[]) => parts.filter((part): part is string => !!part).join(', ');

async function regionName(context: Context, regionId: string | null): Promise<string | null> {
  return (await loadReference<RegionRow>(context, tables.regions, regionId))?.name ?? null;
}

async function organisationName(context: Context, organisationId: string | null): Promise<string | null> {
  return (await loadReference<OrganisationRow>(context, tables.organisations, organisationId))?.name ?? null;
}

/** A meeting's agenda items in order, through the request's batched loader. */
const agendaItemsOf = (context: Context, meetingId: string) =>
  loadChildren<AgendaItemRow>(
    context,
    { table: tables.agendaItems, foreignKey: tables.agendaItems.meetingId, orderBy: [asc(tables.agendaItems.ordinal)] },
    meetingId,
  );

type Shape = { id: string };

/** Heading, opening and source line of each searchable type, from its row (and the rows it points at). */
const describers: Record<
  string,
  {
    title: (row: never, context: Context) => string | Promise<string>;
    snippet: (row: never, context: Context) => string | Promise<string>;
    citation: (row: never, context: Context) => Promise<string>;
  }
> = {
  Document: {
    title: (row: DocumentRow) => row.title,
    snippet: (row: DocumentRow) => openingOf(row.text),
    citation: async (row: DocumentRow, context) =>
      joined([row.title, row.registryNumber ? `dnr ${row.registryNumber}` : null, await regionName(context, row.regionId), row.issuedOn ?? 'undated']),
  },
  Meeting: {
    title: (row: MeetingRow) => row.title,
    // A meeting's text is its agenda: the items' numbers and headings.
    snippet: async (row: MeetingRow, context) => {
      const items = await agendaItemsOf(context, row.id);
      return openingOf(items.length ? items.map((item) => `§ ${item.ordinal} ${item.title}`).join('; ') : joined([row.title, row.place]));
    },
    citation: async (row: MeetingRow, context) =>
      joined(['Meeting', await organisationName(context, row.organisationId), await regionName(context, row.regionId), row.heldOn]),
  },
  AgendaItem: {
    title: (row: AgendaItemRow) => row.title,
    snippet: (row: AgendaItemRow) => openingOf(row.summary ?? row.title),
    citation: async (row: AgendaItemRow, context) => {
      const meeting = await loadReference<MeetingRow>(context, tables.meetings, row.meetingId);
      return joined([`§ ${row.ordinal}`, meeting?.title, meeting ? await regionName(context, meeting.regionId) : null, meeting?.heldOn ?? 'undated']);
    },
  },
  Decision: {
    title: (row: DecisionRow) => row.title ?? headingOf(row.text),
    snippet: (row: DecisionRow) => openingOf(row.text),
    citation: async (row: DecisionRow, context) => {
      const meeting = await loadReference<MeetingRow>(context, tables.meetings, row.meetingId);
      return joined(['Decision', meeting?.title, await regionName(context, row.regionId), row.decidedOn ?? 'undated']);
    },
  },
  Assignment: {
    title: (row: AssignmentRow) => row.title,
    snippet: (row: AssignmentRow) => openingOf(row.description ?? row.title),
    citation: async (row: AssignmentRow, context) =>
      joined([row.reference ? `Assignment ${row.reference}` : 'Assignment', await regionName(context, row.regionId), row.issuedOn ?? (row.dueOn ? `due ${row.dueOn}` : 'undated')]),
  },
  Recommendation: {
    title: (row: RecommendationRow) => `Recommendation ${row.ordinal}: ${headingOf(row.text)}`,
    snippet: (row: RecommendationRow) => openingOf(row.text),
    citation: async (row: RecommendationRow, context) => {
      const audit = await loadReference<AuditRow>(context, tables.audits, row.auditId);
      return joined([`Recommendation ${row.ordinal}`, audit?.title, audit ? await regionName(context, audit.regionId) : null, audit?.reportedOn ?? 'undated']);
    },
  },
  GrantProgramme: {
    title: (row: GrantProgrammeRow) => row.name,
    snippet: (row: GrantProgrammeRow) => openingOf(row.description ?? row.name),
    citation: async (row: GrantProgrammeRow, context) =>
      joined(['Grant programme', row.legalBasis, await organisationName(context, row.grantorId)]),
  },
  Grant: {
    // "Statsbidrag för nära vård 2025": the programme and the period.
    title: async (row: GrantRow, context) =>
      `${(await loadReference<GrantProgrammeRow>(context, tables.grantProgrammes, row.programmeId))?.name ?? 'Grant'} ${row.period}`,
    snippet: async (row: GrantRow, context) =>
      row.description ? openingOf(row.description) : describerOf('Grant').title(row as never, context),
    citation: async (row: GrantRow, context) =>
      joined([
        'Grant',
        (await regionName(context, row.recipientRegionId)) ?? (await organisationName(context, row.recipientOrganisationId)),
        row.period,
      ]),
  },
};

function describerOf(typeName: string) {
  const describer = describers[typeName];
  if (!describer) throw new Error(`${typeName} implements Searchable but has no description of its hits`);
  return describer;
}

export const Searchable = builder.interfaceRef<Shape>('Searchable').implement({
  description:
    'A record that `search` finds (a document, a meeting, an agenda item, a decision, an assignment, a recommendation, a grant programme or a grant), shown the same way whatever its kind.',
  fields: (t) => ({
    title: t.string({
      description:
        'A heading: the record\'s title; for a decision without one, its first sentence (at most 100 characters); for a recommendation, its number and first sentence; ' +
        'for a grant programme its name; for a grant its programme\'s name and its period ("Statsbidrag för nära vård 2025").',
      resolve: (record, _args, context, info) => describerOf(info.parentType.name).title(record as never, context),
    }),
    snippet: t.string({
      description: `The opening of the record's text, at most ${SNIPPET_WORDS} words, "…" where it goes on; for a meeting, its agenda items' numbers and headings (\`SearchHit.snippet\` is the passage that matched).`,
      resolve: (record, _args, context, info) => describerOf(info.parentType.name).snippet(record as never, context),
    }),
    citation: t.string({
      description:
        'Where the record comes from, in one line: its kind or number, its meeting, audit, body or registry number, its region and its date ("Decision, Styrgrupp Nära vård, Region Kronoberg, 2023-03-28"; "Grant, Region Kronoberg, 2025").',
      resolve: (record, _args, context, info) => describerOf(info.parentType.name).citation(record as never, context),
    }),
  }),
});

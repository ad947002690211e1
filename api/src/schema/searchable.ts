import { tables } from '@naravard/db';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { loadReference } from '../loaders.ts';
import type {
  AgendaItemRow,
  AssignmentRow,
  AuditRow,
  DecisionRow,
  MeetingRow,
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

type Shape = { id: string };

/** Heading, opening and source line of each searchable type, from its row (and the rows it points at). */
const describers: Record<string, { title: (row: never) => string; snippet: (row: never) => string; citation: (row: never, context: Context) => Promise<string> }> = {
  Document: {
    title: (row: DocumentRow) => row.title,
    snippet: (row: DocumentRow) => openingOf(row.text),
    citation: async (row: DocumentRow, context) =>
      joined([row.title, row.registryNumber ? `dnr ${row.registryNumber}` : null, await regionName(context, row.regionId), row.issuedOn ?? 'undated']),
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
};

function describerOf(typeName: string) {
  const describer = describers[typeName];
  if (!describer) throw new Error(`${typeName} implements Searchable but has no description of its hits`);
  return describer;
}

export const Searchable = builder.interfaceRef<Shape>('Searchable').implement({
  description:
    'A record that `search` finds (a document, an agenda item, a decision, an assignment or a recommendation), shown the same way whatever its kind.',
  fields: (t) => ({
    title: t.string({
      description:
        'A heading: the record\'s title; for a decision without one, its first sentence (at most 100 characters); for a recommendation, its number and first sentence.',
      resolve: (record, _args, _context, info) => describerOf(info.parentType.name).title(record as never),
    }),
    snippet: t.string({
      description: `The opening of the record's text, at most ${SNIPPET_WORDS} words, "…" where it goes on (\`SearchHit.snippet\` is the passage that matched).`,
      resolve: (record, _args, _context, info) => describerOf(info.parentType.name).snippet(record as never),
    }),
    citation: t.string({
      description:
        'Where the record comes from, in one line: its kind or number, its meeting, audit or registry number, its region and its date ("Decision, Styrgrupp Nära vård, Region Kronoberg, 2023-03-28").',
      resolve: (record, _args, context, info) => describerOf(info.parentType.name).citation(record as never, context),
    }),
  }),
});

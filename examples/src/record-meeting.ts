/**
 * Records a meeting with its agenda items and the decisions taken under them, in one call,
 * then reads it back.
 *
 *   NARAVARD_API_KEY=nv_… pnpm --filter @naravard/examples record-meeting [meeting.json]
 *
 * The file (default data/meeting-example.json) names things the way people do: the
 * organisation by name, each citation's document by title; the script looks up their IDs,
 * then sends one createMeeting. A citation's quote must stand in the document on the lines given.
 * Needs NARAVARD_API_KEY with the `write` scope; reads NARAVARD_URL (default
 * http://localhost:4000/graphql).
 */
import { readFileSync } from 'node:fs';
import { createClient, type CitationInput, type DecisionKind, type MeetingKind } from '@naravard/sdk';

interface Cite {
  document: string;
  quote: string;
  lines: [number, number];
}
interface MeetingFile {
  title: string;
  kind: MeetingKind;
  region: string;
  organisation?: string;
  heldOn: string;
  place?: string;
  topics?: string[];
  cite?: Cite[];
  agendaItems: {
    ordinal?: number;
    title: string;
    summary?: string;
    topics?: string[];
    decisions?: { kind: DecisionKind; title?: string; text: string; topics?: string[]; cite?: Cite | Cite[] }[];
  }[];
}

const file = process.argv[2] ?? new URL('../data/meeting-example.json', import.meta.url);
const spec = JSON.parse(readFileSync(file, 'utf8')) as MeetingFile;
const apiKey = process.env.NARAVARD_API_KEY;
if (!apiKey) {
  console.error('Set NARAVARD_API_KEY to an API key with the write scope.');
  process.exit(2);
}
const client = createClient({ url: process.env.NARAVARD_URL ?? 'http://localhost:4000/graphql', apiKey });

/** An organisation of the region by its exact name. */
async function organisationId(name: string): Promise<string> {
  const { organisations } = await client.organisations({ first: 100, filter: { text: name, region: spec.region } });
  const found = organisations.edges.find((edge) => edge.node.name === name);
  if (!found) throw new Error(`No organisation named "${name}" in region ${spec.region}`);
  return found.node.id;
}

/** A document of the region by its exact title (the newest, if several share it). */
const documents = new Map<string, Promise<string>>();
function documentId(title: string): Promise<string> {
  if (!documents.has(title)) {
    documents.set(
      title,
      client.documents({ first: 100, filter: { text: title, region: spec.region } }).then(({ documents: page }) => {
        const found = page.edges.find((edge) => edge.node.title === title);
        if (!found) throw new Error(`No document titled "${title}" in region ${spec.region}`);
        return found.node.id;
      }),
    );
  }
  return documents.get(title)!;
}

async function citations(cite: Cite | Cite[] | undefined): Promise<CitationInput[]> {
  const list = cite === undefined ? [] : Array.isArray(cite) ? cite : [cite];
  return Promise.all(
    list.map(async ({ document, quote, lines }) => ({ document: await documentId(document), quote, lineStart: lines[0], lineEnd: lines[1] })),
  );
}

const { createMeeting: result } = await client.createMeeting({
  input: {
    title: spec.title,
    kind: spec.kind,
    region: spec.region,
    heldOn: spec.heldOn,
    place: spec.place,
    topics: spec.topics,
    organisation: spec.organisation ? await organisationId(spec.organisation) : undefined,
    citations: await citations(spec.cite),
    agendaItems: await Promise.all(
      spec.agendaItems.map(async (item, index) => ({
        ordinal: item.ordinal ?? index + 1,
        title: item.title,
        summary: item.summary,
        topics: item.topics,
        decisions: await Promise.all(
          (item.decisions ?? []).map(async (decision) => ({
            kind: decision.kind,
            title: decision.title,
            text: decision.text,
            topics: decision.topics,
            citations: await citations(decision.cite),
          })),
        ),
      })),
    ),
  },
});

// The result is a union: the meeting, or one of the write errors. Narrow on __typename.
switch (result.__typename) {
  case 'Meeting':
    break;
  case 'ValidationError':
    console.error(`Refused: ${result.message}`);
    for (const issue of result.issues) console.error(`  ${issue.path.join('.')}: ${issue.message}`);
    process.exit(1);
  case 'NotFoundError':
    console.error(`Refused: no ${result.type} ${result.id} (at ${result.path.join('.')})`);
    process.exit(1);
  case 'ForbiddenError':
    console.error(`Refused: the API key lacks the "${result.requiredScope}" scope`);
    process.exit(1);
  case 'ConflictError':
    console.error(`Refused: ${result.message}`);
    process.exit(1);
}

// Read it back as anyone would: the region's meetings on that day.
const { meetings } = await client.meetings({ filter: { region: spec.region, heldOn: { from: spec.heldOn, to: spec.heldOn } }, first: 100 });
const meeting = meetings.edges.map((edge) => edge.node).find((node) => node.id === result.id);
if (!meeting) throw new Error(`Meeting ${result.id} was recorded but is not listed`);

console.log(`Recorded meeting ${meeting.id} (version ${meeting.version})`);
console.log(`${meeting.title}`);
console.log(`${meeting.heldOn} · ${meeting.kind} · ${[meeting.organisation?.name, meeting.region?.name].filter(Boolean).join(', ')}`);
for (const item of meeting.agendaItems) {
  console.log(`\n  ${item.ordinal}. ${item.title}`);
  for (const decision of item.decisions) {
    console.log(`     ${decision.kind}: ${decision.title ?? decision.text}`);
    for (const citation of decision.citations) console.log(`       “${citation.quote}” — ${citation.document.title}, ${citation.locator}`);
  }
}

import type { ReviewNote, SeedFile } from '@naravard/db';
import { readAssignments } from './assignments.ts';
import { foldName, personNameAt, slug } from './names.ts';
import { BODY_WORD } from './organisations.ts';
import type { Records } from './records.ts';
import { readStatedAssignments, type StatedAssignment } from './stated-assignments.ts';
import type { Lines, Span } from './text.ts';

interface Context {
  lines: Lines;
  seed: SeedFile;
  records: Records;
  review: ReviewNote[];
  short: string;
  region: string | null;
  documentTitle: string;
  /** Lines of the meeting's items, whose assignments are drafted with their item. */
  itemBodies: Span[];
  attendees: { key: string; name: string; title: string | null }[];
}

/** The lines of 1..count not inside any of the spans. */
function complement(spans: Span[], count: number): Span[] {
  const gaps: Span[] = [];
  let first = 1;
  for (const span of [...spans].sort((a, b) => a.first - b.first)) {
    if (span.first > first) gaps.push({ first, last: span.first - 1 });
    first = Math.max(first, span.last + 1);
  }
  if (first <= count) gaps.push({ first, last: count });
  return gaps;
}

/** "Hälso- och sjukvårdsnämndens beredningar", "kommunerna": several bodies, not one a record can point to. */
const SEVERAL = /(?<!\p{L})(?=\p{Ll})\p{L}*?(?:nämnd|beredning|förvaltning|styrelse|grupp|enhet|vårdcentral|klinik|kommun|region|organisation|avdelning|mottagning)(?:er|ar|or)(?:na)?(?!\p{L})|^\p{L}+(?:arna|erna|orna)$/u;

const overlaps = (a: Span, b: Span) => a.first <= b.last && b.first <= a.last;

/**
 * Drafts the assignments a document states outside the notes of its items (a letter, the slides
 * that follow the notes, a report): those named as assignments by a heading or "på uppdrag av",
 * and those in the words that hand out work ("får i uppdrag att", "Uppdrag till X att …"). A
 * passage that repeats one drafted already (a letter and its attachment) adds its citation to it
 * instead of making a second record. Actions of a first-named person are not read here: outside
 * the notes, who that is cannot be told.
 */
export function addOutsideAssignments(context: Context) {
  const { lines, seed, records, review, short, region, itemBodies } = context;
  const found: StatedAssignment[] = readStatedAssignments(lines);
  for (const gap of complement(itemBodies, lines.count)) {
    for (const assignment of readAssignments(lines, gap)) {
      if (assignment.action || found.some((stated) => overlaps(stated.span, assignment.span))) continue;
      found.push({ ...assignment, issuer: null });
    }
  }
  found.sort((a, b) => a.span.first - b.span.first);
  const sentences = new Map<string, string>();
  for (const assignment of found) {
    if (itemBodies.some((body) => body.first <= assignment.span.first && assignment.span.last <= body.last)) continue;
    const citation = lines.cite(assignment.span);
    const sentence = foldName(assignment.sentence);
    const same = seed.assignments.find((record) => record.cite.some((c) => foldName(c.quote).includes(sentence)) || sentence.includes(sentences.get(record.key) ?? '\u0000'));
    if (same) {
      if (!same.cite.some((c) => c.lines[0] === citation.lines[0])) same.cite.push(citation);
      continue;
    }
    // "§ 5 Uppdragsdirektiv för arbetsgruppen": an item's own heading is read with the item.
    if (assignment.bodyOnly && itemBodies.some((body) => lines.nextFilled(assignment.span.last) === body.first)) continue;
    // "Rapporten ska lämnas i maj": a subject that is neither a person's name nor a body's is no assignee.
    const who = assignment.assignee;
    if (assignment.bodyOnly && who !== null && !BODY_WORD.test(who) && records.namedBody(who, assignment.span) === null) {
      review.push({ lines: [assignment.span.first, assignment.span.last], text: assignment.sentence, why: `describes an assignment of "${who}", which is not read as a body: draft it by hand if it belongs in the data set` });
      continue;
    }
    if (assignment.listed && who !== null && (SEVERAL.test(who) || (!BODY_WORD.test(who) && records.namedBody(who, assignment.span) === null && personNameAt(who) !== who))) {
      review.push({ lines: [assignment.span.first, assignment.span.last], text: assignment.sentence, why: `a point of a list of assignments of "${who}", which is not read as one body or person: draft it by hand if it belongs in the data set` });
      continue;
    }
    const readable = who === null || !assignment.subject || BODY_WORD.test(who) || personNameAt(who) === who;
    if (!readable) review.push({ lines: [assignment.span.first, assignment.span.last], text: assignment.sentence, why: `the assignee "${who}" is not read as a person or a body: left empty` });
    const assignee = readable ? records.assignee(assignment, context.attendees, review) : null;
    const issuedBy = assignment.issuer && BODY_WORD.test(assignment.issuer) ? records.organisation(assignment.issuer, assignment.span) : null;
    let key = `assignment:${short}:${slug(assignment.task).slice(0, 40).replace(/-+$/, '') || `line-${assignment.span.first}`}`;
    while (seed.assignments.some((record) => record.key === key)) key = `${key}-2`;
    sentences.set(key, sentence);
    seed.assignments.push({
      key,
      reference: null,
      // Without its subject the point's words are the task as written.
      title: readable ? assignment.task : assignment.sentence.replace(/[.,;:]+$/, '').slice(0, 160),
      description: null,
      issuedBy,
      assigneeOrganisation: assignee?.kind === 'organisation' ? assignee.key : null,
      assigneePerson: assignee?.kind === 'person' ? assignee.key : null,
      originDecision: null,
      // Stated outside the meeting's notes: not known to be given at it.
      meeting: null,
      relatedDecision: null,
      origin: context.documentTitle,
      region,
      issuedOn: null,
      dueOn: assignment.dueOn,
      status: 'not_started',
      topics: [],
      reports: [],
      cite: [citation],
    });
  }
}

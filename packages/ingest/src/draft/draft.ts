import { type ReviewNote, readReferenceData, type SeedFile, seedFileSchema } from '@naravard/db';
import { findAgenda } from './agenda.ts';
import { type DraftedAssignment, readAssignments } from './assignments.ts';
import { type DraftedParticipant, readAttendees } from './attendees.ts';
import { findDate } from './dates.ts';
import { readDecisions } from './decisions.ts';
import { readReportedDecisions } from './reported.ts';
import { IngestError } from './errors.ts';
import { matchKnown, NO_KNOWN_ENTITIES } from './known.ts';
import { findMeeting } from './meeting.ts';
import type { Citation, Draft, DraftOptions, DraftSource } from './model.ts';
import { foldName, personNameAt, slug } from './names.ts';
import { findAmounts } from './amounts.ts';
import { dimensionValue, findMonthlyTables } from './observations.ts';
import { BODY_WORD, capitalise, organisationKind } from './organisations.ts';
import { isGarbled, Lines, type Span } from './text.ts';

type Seed = SeedFile;
type Meeting = Seed['meetings'][number];
type Organisation = Seed['organisations'][number];
type Person = Seed['people'][number];

/**
 * Drafts the records a document's text states, in the seed-file format, each citing its passage
 * with the lines computed here. What cannot be read with confidence goes to `review`, never into a
 * record.
 */
export function draftRecords(source: DraftSource, options: DraftOptions = {}): Draft {
  const lines = new Lines(source.text);
  const fileName = source.fileName ?? 'document.txt';
  if (source.text.trim() === '') throw new IngestError(fileName, 'the text is empty: there is nothing to draft from');
  const region = checkRegion(options.region ?? null, fileName);
  const known = options.known ?? NO_KNOWN_ENTITIES;
  const review: ReviewNote[] = [];
  const records = new Records(lines, region, known);

  const titleLine = lines.nextFilled(0);
  const documentTitle = lines.textOf({ first: titleLine, last: titleLine });
  const meeting = findMeeting(lines);
  const body = options.body?.trim() || meeting?.body || null;
  const bodyKey = body ? records.organisation(body, meeting ? meeting.heading : { first: titleLine, last: titleLine }, 'body') : null;
  const date = meeting?.heldOn ?? findDate(lines.textOf({ first: 1, last: Math.min(lines.count, 30) }));
  const short = slug([regionShortName(region), body ?? documentTitle, date ?? ''].filter(Boolean).join(' ')) || 'document';

  const seed: Seed = seedFileSchema.parse({
    document: {
      key: `doc:${short}`,
      file: source.fileName && /^[\w.-]+\.txt$/.test(source.fileName) ? source.fileName : `${short}.txt`,
      title: documentTitle,
      kind: documentKind(source.text),
      region,
      issuedBy: bodyKey,
      issuedOn: meeting?.heldOn ?? null,
      registryNumber: registryNumber(lines),
      origin: source.origin,
      topics: [],
    },
  });

  // The lines of the meeting's record: from its heading to the end of its last item.
  let record: Span | null = null;
  if (meeting) {
    const agenda = findAgenda(lines, meeting.section, meeting.heading.last);
    record = { first: meeting.section.first, last: agenda.length > 0 ? agenda[agenda.length - 1]!.body.last : meeting.section.last };
    const attendeeBlock = { first: meeting.heading.last + 1, last: agenda[0] ? agenda[0].heading.first - 1 : Math.min(meeting.section.last, meeting.heading.last + 40) };
    // Attendees spelt as a known person is (OCR damage included) are that person.
    const recognise = (text: string) => matchKnown(text, known.people, region)?.name ?? null;
    const attendees: DraftedParticipant[] = readAttendees(lines, attendeeBlock, review, recognise);
    reviewUnreadable(lines, meeting.section, new Set(agenda.map((item) => item.heading.first)), review);
    for (const item of agenda) {
      for (const person of item.presenters?.people ?? []) {
        attendees.push({ name: person.name, title: person.title, role: 'presenter', cite: [item.presenters!.span] });
      }
    }
    addChairPresence(lines, meeting.section, attendees);
    const meetingKey = `meeting:${short}`;
    const draftedMeeting: Meeting = {
      key: meetingKey,
      title: `${body ?? meeting.title} ${meeting.heldOn}`,
      kind: meeting.kind,
      organisation: bodyKey,
      region,
      heldOn: meeting.heldOn,
      startsAt: meeting.times?.startsAt ?? null,
      endsAt: meeting.times?.endsAt ?? null,
      place: meeting.place?.value ?? null,
      topics: [],
      participants: [],
      agendaItems: [],
      cite: [lines.cite(meeting.heading), ...(meeting.dateLine > meeting.heading.last ? [lines.cite({ first: meeting.dateLine, last: meeting.dateLine })] : []), ...(meeting.place ? [lines.cite({ first: meeting.place.line, last: meeting.place.line })] : [])],
    };
    const participantsByName = new Map<string, { key: string; name: string; title: string | null }>();
    for (const attendee of attendees) {
      const personKey = records.person(attendee.name, attendee.cite[attendee.cite.length - 1]!, attendee.written);
      const participantKey = `participant:${short}:${personKey.split(':').pop()}-${attendee.role}`;
      const earlier = draftedMeeting.participants.find((participant) => participant.key === participantKey);
      if (earlier) {
        earlier.cite.push(...attendee.cite.map((span) => lines.cite(span)).filter((citation) => !earlier.cite.some((c) => c.lines[0] === citation.lines[0])));
      } else {
        draftedMeeting.participants.push({ key: participantKey, person: personKey, organisation: null, role: attendee.role, title: attendee.title, cite: attendee.cite.map((span) => lines.cite(span)) });
      }
      if (!participantsByName.has(personKey)) participantsByName.set(personKey, { key: personKey, name: records.personName(personKey), title: attendee.title });
    }

    const usedKeys = new Set<string>();
    for (const item of agenda) {
      const itemKey = `item:${short}:${item.ordinal}`;
      const decisions = readDecisions(lines, item.body, review);
      const decisionRecords = decisions.map((decision, index) => ({
        key: decisions.length === 1 ? `decision:${short}:${item.ordinal}` : `decision:${short}:${item.ordinal}-${index + 1}`,
        kind: decision.kind,
        title: null,
        text: decision.text,
        decidedOn: null,
        decidedBy: null,
        region: null,
        topics: [],
        cite: decision.spans.map((span) => lines.cite(span)),
        spans: decision.spans,
      }));
      draftedMeeting.agendaItems.push({
        key: itemKey,
        ordinal: item.ordinal,
        title: item.title,
        summary: null,
        topics: [],
        decisions: decisionRecords.map(({ spans: _spans, ...decision }) => decision),
        cite: [lines.cite(item.heading)],
      });
      for (const assignment of readAssignments(lines, item.body)) {
        const origin = decisionRecords.find((decision) => decision.spans.some((span) => span.first <= assignment.span.first && assignment.span.last <= span.last));
        const assignee = records.assignee(assignment, [...participantsByName.values()], review);
        let key = `assignment:${short}:${slug(assignment.task).slice(0, 40).replace(/-+$/, '') || item.ordinal}`;
        while (usedKeys.has(key)) key = `${key}-2`;
        usedKeys.add(key);
        seed.assignments.push({
          key,
          reference: null,
          title: assignment.task,
          description: null,
          issuedBy: bodyKey,
          assigneeOrganisation: assignee?.kind === 'organisation' ? assignee.key : null,
          assigneePerson: assignee?.kind === 'person' ? assignee.key : null,
          originDecision: origin?.key ?? null,
          origin: origin ? null : `${meeting.title} ${meeting.heldOn}, ${item.title}`,
          region,
          issuedOn: meeting.heldOn,
          dueOn: assignment.dueOn,
          status: 'not_started',
          topics: [],
          reports: [],
          cite: [lines.cite(assignment.span)],
        });
      }
    }
    if (agenda.length === 0) {
      review.push({ lines: [meeting.section.first, meeting.section.last], text: meeting.title, why: 'no agenda items could be read in the record of the meeting' });
    }
    seed.meetings.push(draftedMeeting);
  } else {
    review.push({ lines: [titleLine, titleLine], text: documentTitle, why: 'not read as the record of a meeting (no "Protokoll"/"Mötesanteckningar"/"Minnesanteckningar" heading with a date): no meeting, items or decisions drafted' });
  }
  const outside = (span: Span) => !record || span.last < record.first || span.first > record.last;
  const reported = readReportedDecisions(lines, outside, review);
  for (const decision of reported) {
    const body = matchKnown(decision.body, known.organisations, region, { body: true });
    let key = `decision:${short}:reported-${slug(decision.text).slice(0, 40).replace(/-+$/, '')}`;
    while (seed.decisions.some((d) => d.key === key)) key = `${key}-2`;
    seed.decisions.push({
      key, kind: 'decision', title: null, text: decision.text, decidedOn: decision.decidedOn, decidedBy: body ? records.organisation(body.name, decision.span, 'decider') : null,
      meeting: null, region, topics: [], cite: [lines.cite(decision.span)],
    });
    if (!body) review.push({ lines: [decision.span.first, decision.span.last], text: decision.text, why: `decided by "${decision.body}" (as written): link the body when reviewing` });
  }
  reviewOutside(lines, (span) => outside(span) && !reported.some((d) => d.span.first <= span.last && span.first <= d.span.last), review);
  draftObservations(lines, seed, short, region, date, options.observations ?? false, review);
  for (const amount of findAmounts(lines)) {
    review.push({ lines: amount.lines, text: amount.text, why: `amount read as ${amount.sek} SEK; whose grant or allocation it is, and for which period, needs a reader` });
  }

  seed.organisations.push(...records.organisations.values());
  seed.people.push(...records.people.values());
  review.sort((a, b) => a.lines[0] - b.lines[0]);
  seed.review = review;
  return { seed, review, text: source.text };
}

/**
 * Tables of monthly counts as an indicator and its observations, when asked: months without a year
 * take the year of the document's date, which the review list says so it is checked.
 */
function draftObservations(lines: Lines, seed: Seed, short: string, region: string | null, date: string | null, wanted: boolean, review: ReviewNote[]) {
  const tables = findMonthlyTables(lines, wanted ? review : []);
  for (const table of tables) {
    const at: [number, number] = [table.titleSpan.first, table.rows[table.rows.length - 1]!.line];
    if (!wanted) {
      review.push({ lines: at, text: table.title, why: 'a table of monthly counts: draft again with --observations to read it as observations' });
      continue;
    }
    if (!region || !date) {
      review.push({ lines: at, text: table.title, why: 'a table of monthly counts, but the region (--region) or the year (the document\'s date) is not known' });
      continue;
    }
    const year = date.slice(0, 4);
    const name = slug(table.title).slice(0, 40).replace(/-+$/, '');
    const indicatorKey = `indicator:${short}:${name}`;
    seed.indicators.push({
      key: indicatorKey,
      code: `${short}_${name}`.toUpperCase().replace(/[^A-Z0-9]+/g, '_').slice(0, 60).replace(/_+$/, ''),
      name: table.title,
      description: null,
      unit: 'antal',
      direction: 'neutral',
      sourceSystem: null,
      koladaKpiId: null,
      topics: [],
      targets: [],
      cite: [lines.cite(table.titleSpan)],
    });
    table.rows.forEach((row, rowIndex) => {
      row.values.forEach((cell, columnIndex) => {
        seed.observations.push({
          key: `observation:${short}:${name}:${rowIndex + 1}-${columnIndex + 1}`,
          indicator: indicatorKey,
          region,
          organisation: null,
          period: `${year}-${String(cell.month).padStart(2, '0')}`,
          value: cell.value,
          dimensions: { row: dimensionValue(row.label), ...(cell.column ? { column: dimensionValue(cell.column) } : {}) },
          cite: [lines.cite(table.header), lines.cite({ first: row.line, last: row.line })],
        });
      });
    });
    review.push({ lines: [table.header.first, table.header.last], text: lines.textOf(table.header), why: `the months of this table have no year: read as ${year}, the year of the document's date` });
  }
}

function checkRegion(region: string | null, fileName: string): string | null {
  if (region === null || region === '') return null;
  const codes = readReferenceData().counties.map((county) => county.code);
  if (!codes.includes(region)) throw new IngestError(fileName, `region ${region} is not a county code (one of ${codes.join(', ')})`);
  return region;
}

function regionShortName(region: string | null): string {
  if (!region) return '';
  const county = readReferenceData().counties.find((candidate) => candidate.code === region);
  return county ? county.regionName.replace(/^Region\s+/i, '').replace(/\s+län$/i, '') : region;
}

function documentKind(text: string): Seed['document']['kind'] {
  const head = text.slice(0, 3000);
  if (/svar\s+på\s+revisionsrapport/i.test(head)) return 'audit_response';
  if (/revisionsrapport/i.test(head)) return 'audit_report';
  if (/informationsbrev/i.test(head)) return 'information_letter';
  if (/protokoll|mötesanteckningar|minnesanteckningar/i.test(head.split('\n').slice(0, 15).join('\n'))) return 'minutes';
  if (/återrapportering|rapport/i.test(head)) return 'report';
  return 'other';
}

/** "Dnr 24HSNG673", "Diarienr: RS 2023/145". */
function registryNumber(lines: Lines): string | null {
  for (let n = 1; n <= Math.min(lines.count, 60); n++) {
    const match = /\b(?:dnr|diarienr|diarienummer|ärendenr)\b\.?\s*:?\s*([A-ZÅÄÖ0-9][A-ZÅÄÖa-zåäö0-9/.\- ]{2,30}?[0-9])(?=\s|$|[,;])/i.exec(lines.at(n));
    if (match) return match[1]!.trim();
  }
  return null;
}

/**
 * Lines the tool cannot read with confidence: headings that look numbered but whose number is not
 * in the run of items ("§ 4l"), and lines that are mostly not letters (OCR damage).
 */
function reviewUnreadable(lines: Lines, section: Span, itemLines: Set<number>, review: ReviewNote[]) {
  for (let n = section.first; n <= section.last; n++) {
    const line = lines.at(n).trim();
    if (!line || itemLines.has(n)) continue;
    if (/^(§|punkt\b)\s*\S/i.test(line)) {
      review.push({ lines: [n, n], text: line, why: 'looks like an agenda item heading, but its number does not follow the others: check the item and its number' });
      continue;
    }
    if (isGarbled(line)) {
      review.push({ lines: [n, n], text: line, why: 'mostly not letters: damaged text (OCR?) that cannot be read with confidence' });
    }
  }
}

/** Chairs who open or close the meeting attended it. */
function addChairPresence(lines: Lines, section: Span, attendees: DraftedParticipant[]) {
  const chairs = attendees.filter((attendee) => attendee.role === 'chair');
  if (chairs.length !== 1) return;
  const acts: Span[] = [];
  for (let n = section.first; n <= section.last; n++) {
    if (/^\s*ordförande(?:n)?\s+(hälsar|öppnar|förklarar|avslutar)/i.test(lines.at(n))) acts.push({ first: n, last: n });
  }
  const chair = chairs[0]!;
  if (acts.length > 0 && !attendees.some((attendee) => attendee.role === 'present' && attendee.name === chair.name)) {
    attendees.push({ name: chair.name, title: chair.title, role: 'present', cite: acts });
  }
}

/** Outside the record of a meeting, decisions and assignments are only pointed out, never drafted. */
function reviewOutside(lines: Lines, outside: (span: Span) => boolean, review: ReviewNote[]) {
  for (const paragraph of lines.paragraphs()) {
    if (!outside(paragraph)) continue;
    if (/\b(beslutar|beslutade|beslutat|beslöt)\s+att\b|\bbeslut\s+(?:är|har)\s+fattats?\b|\bgodkän(ns|nes|d|des|de)\b|\bi\s+uppdrag\s+att\b|\buppdra(r|s)?\s+åt\b/i.test(paragraph.text)) {
      review.push({ lines: [paragraph.first, paragraph.last], text: paragraph.text.slice(0, 300), why: 'states a decision or an assignment outside the record of a meeting: draft it by hand if it belongs in the data set' });
    }
  }
}

/** The people and bodies a draft names: matched with known ones, otherwise defined once with their first citation. */
class Records {
  people = new Map<string, Person>();
  organisations = new Map<string, Organisation>();
  constructor(
    private readonly lines: Lines,
    private readonly region: string | null,
    private readonly known: DraftOptions['known'] & object,
  ) {}

  /** A person's key; `written` is the spelling in the text when it differs (kept as an alias). */
  person(name: string, span: Span, written?: string): string {
    const match = matchKnown(name, this.known.people, this.region);
    const key = match?.key ?? `person:${this.region ?? 'se'}:${slug(name)}`;
    const canonical = match?.name ?? name;
    const spellings = [name, written].filter((spelling): spelling is string => spelling !== undefined && spelling !== canonical);
    const earlier = this.people.get(key);
    if (!earlier) {
      this.people.set(key, { key, name: canonical, aliases: [...new Set([...(match?.aliases ?? []), ...spellings])], cite: [this.citeName(name, span)] });
    } else {
      earlier.aliases = [...new Set([...earlier.aliases, ...spellings])];
    }
    return key;
  }

  personName(key: string) {
    return this.people.get(key)?.name ?? key;
  }

  organisation(name: string, span: Span, _why: string): string {
    const match = matchKnown(name, this.known.organisations, this.region, { body: true });
    const key = match?.key ?? `org:${this.region ?? 'se'}:${slug(name)}`;
    if (!this.organisations.has(key)) {
      this.organisations.set(key, {
        key,
        kind: organisationKind(match?.name ?? name),
        name: match?.name ?? capitalise(name),
        aliases: match ? match.aliases : [],
        region: this.region,
        parent: null,
        ownership: null,
        organisationNumber: null,
        description: null,
        cite: [this.lines.cite(span)],
      });
    }
    return key;
  }

  /** The passage naming a person: the name itself when it stands on the span's lines. */
  private citeName(_name: string, span: Span): Citation {
    return this.lines.cite(span);
  }

  /** Who an assignment names, among the attendees (full name, first name, title), known records, or as a new body. */
  assignee(assignment: DraftedAssignment, attendees: { key: string; name: string; title: string | null }[], review: ReviewNote[]): { kind: 'person' | 'organisation'; key: string } | null {
    const who = assignment.assignee;
    const at: [number, number] = [assignment.span.first, assignment.span.last];
    if (!who) return null;
    const folded = foldName(who);
    const byName = attendees.filter((attendee) => foldName(attendee.name) === folded);
    if (byName.length === 1) return { kind: 'person', key: byName[0]!.key };
    const byFirstName = attendees.filter((attendee) => foldName(attendee.name).split(' ')[0] === folded);
    if (byFirstName.length === 1 && !folded.includes(' ')) return { kind: 'person', key: byFirstName[0]!.key };
    const byTitle = attendees.filter((attendee) => attendee.title && sameTitle(attendee.title, who));
    if (byTitle.length === 1) return { kind: 'person', key: byTitle[0]!.key };
    const knownPerson = matchKnown(who, this.known.people, this.region);
    if (knownPerson) return { kind: 'person', key: this.person(knownPerson.name, assignment.span) };
    if (BODY_WORD.test(who) || /^[A-ZÅÄÖ][a-zåäö]+(en|et|na)$/.test(who)) {
      return { kind: 'organisation', key: this.organisation(who, assignment.span, 'assignee') };
    }
    if (personNameAt(who) === who) return { kind: 'person', key: this.person(who, assignment.span) };
    review.push({ lines: at, text: assignment.sentence, why: `the assignee "${who}" is not among the attendees nor a known person or body: left empty` });
    return null;
  }
}

/** "Hälso- och sjukvårdsdirektör" names the same post as "hälso- och sjukvårdsdirektören". */
function sameTitle(title: string, who: string): boolean {
  const base = (value: string) => foldName(value).replace(/(en|n)$/, '');
  const titleBase = base(title.split(/[,/]/)[0]!);
  return titleBase.length > 3 && titleBase === base(who);
}

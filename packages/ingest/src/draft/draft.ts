import { type ReviewNote, type SeedFile, seedFileSchema } from '@naravard/db';
import { readActors } from './actors.ts';
import { findAgenda } from './agenda.ts';
import { findAmounts } from './amounts.ts';
import { readAssignments } from './assignments.ts';
import { type DraftedParticipant, readAttendees } from './attendees.ts';
import { findDate } from './dates.ts';
import { readDecisions } from './decisions.ts';
import { checkRegion, documentKind, regionShortName, registryNumber } from './document.ts';
import { draftObservations } from './draft-observations.ts';
import { IngestError } from './errors.ts';
import { draftFunds } from './funds.ts';
import { matchKnown, NO_KNOWN_ENTITIES } from './known.ts';
import { findMeeting } from './meeting.ts';
import type { Draft, DraftOptions, DraftSource } from './model.ts';
import { foldName, slug } from './names.ts';
import { addOutsideAssignments } from './outside-assignments.ts';
import { Records } from './records.ts';
import { readReportedDecisions } from './reported.ts';
import { addChairPresence, reviewOutside, reviewUnreadable } from './review.ts';
import { Lines, type Span } from './text.ts';

type Seed = SeedFile;
type Meeting = Seed['meetings'][number];

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
  const bodyKey = body ? records.organisation(body, meeting ? meeting.heading : { first: titleLine, last: titleLine }) : null;
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
  const itemBodies: Span[] = [];
  const attendeeRecords: { key: string; name: string; title: string | null }[] = [];
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
    // Those the notes say spoke or volunteered at an item attended, unless listed already.
    for (const item of agenda) {
      for (const actor of readActors(lines, item.body)) {
        const name = recognise(actor.name) ?? actor.name;
        if (attendees.some((attendee) => foldName(attendee.name) === foldName(name))) continue;
        attendees.push({ name, ...(name !== actor.name ? { written: actor.name } : {}), title: null, role: 'present', cite: [actor.span] });
      }
    }
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
    itemBodies.push(...agenda.map((item) => item.body));
    attendeeRecords.push(...participantsByName.values());
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
          // Given at the meeting; with a decision, the loader also takes the decision's meeting.
          meeting: meetingKey,
          relatedDecision: null,
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
    const body = decision.body === null ? null : matchKnown(decision.body, known.organisations, region, { body: true });
    let key = `decision:${short}:reported-${slug(decision.text).slice(0, 40).replace(/-+$/, '')}`;
    while (seed.decisions.some((d) => d.key === key)) key = `${key}-2`;
    seed.decisions.push({
      key, kind: decision.kind, title: null, text: decision.text, decidedOn: decision.decidedOn, decidedBy: body ? records.organisation(body.name, decision.span) : null,
      meeting: null, region, topics: [], cite: [lines.cite(decision.span)],
    });
    if (decision.body === null) review.push({ lines: [decision.span.first, decision.span.last], text: decision.text, why: 'a change in effect from a date, stated as settled without naming who decided it: link the deciding body when reviewing' });
    else if (!body) review.push({ lines: [decision.span.first, decision.span.last], text: decision.text, why: `decided by "${decision.body}" (as written): link the body when reviewing` });
  }
  addOutsideAssignments({ lines, seed, records, review, short, region, documentTitle, itemBodies, attendees: attendeeRecords });
  const drafted = [...reported.map((d) => d.span), ...seed.assignments.flatMap((a) => a.cite.map((c) => ({ first: c.lines[0], last: c.lines[1] })))];
  reviewOutside(lines, (span) => outside(span) && !drafted.some((d) => d.first <= span.last && span.first <= d.last), review);
  draftObservations(lines, seed, short, region, date, options.observations ?? false, review);
  draftFunds(lines, findAmounts(lines), seed, short, region, review);

  seed.organisations.push(...records.organisations.values());
  seed.people.push(...records.people.values());
  review.sort((a, b) => a.lines[0] - b.lines[0]);
  seed.review = review;
  return { seed, review, text: source.text };
}

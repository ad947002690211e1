import type { ReviewNote } from '@naravard/db';
import type { DraftedParticipant } from './attendees.ts';
import { isGarbled, type Lines, type Span } from './text.ts';

/**
 * Lines the tool cannot read with confidence: headings that look numbered but whose number is not
 * in the run of items ("§ 4l"), and lines that are mostly not letters (OCR damage).
 */
export function reviewUnreadable(lines: Lines, section: Span, itemLines: Set<number>, review: ReviewNote[]) {
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
export function addChairPresence(lines: Lines, section: Span, attendees: DraftedParticipant[]) {
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
export function reviewOutside(lines: Lines, outside: (span: Span) => boolean, review: ReviewNote[]) {
  for (const paragraph of lines.paragraphs()) {
    if (!outside(paragraph)) continue;
    if (/\b(beslutar|beslutade|beslutat|beslöt)\s+att\b|\bbeslut\s+(?:är|har)\s+fattats?\b|\bgodkän(ns|nes|d|des|de)\b|\bi\s+uppdrag\s+att\b|\buppdra(r|s)?\s+åt\b/i.test(paragraph.text)) {
      review.push({ lines: [paragraph.first, paragraph.last], text: paragraph.text.slice(0, 300), why: 'states a decision or an assignment outside the record of a meeting: draft it by hand if it belongs in the data set' });
    }
  }
}


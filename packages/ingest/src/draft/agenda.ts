import { personNameAt, readPersonLine, splitPeople, type NamedPerson } from './names.ts';
import type { Lines, Span } from './text.ts';

export interface AgendaHeading {
  ordinal: number;
  title: string;
  heading: Span;
  /** The item's lines after its heading, to the next item. */
  body: Span;
  /** People named right under an unnumbered heading: who presented the item. */
  presenters: { people: NamedPerson[]; span: Span } | null;
}

/** "1. Inledning", "10.Sammanfattning", "§ 41 Budget", "Punkt 3: Ekonomi". */
const NUMBERED = /^\s*(?:§\s*([0-9]{1,3})|([0-9]{1,2})\s*[.)](?![0-9])|punkt\s+([0-9]{1,2})\s*[.:]?)\s*(.*)$/i;

const cleanTitle = (value: string) =>
  value
    .replace(/^[\s"”“'’]+|[\s"”“'’:.,;]+$/g, '')
    .replace(/\s+/g, ' ')
    .trim();

const isTitle = (value: string) => /^[A-ZÅÄÖÉ0-9"”“]/.test(value) && value.split(/\s+/).length <= 14 && !/[?]$/.test(value);

/**
 * The agenda items of a record, in order. Numbered items ("1.", "§ 41", "Punkt 3") are read as the
 * longest run of consecutive numbers, so numbered lists inside an item are not taken for items.
 * Without numbers, an item is a short heading followed by the people presenting it, as in notes
 * of dialogue meetings.
 */
export function findAgenda(lines: Lines, section: Span, after: number): AgendaHeading[] {
  const numbered = numberedItems(lines, section, after);
  if (numbered.length >= 2) return numbered;
  return presentedItems(lines, section, after);
}

function numberedItems(lines: Lines, section: Span, after: number): AgendaHeading[] {
  const candidates: { number: number; title: string; heading: Span }[] = [];
  for (let n = after + 1; n <= section.last; n++) {
    const match = NUMBERED.exec(lines.at(n));
    if (!match) continue;
    const number = Number(match[1] ?? match[2] ?? match[3]);
    let title = cleanTitle(match[4] ?? '');
    let heading = { first: n, last: n };
    if (title === '' && match[1]) {
      // "§ 41" alone: the title is the next filled line.
      const next = lines.nextFilled(n, Math.min(section.last, n + 3));
      if (next) {
        title = cleanTitle(lines.at(next));
        heading = { first: n, last: next };
      }
    }
    if (title && isTitle(title)) candidates.push({ number, title, heading });
  }
  // The longest chain of consecutive numbers, in the order of the text.
  let best: typeof candidates = [];
  for (let start = 0; start < candidates.length; start++) {
    const chain = [candidates[start]!];
    for (let next = start + 1; next < candidates.length; next++) {
      if (candidates[next]!.number === chain[chain.length - 1]!.number + 1) chain.push(candidates[next]!);
    }
    if (chain.length > best.length) best = chain;
  }
  return best.map((item, index) => ({
    ordinal: item.number,
    title: item.title,
    heading: item.heading,
    body: { first: item.heading.last + 1, last: index + 1 < best.length ? best[index + 1]!.heading.first - 1 : section.last },
    presenters: null,
  }));
}

/** Unnumbered items: a heading of its own, then a short paragraph of people ("Karin Nordstrand, strateg"). */
function presentedItems(lines: Lines, section: Span, after: number): AgendaHeading[] {
  const found: Omit<AgendaHeading, 'body' | 'ordinal'>[] = [];
  const paragraphs = lines.paragraphs({ first: after + 1, last: section.last });
  for (const paragraph of paragraphs) {
    // A heading is the first line (or two) of a paragraph whose next lines are people.
    for (const headingLines of [1, 2]) {
      const headingLast = paragraph.first + headingLines - 1;
      if (headingLast >= paragraph.last) break;
      const title = cleanTitle(lines.textOf({ first: paragraph.first, last: headingLast }));
      if (!isTitle(title) || /[.!?]$/.test(lines.at(headingLast).trim()) || /^[•o\-–]\s/.test(title)) continue;
      if (headingLines === 2 && /^[A-ZÅÄÖ]/.test(lines.at(headingLast).trim()) && personNameAt(lines.at(headingLast))) continue;
      const peopleSpan = { first: headingLast + 1, last: paragraph.last };
      const peopleText = lines.textOf(peopleSpan);
      if (peopleText.split(/\s+/).length > 12) continue;
      const people = splitPeople(peopleText)
        .map(readPersonLine)
        .filter((person): person is NamedPerson => person !== null);
      if (people.length === 0 || !personNameAt(lines.at(peopleSpan.first))) continue;
      found.push({ title, heading: { first: paragraph.first, last: headingLast }, presenters: { people, span: peopleSpan } });
      break;
    }
  }
  // Notes end where a long gap leads to something other than the next item (slides, appendices):
  // headings after that are not items of the meeting.
  const items: AgendaHeading[] = [];
  for (const [index, item] of found.entries()) {
    const bodyStart = item.presenters!.span.last + 1;
    const nextHeading = index + 1 < found.length ? found[index + 1]!.heading.first : section.last + 1;
    const gap = firstLongGap(lines, bodyStart, nextHeading - 1);
    items.push({ ...item, ordinal: index + 1, body: { first: bodyStart, last: gap === 0 ? nextHeading - 1 : gap - 1 } });
    if (gap !== 0 && lines.nextFilled(gap, section.last) !== nextHeading) break;
  }
  return items;
}

/** Blank lines in a row that mark the end of the notes (page breaks leave fewer). */
const LONG_GAP = 10;

/** The first line of the first run of LONG_GAP blank lines in first..last, or 0. */
function firstLongGap(lines: Lines, first: number, last: number): number {
  let run = 0;
  for (let n = first; n <= last; n++) {
    run = lines.isBlank(n) ? run + 1 : 0;
    if (run === LONG_GAP) return n - LONG_GAP + 1;
  }
  return 0;
}

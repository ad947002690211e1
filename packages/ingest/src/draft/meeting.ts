import { findDate, findTimes } from './dates.ts';
import { BODY_WORD } from './organisations.ts';
import type { Lines, Span } from './text.ts';

/** Words that open the record of a meeting. */
const NOTES_HEADING = /^\s*(?:justerat\s+)?(protokoll|sammanträdesprotokoll|mötesprotokoll|mötesanteckningar|minnesanteckningar|anteckningar|minnesanteckning)\b/i;

export interface MeetingHeader {
  /** The heading line (and the line with the date, when it is on the next line). */
  heading: Span;
  /** Lines from the heading to the end of the record. */
  section: Span;
  title: string;
  heldOn: string;
  dateLine: number;
  body: string | null;
  kind: 'sitting' | 'steering_group' | 'dialogue_meeting' | 'seminar' | 'workshop' | 'other';
  place: { value: string; line: number } | null;
  times: { startsAt: string | null; endsAt: string | null; line: number } | null;
}

/**
 * Finds the record of a meeting: a heading such as "Protokoll", "Mötesanteckningar – Styrgrupp …"
 * or "Minnesanteckningar Dialogmöte … 2018-09-19" with a date on it or just below (or in a "Datum"
 * line). When several headings announce the same meeting, the record starts at the last: the
 * earlier ones are tables of contents and covering letters.
 */
export function findMeeting(lines: Lines): MeetingHeader | null {
  const candidates: { line: number; date: string; dateLine: number }[] = [];
  for (let n = 1; n <= lines.count; n++) {
    if (!NOTES_HEADING.test(lines.at(n))) continue;
    const found = dateNear(lines, n);
    if (found) candidates.push({ line: n, ...found });
  }
  if (candidates.length === 0) return null;
  const firstDate = candidates[0]!.date;
  const sameMeeting = candidates.filter((candidate) => candidate.date === firstDate);
  const start = sameMeeting[sameMeeting.length - 1]!;
  const next = candidates.find((candidate) => candidate.line > start.line && candidate.date !== firstDate);
  const section = { first: start.line, last: next ? next.line - 1 : lines.count };
  const headingLast = start.dateLine === start.line + 1 || (start.dateLine > start.line && lines.nextFilled(start.line) === start.dateLine && isBareDate(lines.at(start.dateLine)))
    ? start.dateLine
    : start.line;
  const title = lines.at(start.line).trim();
  const body = bodyFromTitle(title) ?? bodyBelow(lines, start.line);
  return {
    heading: { first: start.line, last: headingLast },
    section,
    title,
    heldOn: start.date,
    dateLine: start.dateLine,
    body,
    kind: meetingKind(`${title} ${body ?? ''}`),
    place: labelled(lines, section, /^\s*(?:plats(?:\s+och\s+tid)?|lokal)\s*[:.]?\s+(.+)$/i),
    times: timesOf(lines, section),
  };
}

const isBareDate = (line: string) => /^\s*(?:datum\s*[:.]?\s*)?[0-9]{4}-[0-9]{2}-[0-9]{2}\s*$/i.test(line);

/** The meeting's date: on the heading line, on the next filled line, or in a "Datum" line close below. */
function dateNear(lines: Lines, n: number): { date: string; dateLine: number } | null {
  const own = findDate(lines.at(n));
  if (own) return { date: own, dateLine: n };
  let seen = 0;
  for (let m = n + 1; m <= lines.count && seen < 6; m++) {
    if (lines.isBlank(m)) continue;
    seen++;
    const line = lines.at(m);
    if (seen === 1 || /^\s*(datum|sammanträdesdatum|mötesdatum|tid och datum)\b/i.test(line)) {
      const date = findDate(line);
      if (date) return { date, dateLine: m };
    }
  }
  return null;
}

/** "Mötesanteckningar - Styrgrupp Nära vård" → "Styrgrupp Nära vård"; "Minnesanteckningar Dialogmöte Vårdval Halland" → "Vårdval Halland". */
function bodyFromTitle(title: string): string | null {
  const withoutDate = title.replace(/\b(?:20[0-9]{2}-[0-9]{2}-[0-9]{2}|[0-3]?[0-9]\s+[a-zåäö]+\s+20[0-9]{2})\b/gi, '').trim();
  const dashed = /\s[-–—]\s*(.+)$/.exec(withoutDate);
  let rest = dashed ? dashed[1]! : withoutDate.replace(NOTES_HEADING, '');
  rest = rest.replace(/^\s*(?:från|för|vid)?\s*(?:dialogmöte|sammanträde|möte|mötet|sammanträdet)\s*(?:med|för|i)?\s*/i, '').replace(/[,.:;\s]+$/, '').trim();
  return rest.length >= 3 ? rest : null;
}

/** "PROTOKOLL" with the body's name on the next line: "Hälso- och sjukvårdsnämnden". */
function bodyBelow(lines: Lines, heading: number): string | null {
  const next = lines.nextFilled(heading, heading + 3);
  if (!next) return null;
  const line = lines.at(next).trim();
  return BODY_WORD.test(line) && line.split(/\s+/).length <= 8 && !findDate(line) ? line.replace(/[,.:;]+$/, '') : null;
}

function meetingKind(value: string): MeetingHeader['kind'] {
  if (/styrgrupp/i.test(value)) return 'steering_group';
  if (/dialogmöte/i.test(value)) return 'dialogue_meeting';
  if (/seminari/i.test(value)) return 'seminar';
  if (/workshop/i.test(value)) return 'workshop';
  if (/protokoll|sammanträde|nämnd|beredning|styrelse|fullmäktige|utskott/i.test(value)) return 'sitting';
  return 'other';
}

/** The first "Label value" line in the record's opening lines. */
function labelled(lines: Lines, section: Span, pattern: RegExp): { value: string; line: number } | null {
  for (let n = section.first; n <= Math.min(section.last, section.first + 30); n++) {
    const match = pattern.exec(lines.at(n));
    if (match) {
      const value = match[1]!.split(/,\s*(?:kl\.?|tid)\b/i)[0]!.replace(/\s*\bkl\.?\s*[0-9].*$/i, '').trim();
      if (value) return { value, line: n };
    }
  }
  return null;
}

function timesOf(lines: Lines, section: Span) {
  for (let n = section.first; n <= Math.min(section.last, section.first + 30); n++) {
    const line = lines.at(n);
    if (!/^\s*(tid|plats och tid|datum och tid|tid och plats)\b|\bkl\.?\s*[0-9]/i.test(line)) continue;
    const times = findTimes(line);
    if (times.startsAt) return { ...times, line: n };
  }
  return null;
}

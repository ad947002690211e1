import type { ReviewNote } from '@naravard/db';
import { readPersonLine, splitPeople } from './names.ts';
import type { Lines, Span } from './text.ts';

export type Role = 'chair' | 'secretary' | 'present' | 'absent' | 'presenter' | 'guest' | 'adjuster' | 'substitute';

/** An attendee label, the role the platform records and, when the label says more, a title. */
interface Label {
  role: Role;
  /** Kept as the participant's title when the role alone loses what the label said. */
  title: string | null;
  /** Why a person must look at it: a label the platform has no role for. */
  note: string | null;
}

const LABELS: [RegExp, Label][] = [
  [/^(?:närvarande\s+|tjänstgörande\s+)?ersättare$/i, { role: 'substitute', title: null, note: null }],
  [/^(?:närvarande|närvarande ledamöter|ledamöter|beslutande|deltagare|deltagande)$/i, { role: 'present', title: null, note: null }],
  [/^frånvarande(?:\s+ledamöter)?$/i, { role: 'absent', title: null, note: null }],
  [/^ordförande$/i, { role: 'chair', title: null, note: null }],
  [/^(?:sekreterare|protokollförare|antecknare|vid protokollet)$/i, { role: 'secretary', title: null, note: null }],
  [/^(?:justerare|justerande|justeras av|protokollsjusterare)$/i, { role: 'adjuster', title: null, note: null }],
  [/^(?:övriga närvarande|övriga deltagare|tjänstemän|tjänstepersoner|övriga)$/i, { role: 'guest', title: null, note: null }],
  [/^(?:föredragande|föredragande tjänsteperson)$/i, { role: 'presenter', title: null, note: null }],
];

/** Offices named after a member's name in a list of members. */
const OFFICES: [RegExp, Role][] = [
  [/^ordförande$/i, 'chair'],
  [/^(sekreterare|protokollförare)$/i, 'secretary'],
];

/** Lines of the record's head that are not about attendance. */
const HEADER_LINE = /^\s*(datum|plats|tid|lokal|dnr|diarienr|diarienummer|sammanträdesdatum|kl\.?)\b/i;

const LABEL_LINE = /^\s*([A-ZÅÄÖa-zåäö ]{4,40}?)\s*(?::\s*(.*)|\s{2,}(\S.*)|\s*)$/;

function labelOf(line: string): { label: Label; word: string; rest: string } | null {
  const match = LABEL_LINE.exec(line);
  if (!match) return null;
  const word = match[1]!.trim();
  const found = LABELS.find(([pattern]) => pattern.test(word));
  if (!found) return null;
  return { label: found[1], word, rest: (match[2] ?? match[3] ?? '').trim() };
}

export interface DraftedParticipant {
  name: string;
  /** The name as the text spells it, when it differs from the known person's (OCR damage). */
  written?: string;
  title: string | null;
  role: Role;
  cite: Span[];
}

/**
 * Reads the attendee block between a record's heading and its first item. Labels may carry their
 * names ("Ordförande: Anna Berg"), head a list of names, or, when the layout was lost, all come
 * first with the groups of names after them in the same order; the groups are then matched to the
 * labels only when their numbers agree, and otherwise left for review.
 */
export function readAttendees(lines: Lines, block: Span, review: ReviewNote[], recognise: (text: string) => string | null = () => null): DraftedParticipant[] {
  const found: DraftedParticipant[] = [];
  const pending: { label: Label; line: number }[] = [];
  const groups: Span[] = [];
  const add = (text: string, line: number, label: Label, labelLine: number) => {
    for (const part of splitPeople(text)) {
      const known = recognise(part.replace(/,.*$/, '').trim());
      const afterComma = part.split(',').slice(1).join(',').replace(/[\s,/.;]+$/, '').trim();
      const person = known ? { name: known, title: afterComma || null } : readPersonLine(part);
      if (!person) {
        review.push({ lines: [line, line], text: part, why: 'not read as a person\'s name in the attendee list' });
        continue;
      }
      const written = part.replace(/,.*$/, '').trim();
      // "Anna Berg (S), ordförande" among the members: she chaired (and attended).
      const office = label.role === 'present' && person.title ? OFFICES.find(([pattern]) => pattern.test(person.title!))?.[1] : undefined;
      if (office) found.push({ name: person.name, title: null, role: office, cite: [{ first: line, last: line }] });
      found.push({ name: person.name, ...(known && written !== known ? { written } : {}), title: person.title ?? label.title, role: label.role, cite: labelLine === line ? [{ first: line, last: line }] : [{ first: labelLine, last: labelLine }, { first: line, last: line }] });
    }
    if (label.note) review.push({ lines: [line, line], text: lines.textOf({ first: line, last: line }), why: label.note });
  };

  let n = block.first;
  while (n <= block.last) {
    if (lines.isBlank(n)) {
      n++;
      continue;
    }
    const labelled = labelOf(lines.at(n));
    if (labelled) {
      if (labelled.rest) add(labelled.rest, n, labelled.label, n);
      const next = lines.nextFilled(n, block.last);
      const followedByNames = next !== 0 && next === n + 1 && !labelOf(lines.at(next)) && readPersonLine(lines.at(next)) !== null;
      if (!labelled.rest && !followedByNames) {
        pending.push({ label: labelled.label, line: n });
        n++;
        continue;
      }
      // Names on the lines right below the label, to the first blank line.
      let m = n + 1;
      while (m <= block.last && !lines.isBlank(m) && !labelOf(lines.at(m))) {
        add(lines.at(m), m, labelled.label, n);
        m++;
      }
      n = m;
      continue;
    }
    if (HEADER_LINE.test(lines.at(n)) || (!readPersonLine(lines.at(n)) && !recognise(lines.at(n).replace(/,.*$/, '').trim()))) {
      n++;
      continue;
    }
    // Names away from any label: a group whose label came earlier (layout lost).
    let m = n;
    while (m + 1 <= block.last && !lines.isBlank(m + 1) && !labelOf(lines.at(m + 1))) m++;
    groups.push({ first: n, last: m });
    n = m + 1;
  }

  if (groups.length > 0 && groups.length === pending.length) {
    groups.forEach((group, index) => {
      const { label, line } = pending[index]!;
      for (let m = group.first; m <= group.last; m++) add(lines.at(m), m, label, line);
    });
  } else {
    for (const group of groups) {
      review.push({
        lines: [group.first, group.last],
        text: lines.textOf(group),
        why: `names without a label of their own: ${groups.length} group(s) of names for ${pending.length} label(s) without names, so who had which role cannot be read with confidence`,
      });
    }
  }
  return found;
}

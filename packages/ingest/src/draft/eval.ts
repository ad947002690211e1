import { readSeedSet, type SeedDocument, type SeedFile } from '@naravard/db';
import { draftRecords } from './draft.ts';
import { foldName } from './names.ts';

/**
 * Measures drafting against the hand-read seed files: each source document of `db/seed/documents`
 * is drafted (with its region, as a user would pass it, and no known people) and its records
 * compared with the seed file's, per category. A drafted record counts as right when a seed record
 * of the same category matches it (one to one); precision is right/drafted, recall right/seed.
 *
 * Participants and agenda items are compared within the meeting the draft records (the seed
 * meeting of the same date); decisions, assignments and amounts across the whole document.
 */
export const CATEGORIES = ['participants', 'items', 'decisions', 'assignments', 'amounts'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface Score {
  drafted: number;
  expected: number;
  right: number;
  precision: number;
  recall: number;
}

export interface DocumentScore {
  file: string;
  key: string;
  meeting: string | null;
  scores: Record<Category, Score>;
  review: number;
}

type Lines = [number, number][];
interface Comparable {
  lines: Lines;
  /** Matched by these, besides the lines (compared as the category says). */
  names: string[];
  kind?: string;
  quotes: string[];
}

const linesOf = (cite: { lines: [number, number]; document?: string | undefined }[]): Lines => cite.filter((c) => !c.document).map((c) => c.lines);
const quotesOf = (cite: { quote: string; document?: string | undefined }[]) => cite.filter((c) => !c.document).map((c) => foldName(c.quote));
const overlaps = (a: Lines, b: Lines) => a.some(([a1, a2]) => b.some(([b1, b2]) => a1 <= b2 && b1 <= a2));
const quoteShared = (a: string[], b: string[]) => a.some((x) => x.length > 20 && b.some((y) => y.includes(x) || x.includes(y)));

/** Names are the same when folded alike, or a letter or two apart (Ekdal / Ekdahl). */
export function sameName(a: string, b: string): boolean {
  const x = foldName(a);
  const y = foldName(b);
  if (x === y) return true;
  // A body named with a common noun before its name: "förvaltningen ADH" is "ADH".
  const [shorter, longer] = x.length <= y.length ? [x, y] : [y, x];
  if (!shorter.includes(' ') && shorter.length >= 3 && longer.split(' ').slice(1).includes(shorter)) return true;
  if (Math.min(x.length, y.length) < 8) return false;
  return distance(x, y) <= 2;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

function score(drafted: Comparable[], expected: Comparable[], matches: (d: Comparable, e: Comparable) => boolean): Score {
  const used = new Set<number>();
  let right = 0;
  for (const candidate of drafted) {
    const index = expected.findIndex((e, i) => !used.has(i) && matches(candidate, e));
    if (index >= 0) {
      used.add(index);
      right++;
    }
  }
  const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
  return { drafted: drafted.length, expected: expected.length, right, precision: ratio(right, drafted.length), recall: ratio(right, expected.length) };
}

const nameMatch = (d: Comparable, e: Comparable) => d.names.length === 0 ? e.names.length === 0 : d.names.some((x) => e.names.some((y) => sameName(x, y)));

/** Names of a person or body key, with aliases, from a seed file (and the other seed files for shared keys). */
function namesOf(seed: SeedFile, others: SeedFile[], key: string | null): string[] {
  if (key === null) return [];
  for (const file of [seed, ...others]) {
    const found = [...file.people, ...file.organisations].find((record) => record.key === key);
    if (found) return [found.name, ...found.aliases];
  }
  return [key];
}

function categories(seed: SeedFile, others: SeedFile[], heldOn: string | null) {
  const meetings = seed.meetings.filter((meeting) => heldOn === null || meeting.heldOn === heldOn);
  const decisions = [...meetings.flatMap((m) => m.agendaItems.flatMap((item) => item.decisions)), ...seed.decisions];
  const allDecisions = heldOn === null ? decisions : [...seed.meetings.flatMap((m) => m.agendaItems.flatMap((item) => item.decisions)), ...seed.decisions];
  return {
    participants: meetings.flatMap((m) => m.participants.map((p) => ({ lines: linesOf(p.cite), quotes: quotesOf(p.cite), names: namesOf(seed, others, p.person ?? p.organisation), kind: p.role }))),
    items: meetings.flatMap((m) => m.agendaItems.map((item) => ({ lines: linesOf(item.cite).slice(0, 1), quotes: [], names: [item.title.replace(/["”“]/g, '')] }))),
    decisions: allDecisions.map((d) => ({ lines: linesOf(d.cite), quotes: quotesOf(d.cite), names: [], kind: d.kind })),
    assignments: seed.assignments.map((a) => ({ lines: linesOf(a.cite), quotes: quotesOf(a.cite), names: namesOf(seed, others, a.assigneePerson ?? a.assigneeOrganisation) })),
    amounts: [
      ...seed.grants.filter((g) => g.amountSek).map((g) => ({ lines: linesOf(g.cite), quotes: [], names: [g.amountSek!] })),
      ...seed.allocations.map((a) => ({ lines: linesOf(a.cite), quotes: [], names: [a.amountSek ?? a.rateSek ?? a.capSek ?? ''] })),
    ],
  };
}

const MATCHERS: Record<Category, (d: Comparable, e: Comparable) => boolean> = {
  participants: (d, e) => d.kind === e.kind && nameMatch(d, e),
  items: (d, e) => overlaps(d.lines, e.lines) || nameMatch(d, e),
  decisions: (d, e) => d.kind === e.kind && (overlaps(d.lines, e.lines) || quoteShared(d.quotes, e.quotes)),
  assignments: (d, e) => (overlaps(d.lines, e.lines) || quoteShared(d.quotes, e.quotes)) && nameMatch(d, e),
  amounts: (d, e) => overlaps(d.lines, e.lines) && d.names[0] === e.names[0],
};

/** Drafts one seed document and scores it. */
export function evaluateDocument(document: SeedDocument, others: SeedFile[]): DocumentScore {
  const expectedSeed = document.seed;
  const draft = draftRecords(
    { text: document.text, origin: 'eval', fileName: expectedSeed.document.file },
    { region: expectedSeed.document.region },
  );
  const drafted = draft.seed;
  const heldOn = drafted.meetings[0]?.heldOn ?? null;
  const expected = categories(expectedSeed, others, heldOn);
  const got = categories(drafted, [], heldOn);
  const scores = Object.fromEntries(CATEGORIES.map((category) => [category, score(got[category], expected[category], MATCHERS[category])])) as Record<Category, Score>;
  return { file: expectedSeed.document.file, key: expectedSeed.document.key, meeting: heldOn, scores, review: draft.review.length };
}

/** Scores every seed document. */
export function evaluateSeedDocuments(): DocumentScore[] {
  const { documents } = readSeedSet();
  return documents.map((document) => evaluateDocument(document, documents.filter((other) => other !== document).map((other) => other.seed)));
}

/** A plain-text table of the scores. */
export function formatScores(results: DocumentScore[]): string {
  const rows = [['document', 'category', 'drafted', 'expected', 'right', 'precision', 'recall']];
  for (const result of results) {
    for (const category of CATEGORIES) {
      const s = result.scores[category];
      rows.push([result.key, category, String(s.drafted), String(s.expected), String(s.right), s.precision.toFixed(2), s.recall.toFixed(2)]);
    }
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')).join('\n');
}

import type { ReviewNote } from '@naravard/db';
import { readDatedChange } from './reported.ts';
import { isGarbled, type Lines, type Paragraph, type Span, sentencesOf } from './text.ts';

export type DecisionKind = 'decision' | 'direction' | 'delegation' | 'approval';

export interface DraftedDecision {
  kind: DecisionKind;
  text: string;
  spans: Span[];
}

/** "Beslut:", "Inriktningsbeslut:", "Styrgruppens beslut:" opening a line. */
const LABEL = /^\s*((?:[A-ZÅÄÖa-zåäö]+s\s+)?(?:beslut|inriktningsbeslut|beslutet))\s*:\s*(.*)$/i;
/** Proposals are not decisions. */
const PROPOSAL = /^\s*(förslag till beslut|beslutsförslag|förslag)\s*:/i;
const DELEGATION = /\bdeleger(ar|as|ade|ades)\b/i;
const APPROVAL = /\b(godkänns|godkänner|godkände|godkändes|godkänd|fastställs|fastställer|fastställde|fastställdes)\b/i;
/** Sentences that state a decision without a label. */
const UNLABELLED = [
  /\b(beslutar|beslutade|beslöt)\s+(att|om|enligt)\b/i,
  /\bbeslut\s+(?:är|har)\s+fattats?\s+(?:om\s+)?att\b/i,
  /\b(godkänns|godkände|godkändes|fastställs|fastställdes)\b/i,
  /\bfått\s+\S+\s+\S+\s+godkänd\b/i,
  /\bdeleger(ar|as)\b/i,
];
const NEGATED = /\b(inget|inga|inte|ej)\s+(beslut|fattat|godkän|beslutas)/i;
/** A paragraph that hands out work rather than deciding: an assignment, read elsewhere. */
const ASSIGNS = /\b(får|fick|ges)\s+i\s+uppdrag\b|\bombesörjer\b/i;

const kindOf = (labelKind: DecisionKind, text: string): DecisionKind => {
  if (DELEGATION.test(text)) return 'delegation';
  if (labelKind === 'direction') return 'direction';
  const firstSentence = text.split(/(?<=[.;])\s/)[0] ?? text;
  if (APPROVAL.test(firstSentence) && firstSentence.split(/\s+/).length <= 8) return 'approval';
  return labelKind;
};

/**
 * The decisions of one agenda item. After a label ("Beslut:", "Inriktningsbeslut:") each paragraph
 * to the end of the item is a decision of that kind: a paragraph ending in ";" or ":" leads into the
 * next, and a dash list belongs to the paragraph before it. Without a label, a paragraph is a
 * decision only when it says so ("… beslutar att", "beslut är fattat att", "godkänns", "delegerar").
 */
export function readDecisions(lines: Lines, body: Span, review: ReviewNote[]): DraftedDecision[] {
  const paragraphs = mergeLeadIns(lines.paragraphs(body));
  const found: DraftedDecision[] = [];
  let label: DecisionKind | null = null;
  for (const paragraph of paragraphs) {
    const first = lines.at(paragraph.spans[0]!.first);
    // Headings that did not join the run of items, and damaged lines, are read by a person.
    if (/^\s*(§|punkt\b)/i.test(first) || isGarbled(first)) continue;
    if (PROPOSAL.test(first)) {
      review.push({ lines: [paragraph.spans[0]!.first, last(paragraph)], text: paragraph.text, why: 'a proposal, not a decision: check whether it was adopted' });
      continue;
    }
    const labelled = LABEL.exec(first);
    if (labelled) {
      label = /inriktning/i.test(labelled[1]!) ? 'direction' : 'decision';
      const rest = paragraph.text.replace(/^\s*\S*\s*(?:beslut|inriktningsbeslut|beslutet)\s*:\s*/i, '').trim();
      if (rest === '') continue; // the label alone: the decision follows
      found.push({ kind: kindOf(label, rest), text: rest, spans: paragraph.spans });
      continue;
    }
    if (label !== null) {
      if (ASSIGNS.test(paragraph.text) && !UNLABELLED.some((pattern) => pattern.test(paragraph.text))) continue;
      found.push({ kind: kindOf(label, paragraph.text), text: paragraph.text, spans: paragraph.spans });
      continue;
    }
    if (/\bbeslut/i.test(paragraph.text) || APPROVAL.test(paragraph.text) || DELEGATION.test(paragraph.text)) {
      const sentence = paragraph.text;
      if (NEGATED.test(sentence) || /\?\s*$/.test(sentence)) {
        review.push({ lines: [paragraph.spans[0]!.first, last(paragraph)], text: sentence, why: 'mentions a decision but does not state one' });
        continue;
      }
      const stated = paragraph.spans.flatMap((span) => sentencesOf(lines, span)).filter((candidate) => UNLABELLED.some((pattern) => pattern.test(candidate.text)) && !NEGATED.test(candidate.text));
      if (stated.length > 0) {
        const text = stated.map((candidate) => candidate.text).join(' ');
        const kind: DecisionKind = DELEGATION.test(text) ? 'delegation' : /\bbeslut/i.test(text) ? 'decision' : 'approval';
        found.push({ kind, text, spans: stated.map((candidate) => candidate.span) });
      } else {
        review.push({ lines: [paragraph.spans[0]!.first, last(paragraph)], text: sentence, why: 'mentions a decision in words the tool does not read as one' });
      }
      continue;
    }
    // "Verksamheten upphör från och med 2025-01-01" in the notes: settled, but not said to be decided at the meeting.
    for (const sentence of paragraph.spans.flatMap((span) => sentencesOf(lines, span))) {
      if (readDatedChange(sentence.text) === null) continue;
      review.push({ lines: [sentence.span.first, sentence.span.last], text: sentence.text, why: 'states a change in effect from a date without saying the meeting decided it' });
    }
  }
  return found;
}

const last = (paragraph: { spans: Span[] }) => paragraph.spans[paragraph.spans.length - 1]!.last;

/** Joins a paragraph ending in ";" or ":" with the next, and a dash list with the paragraph before it. */
function mergeLeadIns(paragraphs: Paragraph[]): { text: string; spans: Span[] }[] {
  const merged: { text: string; spans: Span[] }[] = [];
  let leadIn = false;
  for (const paragraph of paragraphs) {
    const span = { first: paragraph.first, last: paragraph.last };
    const isList = /^\s*[-–•]\s/.test(paragraph.text);
    const previous = merged[merged.length - 1];
    if (previous && (leadIn || isList) && !LABEL.test(paragraph.text)) {
      previous.text = `${previous.text} ${paragraph.text}`;
      previous.spans.push(span);
    } else {
      merged.push({ text: paragraph.text, spans: [span] });
    }
    leadIn = /[;:]\s*$/.test(paragraph.text) && !LABEL.test(paragraph.text.replace(/:\s*$/, ':'));
    if (LABEL.test(paragraph.text) && /:\s*$/.test(paragraph.text)) leadIn = false;
  }
  return merged;
}

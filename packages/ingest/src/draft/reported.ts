import type { ReviewNote } from '@naravard/db';
import { findDate } from './dates.ts';
import { joinContinuations, type Lines, type Span, sentencesOf } from './text.ts';

export interface ReportedDecision {
  /** The body named as deciding, as written. */
  body: string;
  text: string;
  span: Span;
  decidedOn: string | null;
  /** "Fastställd"/"godkänd" report an approval; the rest a decision. */
  kind: 'decision' | 'approval';
}

const BODY = String.raw`([A-ZÅÄÖ][\wåäöÅÄÖ-]*(?:\s+(?:och|för|i|[\wåäöÅÄÖ-]+)){0,5}?)`;
/** Sentences that report a decision a named body took: "Nämnden har fattat beslut om …", "… beslutades av nämnden den 7 september 2023". */
const REPORTS: { pattern: RegExp; body: number; approval?: boolean }[] = [
  // "Riktlinjen … är fastställd av Strategisk grupp.", "Planen godkändes av nämnden den 3 maj".
  {
    pattern: new RegExp(String.raw`(?<!\p{L})(?:är|har\s+(?:blivit|varit)|blev|blivit|var)\s+(?:fastställd|fastställt|fastställda|godkänd|godkänt|godkända)\s+av\s+(?:den\s+)?([A-ZÅÄÖa-zåäö][\wåäöÅÄÖ-]*(?:\s+(?:och\s+)?[\wåäöÅÄÖ-]+){0,3}?)\s*(?:[.,;]|\s+(?:den|i|som|efter)\b|$)`, 'u'),
    body: 1,
    approval: true,
  },
  { pattern: new RegExp(String.raw`\b(?:fastställdes|godkändes)\s+av\s+(?:den\s+)?([A-ZÅÄÖa-zåäö][\wåäö-]*(?:\s+och\s+[\wåäö-]+)?)`, 'u'), body: 1, approval: true },
  { pattern: new RegExp(String.raw`^${BODY}\s+(?:har|hade)\s+(?:fattat\s+beslut\s+om|beslutat\s+att|beslutat\s+om)\s`, 'u'), body: 1 },
  { pattern: new RegExp(String.raw`\b[Bb]eslut\s+om\s+.+?\s+fattades\s+av\s+(?:den\s+)?([a-zåäöA-ZÅÄÖ][\wåäö-]*(?:\s+och\s+[\wåäö-]+)?)`, 'u'), body: 1 },
  { pattern: new RegExp(String.raw`\bbeslutades\s+av\s+([a-zåäöA-ZÅÄÖ][\wåäö-]*(?:\s+och\s+[\wåäö-]+)?)`, 'u'), body: 1 },
];
/** The decider must be a body, not a person or "man". */
const BODY_NOUN = /(nämnd|beredning|styrelse|utskott|fullmäktige|grupp|regeringen|förvaltning)/i;

/**
 * Decisions a document reports outside the record of a meeting, when a sentence says which body
 * took them. The body is kept as written for the reviewer to link: OCR may have damaged it.
 */
export function readReportedDecisions(lines: Lines, outside: (span: Span) => boolean, review: ReviewNote[]): ReportedDecision[] {
  const found: ReportedDecision[] = [];
  for (const paragraph of joinContinuations(lines, lines.paragraphs())) {
    if (!outside(paragraph)) continue;
    for (const sentence of sentencesOf(lines, paragraph)) {
      const text = sentence.text.replace(/^[*_#\s]+/, '');
      for (const { pattern, body, approval } of REPORTS) {
        const match = pattern.exec(text);
        if (!match) continue;
        const name = match[body]!.trim();
        if (!BODY_NOUN.test(name)) {
          review.push({ lines: [sentence.span.first, sentence.span.last], text: sentence.text, why: `reports a decision by "${name}", which is not read as a body` });
          break;
        }
        found.push({ body: name, text: sentence.text, span: sentence.span, decidedOn: findDate(text), kind: approval ? 'approval' : 'decision' });
        break;
      }
    }
  }
  return found;
}

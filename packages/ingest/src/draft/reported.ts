import type { ReviewNote } from '@naravard/db';
import { findDate } from './dates.ts';
import { joinContinuations, type Lines, type Span, sentencesOf } from './text.ts';

export interface ReportedDecision {
  /** The body named as deciding, as written; null when the text states the outcome without naming who decided. */
  body: string | null;
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
  for (const paragraph of joinContinuations(lines, lines.paragraphs())) {
    if (!outside(paragraph)) continue;
    for (const sentence of sentencesOf(lines, paragraph)) {
      if (found.some((decision) => decision.span.first <= sentence.span.last && sentence.span.first <= decision.span.last)) continue;
      const change = readDatedChange(sentence.text);
      if (change === 'stated') found.push({ body: null, text: sentence.text, span: sentence.span, decidedOn: null, kind: 'decision' });
      else if (change === 'hedged') review.push({ lines: [sentence.span.first, sentence.span.last], text: sentence.text, why: 'a change from a date that is proposed or uncertain, not stated as decided' });
    }
  }
  return found;
}

const MONTH = '(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)';
const DATE = String.raw`(?:20[0-9]{2}-[01][0-9]-[0-3][0-9]|(?:[0-3]?[0-9]\s+)?${MONTH}(?:\s+20[0-9]{2})?|20[0-9]{2})`;
/** "från och med januari 2019", "fr.o.m. 2024-01-01", "från den 1 mars 2024": when a change takes effect. */
const FROM_DATE = new RegExp(String.raw`(?<!\p{L})(?:från\s+och\s+med|fr\.?\s?o\.?\s?m\.?|f\.\s?o\.\s?m\.)\s+(?:den\s+)?${DATE}(?![\p{L}\p{N}])|(?<!\p{L})från\s+(?:den\s+)?(?:20[0-9]{2}-[01][0-9]-[0-3][0-9]|[0-3]?[0-9]\s+${MONTH})(?!\p{L})`, 'iu');
/** Words that end, start or change an activity, a rule or a price, in the present and after "kommer att"/"ska". */
const CHANGE = new RegExp(
  String.raw`(?<!\p{L})(?:upphör|upphöra|avvecklas|läggs\s+(?:ned|ner)|läggas\s+(?:ned|ner)|stängs|stängas|dras\s+in|dras\s+tillbaka|avslutas|(?:inte|ej)\s+(?:längre\s+)?(?:att\s+)?finnas\s+kvar|inte\s+längre\s+(?:att\s+)?(?:finnas|erbjudas|ges|gälla)|införs|införas|träder\s+i\s+kraft|träda\s+i\s+kraft|börjar\s+gälla|börja\s+gälla|ersätts|ersättas|slås\s+ihop|slås\s+samman|byter\s+namn|höjs|höjas|sänks|sänkas)(?!\p{L})`,
  'iu',
);
/** A change proposed, planned or uncertain is no decision. */
const HEDGE = /(?<!\p{L})(?:föreslå\p{L}*|förslag\p{L}*|planera\p{L}*|preliminär\p{L}*|troligen|troligtvis|sannolikt|eventuell\p{L}*|ev\.|kan\s+komma\s+att|diskuter\p{L}*|överväg\p{L}*|utreds|utredas|om\s+beslut)(?!\p{L})|\?\s*$/iu;

/**
 * A change stated as settled, in effect from a date: "Gruppverksamheten kommer från och med januari
 * 2019 inte att finnas kvar", "Avgiften höjs från och med 2024-01-01". Someone decided it; the
 * sentence is a decision whose body is left for the reviewer. Proposed or uncertain changes are not.
 */
export function readDatedChange(sentence: string): 'stated' | 'hedged' | null {
  if (!FROM_DATE.test(sentence) || !CHANGE.test(sentence)) return null;
  return HEDGE.test(sentence) ? 'hedged' : 'stated';
}

/**
 * The document's text as citations point into it: Unicode NFC, "\n" line breaks, no control
 * characters. Everything else (spacing, OCR damage) stays as extracted, so quotes stay verbatim.
 */
export function normaliseText(raw: string): string {
  return raw
    .replace(/^\uFEFF/, '')
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/\f/g, '\n')
    .replace(/[\u0000-\u0008\u000B\u000E-\u001F\u007F]/g, '')
    .replace(/\u00A0/g, ' ');
}

/** A passage of the text: its 1-based first and last line. */
export interface Span {
  first: number;
  last: number;
}

/** A run of non-blank lines. */
export interface Paragraph extends Span {
  text: string;
}

export const fold = (value: string) => value.replace(/\s+/g, ' ').trim();

/** The document's lines, 1-based, with the passages drafted records cite. */
export class Lines {
  readonly lines: string[];
  constructor(readonly text: string) {
    this.lines = text.split('\n');
  }

  get count() {
    return this.lines.length;
  }

  /** Line n (1-based), or '' past the end. */
  at(n: number): string {
    return this.lines[n - 1] ?? '';
  }

  isBlank(n: number): boolean {
    return this.at(n).trim() === '';
  }

  /** The text of lines first..last, whitespace folded: verbatim as a citation compares it. */
  textOf(span: Span): string {
    return fold(this.lines.slice(span.first - 1, span.last).join('\n'));
  }

  /** A citation of the passage: its folded text and line range. */
  cite(span: Span): { quote: string; lines: [number, number] } {
    return { quote: this.textOf(span), lines: [span.first, span.last] };
  }

  /** The paragraphs (runs of non-blank lines) within a span. */
  paragraphs(span: Span = { first: 1, last: this.count }): Paragraph[] {
    const found: Paragraph[] = [];
    let start = 0;
    for (let n = span.first; n <= span.last + 1; n++) {
      const blank = n > span.last || this.isBlank(n);
      if (!blank && start === 0) start = n;
      if (blank && start !== 0) {
        found.push({ first: start, last: n - 1, text: this.textOf({ first: start, last: n - 1 }) });
        start = 0;
      }
    }
    return found;
  }

  /** The next non-blank line after n, or 0. */
  nextFilled(n: number, limit = this.count): number {
    for (let m = n + 1; m <= limit; m++) if (!this.isBlank(m)) return m;
    return 0;
  }
}

export interface Sentence {
  text: string;
  span: Span;
}

/** Sentences of a paragraph with the lines each stands on. */
export function sentencesOf(lines: Lines, paragraph: Span): Sentence[] {
  // Character offsets of each line in the folded paragraph text.
  const pieces: { line: number; start: number; end: number }[] = [];
  let text = '';
  for (let n = paragraph.first; n <= paragraph.last; n++) {
    const piece = lines.at(n).replace(/\s+/g, ' ').trim();
    if (!piece) continue;
    if (text) text += ' ';
    pieces.push({ line: n, start: text.length, end: text.length + piece.length });
    text += piece;
  }
  const sentences: Sentence[] = [];
  const boundary = /(?<=[.!?])\s+(?=[A-ZÅÄÖ"”])/g;
  let start = 0;
  const push = (end: number) => {
    const sentence = text.slice(start, end).trim();
    if (!sentence) return;
    const first = pieces.find((piece) => piece.end > start)!.line;
    const last = [...pieces].reverse().find((piece) => piece.start < end)!.line;
    sentences.push({ text: sentence, span: { first, last } });
  };
  // A point of a list opening a line starts a sentence of its own, unless the line before leads
  // into it ("Nämnden beslutar att", "…,", "… och"): then the points are the clauses of one sentence.
  const leadsIn = (piece: { start: number; end: number }) => /(?:[:,;]|(?<!\p{L})(?:att|och|samt|eller|om))\s*$/iu.test(text.slice(piece.start, piece.end));
  const breaks = [
    ...[...text.matchAll(boundary)].map((match) => ({ end: match.index!, next: match.index! + match[0].length })),
    ...pieces
      .filter((piece, index) => index > 0 && /^[•\-–*o]\s/u.test(text.slice(piece.start, piece.end)) && !leadsIn(pieces[index - 1]!))
      .map((piece) => ({ end: piece.start, next: piece.start })),
  ].sort((a, b) => a.end - b.end);
  for (const at of breaks) {
    if (at.end < start) continue;
    push(at.end);
    start = at.next;
  }
  push(text.length);
  return sentences;
}

/** Mostly neither letters nor digits: text damaged (by OCR) beyond reading with confidence. */
export function isGarbled(line: string): boolean {
  const compact = line.replace(/\s/g, '');
  if (compact.length < 12) return false;
  const share = (pattern: RegExp) => (compact.match(pattern) ?? []).length / compact.length;
  // Tables of figures are mostly digits; damaged text is mostly neither letters nor digits.
  return share(/\p{L}/gu) < 0.5 && share(/[0-9]/g) < 0.5;
}

/**
 * Text taken from PDFs often has a blank line between the lines of one paragraph: a paragraph
 * that opens in lower case after one that does not end a sentence (nor is a heading) continues it.
 */
export function joinContinuations(lines: Lines, paragraphs: Span[], isHeading: (line: string) => boolean = () => false): Span[] {
  const joined: Span[] = [];
  for (const paragraph of paragraphs) {
    const previous = joined[joined.length - 1];
    if (previous && /^\s*[a-zåäö]/u.test(lines.at(paragraph.first)) && !/[.!?:]\s*$/.test(lines.at(previous.last)) && !isHeading(lines.at(previous.last))) {
      previous.last = paragraph.last;
    } else {
      joined.push({ first: paragraph.first, last: paragraph.last });
    }
  }
  return joined;
}

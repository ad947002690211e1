import { type Lines, sentencesOf } from './text.ts';

/** "12,4 miljoner kronor", "51,9 mnkr", "148 kronor", "30 MSEK", "180 000 kr". */
const AMOUNT = /(\d{1,3}(?:[  ]\d{3})+|\d+(?:[,.]\d+)?)\s*(miljoner|miljon|mnkr|msek|mkr|miljarder|miljard|mdkr|tkr|tusen|kronor|kr\b|sek\b)/gi;

const SCALE: Record<string, number> = { miljoner: 6, miljon: 6, mnkr: 6, msek: 6, mkr: 6, miljarder: 9, miljard: 9, mdkr: 9, tkr: 3, tusen: 3 };

/** An amount as an exact string of SEK digits: "12,4" miljoner → "12400000". */
export function toSek(number: string, unit: string): string | null {
  const digits = number.replace(/[  ]/g, '').replace(',', '.');
  const [whole, fraction = ''] = digits.split('.');
  const scale = SCALE[unit.toLowerCase()] ?? 0;
  if (fraction.length > scale + 2) return null;
  const padded = fraction.padEnd(scale, '0');
  const integer = `${whole}${padded.slice(0, scale)}`.replace(/^0+(?=\d)/, '');
  const cents = padded.slice(scale);
  return cents && /[1-9]/.test(cents) ? `${integer}.${cents}` : integer;
}

export interface FoundAmount {
  lines: [number, number];
  text: string;
  sek: string;
  /** The amount as written ("12,4 miljoner kronor"). */
  written: string;
  /** How many amounts the sentence states. */
  inSentence: number;
}

/** Every amount in SEK the text states, with the lines of its sentence (amounts may run over a line break). */
export function findAmounts(lines: Lines): FoundAmount[] {
  const found: FoundAmount[] = [];
  for (const paragraph of lines.paragraphs()) {
    for (const sentence of sentencesOf(lines, paragraph)) {
      const matches = [...sentence.text.matchAll(AMOUNT)];
      for (const match of matches) {
        const sek = toSek(match[1]!, match[2]!);
        if (sek !== null) found.push({ lines: [sentence.span.first, sentence.span.last], text: sentence.text, sek, written: match[0], inSentence: matches.length });
      }
    }
  }
  return found;
}

import { personNameAt } from './names.ts';
import { type Lines, type Span, sentencesOf } from './text.ts';

/**
 * Verbs in the present tense by which minutes say what someone did at the meeting: who informs,
 * reports, raises a question or volunteers spoke there. Verbs of later work ("återkommer",
 * "tar fram") are not among them: they say nothing about who was in the room.
 */
const SPOKE = [
  'informerar', 'informerade', 'redogör', 'redogjorde', 'föredrar', 'föredrog', 'berättar', 'berättade', 'presenterar', 'presenterade',
  'rapporterar', 'rapporterade', 'meddelar', 'meddelade', 'anmäler', 'anmälde', 'lyfter', 'lyfte', 'framför', 'framförde', 'påtalar',
  'påtalade', 'föreslår', 'föreslog', 'erbjuder sig', 'erbjöd sig', 'åtar sig', 'åtog sig', 'yrkar', 'yrkade',
];
const VERB = new RegExp(`^(?:${SPOKE.join('|')})\\b`, 'iu');

export interface Actor {
  name: string;
  span: Span;
}

/**
 * People a sentence of the notes opens with, as those who act in it: "Anna Berg informerar om …",
 * "Johanna Hilmersson och Hillevi Bengsson anmäler intresse …". Only full names (first and last)
 * followed at once by a verb of speaking are read; a first name alone, or a name inside a sentence,
 * is not enough to say who attended.
 */
export function readActors(lines: Lines, span: Span): Actor[] {
  const found: Actor[] = [];
  for (const paragraph of lines.paragraphs(span)) {
    for (const sentence of sentencesOf(lines, paragraph)) {
      let rest = sentence.text.replace(/^[\s•\-–*o]+(?=\S)/u, '').trim();
      const names: string[] = [];
      for (;;) {
        const name = personNameAt(rest);
        if (!name || name.split(/\s+/).length < 2) break;
        names.push(name);
        rest = rest.slice(name.length);
        const joiner = /^\s*(?:,|och|samt)\s+/u.exec(rest);
        if (!joiner) break;
        rest = rest.slice(joiner[0].length);
      }
      if (names.length === 0 || !VERB.test(rest.trim())) continue;
      for (const name of names) found.push({ name, span: sentence.span });
    }
  }
  return found;
}

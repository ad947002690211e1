import type { DraftedAssignment } from './assignments.ts';
import { joinContinuations, type Lines, type Span, sentencesOf } from './text.ts';

/** "Uppdrag till förvaltningarna", "Uppdrag från Taktisk grupp senior:" as a heading of its own. */
const HEADING = /^\s*uppdrag\s+(från|till)\s+(\S.{0,60}?)\s*:?\s*$/iu;
const BULLET = /^\s*[•\-–*o]\s+/u;
/** What a bullet under "Uppdrag från …:" says its subject does. */
const DOES = /\s+(?:ansvarar\s+för|genomför|tar\s+fram|utreder|ser\s+över|följer\s+upp|planerar|leder|samordnar|bereder|utvecklar|ska|skall)\b/u;
/** "… arrangerar Region Halland på uppdrag av taktisk grupp Senior …": the capitalised name before, the issuer after. */
const ON_BEHALF = /((?:[A-ZÅÄÖ][\wåäöÅÄÖ-]*\s+){0,3}[A-ZÅÄÖ][\wåäöÅÄÖ-]*)\s+på\s+uppdrag\s+av\s+(.+?)(?=\s+(?:ett|en|att|den|det|och|för)\s|[.,;]|$)/u;

export interface StatedAssignment extends DraftedAssignment {
  /** Who gave the assignment, as written, when the text says. */
  issuer: string | null;
  /** The assignee is the subject of a point in a list: only a person's name or a body's counts. */
  subject?: true;
  /** Named by the title of the assignment's description: only a body counts, else it is left for review. */
  bodyOnly?: true;
}

/** "Uppdragsbeskrivning och förfrågningsunderlag Vårdval Halland närsjukvård 2019", "Uppdragsdirektiv för Arbetsgruppen": whose assignment the description is. */
const DESCRIPTION = /^(?:uppdragsbeskrivning|uppdragsdirektiv)(?:en|et)?(?:\s+(?:och|samt)\s+[\p{L}-]+)?\s+(?:för\s+|till\s+|inom\s+)?(?!(?:och|samt|för|till|inom)\s)(\p{L}[\p{L}\p{N}&\s-]*?)(?:\s+20[0-9]{2}(?:\s*[-–/]\s*(?:20)?[0-9]{2})?)?\s*:?$/iu;

const tidy = (value: string) => value.replace(/\s+/g, ' ').replace(BULLET, '').trim().replace(/[.,;:]+$/, '');
const capitalise = (value: string) => value.charAt(0).toUpperCase() + value.slice(1);

/**
 * Assignments a document states outside the notes of an item, in the forms that name them as
 * assignments: a heading "Uppdrag till X" over the passage that gives the work, a heading
 * "Uppdrag från X:" over a list whose every point is one assignment (its subject the assignee,
 * when it has one), and "X … på uppdrag av Y". Other mentions of work are left to the reader.
 */
export function readStatedAssignments(lines: Lines, span: Span = { first: 1, last: lines.count }): StatedAssignment[] {
  const found: StatedAssignment[] = [];
  const paragraphs = joinContinuations(lines, splitAtHeadings(lines, lines.paragraphs(span)), (line) => HEADING.test(line));
  // A title of its own (a line or a few, no sentence) that names a description of someone's assignment.
  for (const paragraph of lines.paragraphs(span)) {
    const title = tidy(paragraph.text);
    const description = paragraph.last - paragraph.first < 3 && title.split(/\s+/).length <= 12 && !/[.;!?]$/.test(paragraph.text.trim()) ? DESCRIPTION.exec(title) : null;
    if (!description) continue;
    found.push({ assignee: description[1]!.trim(), issuer: null, task: shorten(title), dueOn: null, span: { first: paragraph.first, last: paragraph.last }, sentence: title, bodyOnly: true });
  }
  for (const [index, paragraph] of paragraphs.entries()) {
    const heading = HEADING.exec(lines.at(paragraph.first));
    if (heading && !/\satt\s/i.test(heading[2]!)) {
      const who = heading[2]!.trim();
      if (heading[1]!.toLowerCase() === 'till') {
        // The work is the rest of the paragraph, or the next one.
        const body = paragraph.last > paragraph.first ? { first: paragraph.first + 1, last: paragraph.last } : paragraphs[index + 1];
        if (!body || HEADING.test(lines.at(body.first))) continue;
        const task = tidy(lines.textOf(body));
        found.push({ assignee: who, issuer: null, task: shorten(task), dueOn: null, span: { first: paragraph.first, last: body.last }, sentence: task });
        continue;
      }
      // "Uppdrag från X:": the points right below, to the first paragraph that is not a point.
      const points: Span[] = [];
      if (paragraph.last > paragraph.first && BULLET.test(lines.at(paragraph.first + 1))) points.push({ first: paragraph.first + 1, last: paragraph.last });
      for (const next of paragraphs.slice(index + 1)) {
        if (!BULLET.test(lines.at(next.first))) break;
        points.push(next);
      }
      for (const point of points) {
        const text = tidy(lines.textOf(point));
        const does = DOES.exec(text);
        const subject = does && does.index > 0 ? text.slice(0, does.index).trim() : null;
        found.push({
          assignee: subject && subject.split(/\s+/).length <= 6 ? subject : null,
          issuer: who,
          task: shorten(capitalise(does ? text.slice(does.index).trim() : text)),
          dueOn: null,
          span: point,
          sentence: text,
          subject: true,
        });
      }
      continue;
    }
    for (const sentence of sentencesOf(lines, paragraph)) {
      const match = ON_BEHALF.exec(sentence.text);
      if (!match) continue;
      found.push({ assignee: match[1]!.trim(), issuer: match[2]!.trim(), task: shorten(tidy(sentence.text)), dueOn: null, span: sentence.span, sentence: sentence.text });
    }
  }
  return found;
}

/** A heading "Uppdrag från …:" under a title line opens a paragraph of its own. */
function splitAtHeadings(lines: Lines, paragraphs: Span[]): Span[] {
  const split: Span[] = [];
  for (const paragraph of paragraphs) {
    let first = paragraph.first;
    for (let n = paragraph.first + 1; n <= paragraph.last; n++) {
      if (HEADING.test(lines.at(n))) {
        split.push({ first, last: n - 1 });
        first = n;
      }
    }
    split.push({ first, last: paragraph.last });
  }
  return split;
}

const shorten = (value: string) => (value.length > 160 ? `${value.slice(0, 157)}…` : value);

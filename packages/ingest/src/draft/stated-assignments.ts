import { type DraftedAssignment, dueOf } from './assignments.ts';
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
  /** A point of a list that "X får i uppdrag:" leads into: only one body or person counts, else it is left for review. */
  listed?: true;
}

/** "Hälso- och sjukvårdsförvaltningen får i uppdrag:" closing a line: the points that follow are its assignments. */
const LEAD_IN = /(?:^|[.!?]\s+)(\p{Lu}[\p{L}\p{N}\s-]*?)\s+(?:får|fick|ges|gavs)\s+(?:även\s+|också\s+|därför\s+)?i\s+uppdrag\s*(att\s*)?:\s*$/u;
/** "Nr 8. Att genomföra …", "3) att utreda …", "Nr 21: Att arbeta …". */
const NUMBERED_POINT = /^(?:nr\.?\s*)?(\d{1,3})\s*[.:)]\s+(\S.*)$/iu;
const LIST_POINT = /^[-–•*]\s+(\S.*)$/u;
/** Emphasis marks of text converted from Word or Markdown are not words. */
const plain = (line: string) => line.replace(/[*_]+/g, ' ').replace(/\s+/g, ' ').trim();

interface Block extends Span {
  text: string;
  point: boolean;
}

/** Lines grouped as the text shows them: a point of a list (with the lines that continue it), or a run of other lines. */
function blocksOf(lines: Lines, span: Span): Block[] {
  const blocks: Block[] = [];
  let current: Block | null = null;
  for (let n = span.first; n <= span.last; n++) {
    const line = plain(lines.at(n));
    if (line === '') {
      current = null;
      continue;
    }
    const point = NUMBERED_POINT.test(line) || (LIST_POINT.test(lines.at(n).trim()) && !/^\*\*/.test(lines.at(n).trim()));
    if (current && !point) {
      current.last = n;
      current.text = `${current.text} ${line}`;
      continue;
    }
    current = { first: n, last: n, text: line, point };
    blocks.push(current);
  }
  return blocks;
}

/**
 * The points a lead-in "X får i uppdrag:" opens, each an assignment of X: numbered points in
 * rising order (answers may stand between them, as in a report on the assignments), or points of
 * a list that follow one another. Without "att" in the lead-in each point must open with "Att".
 * A heading, another lead-in or a point out of order ends the list.
 */
function readListedAssignments(lines: Lines, span: Span): StatedAssignment[] {
  const found: StatedAssignment[] = [];
  let lead: { who: string; att: boolean } | null = null;
  let lastNumber = 0;
  let listOpen = false;
  let bulleted = false;
  for (const block of blocksOf(lines, span)) {
    if (!block.point) {
      const leadIn = LEAD_IN.exec(block.text);
      if (leadIn) {
        lead = { who: leadIn[1]!.trim(), att: leadIn[2] !== undefined };
        lastNumber = 0;
        bulleted = false;
        listOpen = true;
        continue;
      }
      if (/^\s*(#|§)/u.test(lines.at(block.first))) lead = null;
      listOpen = false;
      continue;
    }
    if (!lead) continue;
    const numbered = NUMBERED_POINT.exec(block.text);
    if (numbered) {
      const number = Number(numbered[1]);
      // A list is numbered or not from its first point: a number after points without ends it.
      if (number <= lastNumber || bulleted) {
        lead = null;
        continue;
      }
      lastNumber = number;
    } else if (lastNumber > 0) {
      // A list inside the text between numbered assignments (an answer's points) is not one of them.
      continue;
    } else if (!listOpen) {
      lead = null;
      continue;
    } else {
      bulleted = true;
    }
    const rest = (numbered ? numbered[2]! : LIST_POINT.exec(block.text)?.[1] ?? block.text).trim();
    if (!lead.att && !/^att\s/iu.test(rest)) {
      lead = null;
      continue;
    }
    const task = capitalise(rest.replace(/^att\s+/iu, '').replace(/[.;,]+$/, ''));
    found.push({ assignee: lead.who, issuer: null, task: shorten(task), dueOn: dueOf(rest), span: { first: block.first, last: block.last }, sentence: rest, listed: true });
  }
  return found;
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
  found.push(...readListedAssignments(lines, span));
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

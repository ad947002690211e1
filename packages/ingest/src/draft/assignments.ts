import { findDate } from './dates.ts';
import { BODY_WORD } from './organisations.ts';
import { type Lines, type Span, sentencesOf } from './text.ts';

export interface DraftedAssignment {
  /** Who is to do it, as written ("Magnus Frithiof", "Programorganisationen", "Therese"). */
  assignee: string | null;
  /** What is to be done. */
  task: string;
  dueOn: string | null;
  span: Span;
  /** The sentence, as written. The assignee is resolved later, among the attendees and known records. */
  sentence: string;
  /** Read from a named person's action ("Karin förmedlar detta"), not from words that hand out work. */
  action?: true;
  /** Why the assignee is left empty, for the reviewer, when the sentence does not say whose the work is. */
  unnamed?: string;
}

const WHO = String.raw`([A-ZÅÄÖa-zåäö][\wåäöÅÄÖéÉ.\- ]{1,70}?)`;
const WHAT = String.raw`([^.;]+)`;
/** The phrasings of Swedish minutes that hand out work, each with who and what. */
const PATTERNS: { pattern: RegExp; who: number; what: number | null }[] = [
  { pattern: new RegExp(String.raw`${WHO}\s+(?:får|fick|ges|gavs)\s+(?:därför\s+)?i\s+uppdrag(?:et)?\s+att(?:\s*:)?\s+${WHAT}`, 'u'), who: 1, what: 2 },
  // "… beslutar att ge hälso- och sjukvårdsförvaltningen i uppdrag att …"
  { pattern: new RegExp(String.raw`(?<!\p{L})(?:ge|ger|gav)\s+${WHO}\s+i\s+uppdrag(?:et)?\s+att(?:\s*:)?\s+${WHAT}`, 'iu'), who: 1, what: 2 },
  { pattern: new RegExp(String.raw`\buppdra(?:r|s|des|git)?\s+(?:åt|till)\s+${WHO}\s+att(?:\s*:)?\s+${WHAT}`, 'iu'), who: 1, what: 2 },
  { pattern: new RegExp(String.raw`\bdeleger(?:ar|ade)\s+(?:uppdraget\s+)?till\s+${WHO},?\s+att\s+${WHAT}`, 'iu'), who: 1, what: 2 },
  { pattern: new RegExp(String.raw`\blämnar\s+(?:vi|styrgruppen|nämnden|beredningen|gruppen)\s+till\s+${WHO}\s+att\s+${WHAT}`, 'iu'), who: 1, what: 2 },
  { pattern: new RegExp(String.raw`\b[Uu]ppdrag\s+till\s+${WHO}\s+att\s+${WHAT}`, 'u'), who: 1, what: 2 },
  { pattern: new RegExp(String.raw`\b[Bb]eställning(?:en)?\s+till\s+${WHO}\s+att\s+${WHAT}`, 'u'), who: 1, what: 2 },
  { pattern: new RegExp(String.raw`${WHO}\s+ombesörjer\b`, 'u'), who: 1, what: null },
  // A standing assignment: "Vårdcentralerna har i uppdrag att …", "X har fått i uppdrag att …".
  { pattern: new RegExp(String.raw`${WHO}\s+har\s+(?:sedan\s+tidigare\s+|därför\s+|också\s+|även\s+)?(?:fått\s+)?i\s+uppdrag\s+att\s+${WHAT}`, 'u'), who: 1, what: 2 },
];
/** "Uppdraget är att …", "Gruppens uppdrag är att …": whose, the passage's heading or the genitive says ("är att betrakta som" is no task). */
const ITS_TASK = new RegExp(String.raw`^(?:[-–•*o]\s+)?(?:(?:[Uu]ppdraget|(?:[Dd]ess|[Dd]eras)\s+uppdrag)|(\p{L}[\p{L}-]*?)s\s+uppdrag)\s+är\s+att\s+(?!(?:betrakta|se|anse|räkna|likna|jämföra|jämställa)\s)${WHAT}`, 'u');
/** "Styrgruppen önskar dock komplettering av …", "nämnden begär en komplettering med …": work asked for, by whom not said. */
const SUPPLEMENT = new RegExp(String.raw`(?<!\p{L})(?:önskar|begär|efterfrågar|efterfrågas|begärs|önskas)\s+(?:dock\s+|även\s+|också\s+)?(?:en\s+)?komplettering(?:ar)?\s+(?:av|med|kring|gällande|om)\s+${WHAT}`, 'iu');
/** A named person who reports back or passes something on: "Karin förmedlar detta", "Ola stämmer av och återkopplar". */
const ACTION = /(?:^|[.;]\s+|\s)([A-ZÅÄÖ][a-zåäöé]+(?:\s[A-ZÅÄÖ][a-zåäöé]+)?)\s+(förmedlar|återkommer|återkopplar|stämmer av|kontaktar|bokar in|tar fram|sammanställer|skickar ut|ombesörjer|ansvarar för att)\b/u;

/** The last clause of "Ordförande vill att … och Magnus Frithiof": who the assignment names. */
function cleanWho(value: string): string {
  const parts = value.split(/\s+och\s+(?=[A-ZÅÄÖ])|,\s*|:\s*|\bsamt\s+/);
  const lastPart = parts[parts.length - 1]!.trim();
  return lastPart.replace(/^(?:beslut|därför|även|också)\s+/i, '').replace(/[\s,.]+$/, '');
}

/**
 * Assignments in a passage: who is to do what ("X får i uppdrag att …", "uppdra åt X att …",
 * "delegerar uppdraget till X att …", "X ombesörjer detta"), with a due date when the sentence
 * gives one ("senast 2024-10-31"). Lines are those of the sentence.
 */
export function readAssignments(lines: Lines, span: Span): DraftedAssignment[] {
  const found: DraftedAssignment[] = [];
  for (const paragraph of lines.paragraphs(span)) {
    for (const sentence of sentencesOf(lines, paragraph)) {
      const text = sentence.text;
      let matched = false;
      for (const { pattern, who, what } of PATTERNS) {
        const match = pattern.exec(text);
        if (!match) continue;
        // "… får i uppdrag att göra detta", "… att utveckla": the work is named elsewhere in the sentence.
        const named = what === null ? taskBefore(text) : match[what]!;
        const task = /^\s*\S+\s+(detta|det|så)\s*$/i.test(named) || named.trim().split(/\s+/).length < 2 ? text : named;
        found.push({ assignee: cleanWho(match[who]!), task: tidyTask(task), dueOn: dueOf(text), span: sentence.span, sentence: text });
        matched = true;
        break;
      }
      if (matched) continue;
      const its = ITS_TASK.exec(text);
      if (its) {
        const genitive = its[1] && BODY_WORD.test(its[1]) ? its[1] : null;
        const heading = genitive ?? headingAbove(lines, paragraph.first);
        const named = heading !== null && BODY_WORD.test(heading);
        found.push({
          assignee: named ? heading : null,
          task: tidyTask(its[2]!),
          dueOn: dueOf(text),
          span: sentence.span,
          sentence: text,
          ...(named ? {} : { unnamed: heading === null ? 'states an assignment without saying whose: the assignee is left empty' : `states an assignment under the heading "${heading}", which is not read as a body: the assignee is left empty` }),
        });
        continue;
      }
      const supplement = SUPPLEMENT.exec(text);
      if (supplement) {
        found.push({ assignee: null, task: tidyTask(`Komplettera med ${supplement[1]!.trim()}`), dueOn: dueOf(text), span: sentence.span, sentence: text, unnamed: 'asks for a supplement without saying who is to make it: the assignee is left empty' });
        continue;
      }
      const action = ACTION.exec(text);
      if (action) {
        found.push({ assignee: action[1]!, task: tidyTask(text), dueOn: dueOf(text), span: sentence.span, sentence: text, action: true });
      }
    }
  }
  return found;
}

export function dueOf(text: string): string | null {
  const due = /\b(?:senast|före|innan|till)\s+(?:den\s+)?([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-3]?[0-9]\s+[a-zåäö]+\s+[0-9]{4})/i.exec(text);
  return due ? findDate(due[1]!) : null;
}

const tidyTask = (value: string) => {
  // The clauses of a list ("att: - ta fram …, - redovisa …") joined as one task.
  const text = value.replace(/\s+/g, ' ').trim().replace(/^[•\-–*o]\s+/u, '').replace(/[,;]?\s+[-–•]\s+(?=\p{Ll})/gu, '; ').replace(/[.,;:)]+$/, '');
  const capitalised = text.charAt(0).toUpperCase() + text.slice(1);
  return capitalised.length > 160 ? `${capitalised.slice(0, 157)}…` : capitalised;
};

/** "Ett möte ska bokas in … och Therese ombesörjer detta": the work is what comes before. */
function taskBefore(sentence: string): string {
  const before = sentence.split(/\s+och\s+[A-ZÅÄÖ][\wåäö]*\s+ombesörjer/u)[0]!;
  return before.trim() === sentence.trim() ? sentence : before;
}


/**
 * The heading of the passage a line stands in: the nearest paragraph above that is not a list of
 * points, when it is a heading (a short line or two, no sentence), or the line that opens the list
 * the line is in. Its number ("3.", "§ 4", "Punkt 2:") is left out.
 */
export function headingAbove(lines: Lines, line: number): string | null {
  const point = (n: number) => /^\s*[-–•*o]\s/u.test(lines.at(n));
  let n = line - 1;
  while (n >= 1 && line - n <= 60) {
    if (lines.isBlank(n)) {
      n--;
      continue;
    }
    let first = n;
    while (first > 1 && !lines.isBlank(first - 1)) first--;
    if (point(first)) {
      n = first - 1;
      continue;
    }
    let last = n;
    for (let m = first + 1; m <= n; m++) {
      if (point(m)) {
        last = first;
        break;
      }
    }
    const heading = lines
      .textOf({ first, last })
      .replace(/^(?:§\s*\d+[a-z]?|punkt\s+\d+|\d+(?:\.\d+)*)[.:)]?\s+/iu, '')
      .replace(/\s*:$/, '');
    if (/[.;,!?]$/.test(heading) || heading.split(/\s+/).length > 10 || !/^\p{Lu}/u.test(heading)) return null;
    return heading;
  }
  return null;
}

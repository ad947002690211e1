import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliDatabase, citations, createCliDatabase, FIXTURES, folded, naravard } from './support.ts';

/**
 * Drafting rules for minutes in general, each on a text of our own through the command line:
 * who acted at the meeting attended it; assignments and approvals that a letter or the slides
 * after the notes state; amounts drafted as grants and allocations only when the text says so;
 * changes stated as settled from a date, and assignments named by "Uppdraget är att", "har i
 * uppdrag att", a requested supplement or the title of an assignment's description.
 */
let database: CliDatabase;
let work: string;

beforeAll(async () => {
  database = await createCliDatabase({ seed: false });
  work = mkdtempSync(join(tmpdir(), 'naravard-draft-rules-'));
});
afterAll(() => database?.dispose());

async function draft(fixture: string, args: string[]) {
  const out = join(work, `${fixture}.json`);
  const result = await naravard(['ingest', 'draft', join(FIXTURES, `${fixture}.txt`), '--out', out, ...args], database.env);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const seed = JSON.parse(readFileSync(out, 'utf8'));
  const text = readFileSync(join(work, 'documents', seed.document.file), 'utf8');
  const lines = text.split('\n');
  for (const { key, quote, lines: [first, last] } of citations(seed)) {
    expect(folded(lines.slice(first - 1, last).join(' ')), `${key} cites lines ${first}-${last}`).toContain(folded(quote));
  }
  return seed;
}

describe('naravard ingest draft, notes followed by a letter\'s attachments', () => {
  let seed: any;
  const name = (key: string | null) => (key === null ? null : (seed.people.find((p: any) => p.key === key) ?? seed.organisations.find((o: any) => o.key === key))?.name);
  beforeAll(async () => {
    seed = await draft('anteckningar-bilagor', ['--region', '17']);
  });

  it('records as present those the notes say spoke or volunteered, by full name only, once each', () => {
    expect(seed.meetings[0].participants.map((p: any) => [name(p.person), p.role, p.cite[0].lines])).toEqual([
      ['Sofia Lund', 'presenter', [9, 9]],
      ['Amir Said', 'presenter', [16, 16]],
      ['Petra Nilsson', 'present', [12, 12]],
      ['Jonas Ek', 'present', [12, 12]],
    ]);
    expect(seed.people.map((p: any) => p.name)).not.toContain('Maria Berg');
  });

  it('drafts an approval and a decision reported with their body, a sentence run over a blank line read whole, leaving the body to be linked', () => {
    expect(seed.decisions.map((d: any) => [d.kind, d.decidedBy, d.meeting, d.cite[0].lines])).toEqual([
      ['approval', null, null, [33, 33]],
      ['decision', null, null, [50, 52]],
    ]);
    expect(seed.decisions[1].text).toBe('Hälso- och sjukvårdsnämnden har beslutat att Region Värmland ska delta i överenskommelsen om mobila team.');
    expect(seed.review.find((note: any) => note.lines[0] === 33)?.why).toContain('"Ledningsgruppen för hälso- och sjukvård"');
  });

  it('drafts the assignments stated outside the notes, once each, with assignee and issuer only where the text names one', () => {
    expect(seed.assignments.map((a: any) => [name(a.assigneeOrganisation ?? a.assigneePerson), name(a.issuedBy), a.originDecision, a.cite.map((c: any) => c.lines)])).toEqual([
      ['Region Värmland', 'Ledningsgruppen', null, [[3, 3], [47, 48]]],
      ['Fokusområde Närsjukvård', 'Ledningsgruppen', null, [[37, 39]]],
      [null, 'Ledningsgruppen', null, [[41, 42]]],
      [null, null, null, [[44, 45]]],
      [null, 'Hälso- och sjukvårdsnämnden', null, [[55, 55]]],
    ]);
    expect(seed.organisations.map((o: any) => o.name)).not.toContain('Rapporten');
    expect(seed.assignments[2].title).toBe('Utvecklingsledare och samordnare genomför en kartläggning av remissflöden under hösten');
    expect(seed.organisations.find((o: any) => o.name === 'Fokusområde Närsjukvård').kind).toBe('operational_area');
    expect(seed.assignments[1].title).toBe('Ansvarar för att inventera behovet av samtalsstöd');
    const why = (line: number) => seed.review.filter((note: any) => note.lines[0] === line).map((note: any) => note.why).join(' ');
    expect(why(41)).toContain('"Utvecklingsledare och samordnare" is not read as a person or a body');
    expect(why(55)).toContain('"Rapporten" is not read as a person or a body');
    expect(why(44)).toContain('"kommunerna" names several bodies');
  });
});

describe('naravard ingest draft, a protokoll with a substitute, an adjuster and amounts', () => {
  let seed: any;
  beforeAll(async () => {
    seed = await draft('protokoll-medel', ['--region', '06']);
  });

  it('records the substitute (ersättare) and the adjuster (justerare) in roles of their own', () => {
    const people = new Map(seed.people.map((p: any) => [p.key, p.name]));
    expect(seed.meetings[0].participants.map((p: any) => [people.get(p.person), p.role, p.title])).toEqual([
      ['Eva Ström', 'chair', null],
      ['Olle Dahl', 'present', null],
      ['Nina Sjö', 'present', null],
      ['Pia Alm', 'substitute', null],
      ['Jon Bly', 'secretary', null],
      ['Nina Sjö', 'adjuster', null],
    ]);
    expect(seed.review.filter((note: any) => note.lines[0] <= 9)).toEqual([]);
  });

  it('drafts a grant and an allocation where the text says granted and shared out, with programme, year and recipient', () => {
    const programmes = new Map(seed.grantProgrammes.map((g: any) => [g.key, g.name]));
    expect(seed.grants.map((g: any) => [programmes.get(g.programme), g.recipientRegion, g.period, g.amountSek, g.status, g.cite[0].lines])).toEqual([
      ['Statsbidrag för god och nära vård', '06', '2025', '12400000', 'awarded', [13, 13]],
    ]);
    expect(seed.allocations.map((a: any) => [programmes.get(a.programme), a.recipientDescription, a.period, a.amountSek, a.cite[0].lines])).toEqual([
      ['Statsbidraget', 'Vårdcentralerna', '2025', '3200000', [14, 14]],
    ]);
    const why = (line: number) => seed.review.filter((note: any) => note.lines[0] === line).map((note: any) => note.why).join(' ');
    expect(why(13)).toContain('link it to the programme');
    expect(why(14)).toContain('link it to the programme');
  });

  it('leaves a proposed amount, one without a programme, and a rate in review with their SEK value', () => {
    const why = (line: number) => seed.review.filter((note: any) => note.lines[0] === line).map((note: any) => note.why).join(' ');
    expect(why(18)).toMatch(/2000000 SEK; the sentence does not state it as a fact/);
    expect(why(19)).toMatch(/5000000 SEK; the sentence names no grant programme/);
    expect(why(20)).toMatch(/148 SEK; /);
    expect(seed.grants).toHaveLength(1);
    expect(seed.allocations).toHaveLength(1);
  });
});

describe('naravard ingest draft, a §-numbered protokoll: changes from a date, standing assignments and a requested supplement', () => {
  let seed: any;
  const name = (key: string | null) => (key === null ? null : (seed.people.find((p: any) => p.key === key) ?? seed.organisations.find((o: any) => o.key === key))?.name);
  const why = (line: number) => seed.review.filter((note: any) => note.lines[0] === line).map((note: any) => note.why).join(' ');
  beforeAll(async () => {
    seed = await draft('protokoll-forandringar', ['--region', '24']);
  });

  it('drafts the decision the meeting states, and leaves a change from a date it only reports for review', () => {
    expect(seed.meetings[0].agendaItems.map((item: any) => [item.ordinal, item.decisions.map((d: any) => [d.kind, d.cite.map((c: any) => c.lines)])])).toEqual([
      [41, []],
      [42, [['decision', [[20, 20]]]]],
      [43, []],
      [44, [['approval', [[29, 29]]]]],
      [45, []],
      [46, [['decision', [[39, 39]]]]],
      [47, [['decision', [[43, 45]]]]],
    ]);
    expect(seed.decisions).toEqual([]);
    expect(why(18)).toContain('states a change in effect from a date without saying the meeting decided it');
  });

  it('reads "Uppdraget är att" as the assignment of the body its heading names, "har i uppdrag att" with its due date, a requested supplement without an assignee, who "ansvarar för att", and whom a decision gives an assignment ("ge X i uppdrag att", its clauses listed after "att:")', () => {
    const decision44 = seed.meetings[0].agendaItems[3].decisions[0].key;
    expect(seed.assignments.map((a: any) => [name(a.assigneeOrganisation ?? a.assigneePerson), a.originDecision, a.dueOn, a.cite.map((c: any) => c.lines)])).toEqual([
      ['Samordningsfunktion för utskrivning', null, null, [[24, 24]]],
      ['Arbetsgruppen för mobila team', null, '2025-02-28', [[25, 25]]],
      [null, decision44, null, [[29, 29]]],
      ['Maria Sundberg', null, '2024-11-27', [[35, 35]]],
      ['Hälso- och sjukvårdsförvaltningen', seed.meetings[0].agendaItems[5].decisions[0].key, '2025-04-30', [[39, 39]]],
      ['Förvaltningen', seed.meetings[0].agendaItems[6].decisions[0].key, '2025-05-31', [[43, 45]]],
    ]);
    expect(seed.assignments.map((a: any) => a.title)).toEqual([
      'Samordna planeringen inför utskrivning från slutenvården',
      'Ta fram en plan för hembesök senast 2025-02-28',
      'Komplettera med kostnadsberäkningen inför nästa sammanträde',
      'Maria ansvarar för att protokollet justeras senast 2024-11-27',
      'Redovisa väntetiderna senast 2025-04-30',
      'Ta fram en modell för mobila team; redovisa kostnaderna senast 2025-05-31',
    ]);
    expect(why(29)).toContain('asks for a supplement without saying who is to make it');
  });
});

describe('naravard ingest draft, a newsletter: a change stated as settled, and assignments by heading and description', () => {
  let seed: any;
  const name = (key: string | null) => (key === null ? null : (seed.people.find((p: any) => p.key === key) ?? seed.organisations.find((o: any) => o.key === key))?.name);
  const why = (line: number) => seed.review.filter((note: any) => note.lines[0] === line).map((note: any) => note.why).join(' ');
  beforeAll(async () => {
    seed = await draft('nyhetsbrev-forandringar', ['--region', '20']);
  });

  it('drafts a change from a date stated as settled as a decision whose body and date of deciding are left open, not a proposed one', () => {
    expect(seed.meetings).toEqual([]);
    expect(seed.decisions.map((d: any) => [d.kind, d.decidedBy, d.decidedOn, d.meeting, d.cite.map((c: any) => c.lines)])).toEqual([['decision', null, null, null, [[5, 5]]]]);
    expect(seed.decisions[0].text).toBe('Från och med den 1 januari 2025 upphör telefonrådgivningen på kvällstid vid vårdcentralerna.');
    expect(why(5)).toContain('without naming who decided it');
    expect(why(7)).toContain('proposed or uncertain');
  });

  it('drafts the assignments a heading or a description names, with an assignee only where a body is named', () => {
    expect(seed.assignments.map((a: any) => [name(a.assigneeOrganisation ?? a.assigneePerson), a.meeting, a.cite.map((c: any) => c.lines)])).toEqual([
      ['Mobila teamet', null, [[13, 14]]],
      [null, null, [[20, 20]]],
      ['Arbetsgruppen för psykisk hälsa', null, [[22, 23]]],
      [null, null, [[31, 31]]],
    ]);
    expect(seed.assignments.map((a: any) => a.title)).toEqual([
      'Stödja hemsjukvården med läkarbesök i hemmet',
      'Ta fram en handlingsplan för digitala vårdbesök',
      'Uppdragsdirektiv för Arbetsgruppen för psykisk hälsa 2025',
      'Erbjuda hälsosamtal till alla 40-åringar',
    ]);
    expect(why(20)).toContain('under the heading "Digital vård", which is not read as a body');
    expect(why(29)).toContain('"Närhälsan Dalarna", which is not read as a body');
    expect(why(31)).toContain('"Vårdcentralerna" names several bodies');
    expect(seed.organisations.map((o: any) => o.name).sort()).toEqual(['Arbetsgruppen för psykisk hälsa', 'Mobila teamet']);
  });

  it('drafts nothing from a consequence without a change, a title naming no one, or "är att betrakta som"', () => {
    const cited = [...seed.decisions, ...seed.assignments].flatMap((record: any) => record.cite.map((c: any) => c.lines[0]));
    for (const line of [7, 9, 16, 27, 33]) expect(cited, `line ${line}`).not.toContain(line);
  });
});

describe('naravard ingest draft, informal notes in points: one point, one sentence', () => {
  let seed: any;
  const name = (key: string | null) => (key === null ? null : (seed.people.find((p: any) => p.key === key) ?? seed.organisations.find((o: any) => o.key === key))?.name);
  beforeAll(async () => {
    seed = await draft('anteckningar-mobila-team', ['--region', '12']);
  });

  it('reads each point of a list as its own sentence: who is responsible, who reports back, and the assignment under the item a body names', () => {
    expect(seed.assignments.map((a: any) => [name(a.assigneePerson ?? a.assigneeOrganisation), a.cite.map((c: any) => c.lines), a.title])).toEqual([
      ['Sara Berg', [[11, 11]], 'Sara ansvarar för att uppdatera rutinen före nästa möte'],
      ['Omar Haddad', [[12, 12]], 'Omar återkommer med statistik över hembesöken'],
      ['Mobila teamet', [[15, 15]], 'Ge läkarstöd till hemsjukvården dygnet runt'],
    ]);
  });

  it('drafts no decision from a change the notes report as decided elsewhere, and leaves it for review', () => {
    expect(seed.meetings[0].agendaItems.flatMap((item: any) => item.decisions)).toEqual([]);
    expect(seed.decisions).toEqual([]);
    expect(seed.review.some((note: any) => note.lines[0] <= 10 && 10 <= note.lines[1])).toBe(true);
  });
});

describe('naravard ingest draft, a plan that lists assignments under "X får i uppdrag:"', () => {
  let seed: any;
  const name = (key: string | null) => (key === null ? null : (seed.people.find((p: any) => p.key === key) ?? seed.organisations.find((o: any) => o.key === key))?.name);
  const why = (line: number) => seed.review.filter((note: any) => note.lines[0] === line).map((note: any) => note.why).join(' ');
  beforeAll(async () => {
    seed = await draft('verksamhetsplan-uppdrag', ['--region', '03']);
  });

  it('drafts each point of the list as an assignment of the body that leads into it: numbered points past the text between them, points of a list while they follow one another', () => {
    expect(seed.assignments.map((a: any) => [name(a.assigneeOrganisation ?? a.assigneePerson), a.dueOn, a.cite.map((c: any) => c.lines), a.title])).toEqual([
      ['Hälso- och sjukvårdsförvaltningen', '2025-06-30', [[9, 9]], 'Införa digitala vårdmöten på alla vårdcentraler senast 2025-06-30'],
      ['Hälso- och sjukvårdsförvaltningen', null, [[13, 13]], 'Utreda behovet av en närakut i Enköping'],
      ['Hälso- och sjukvårdsnämndens beredning för barn och unga', null, [[23, 23]], 'Följa arbetet med första linjen'],
      ['Hälso- och sjukvårdsnämndens beredning för barn och unga', null, [[24, 24]], 'Ta fram en plan för elevhälsan'],
    ]);
    // The body named after its owner is also known by its own name.
    expect(seed.organisations.find((o: any) => o.name === 'Hälso- och sjukvårdsnämndens beredning för barn och unga').aliases).toEqual(['Beredning för barn och unga']);
  });

  it('leaves points for several bodies to review, and drafts nothing from an answer\'s points, a number after an unnumbered list, or a lead-in with no list', () => {
    expect(why(19)).toContain('"Kommunerna", which is not read as one body or person');
    expect(why(20)).toContain('"Kommunerna", which is not read as one body or person');
    const cited = seed.assignments.flatMap((a: any) => a.cite.map((c: any) => c.lines[0]));
    for (const line of [15, 16, 19, 20, 26, 28, 29]) expect(cited, `line ${line}`).not.toContain(line);
    expect(seed.organisations.map((o: any) => o.name)).not.toContain('Kommunerna');
  });
});

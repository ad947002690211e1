import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliDatabase, citations, createCliDatabase, FIXTURES, folded, naravard } from './support.ts';

/**
 * Drafting rules for minutes in general, each on a text of our own through the command line:
 * who acted at the meeting attended it; assignments and approvals that a letter or the slides
 * after the notes state; amounts drafted as grants and allocations only when the text says so.
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

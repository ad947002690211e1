import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../sdk/src/index.ts';
import type { Callers } from './support/auth.ts';
import type { TestServer } from './support/server.ts';
import { RESULT, startWriteTest, type WriteTest } from './support/writes.ts';

let server: TestServer;
let as: Callers;
let refusedWith: WriteTest['refusedWith'];

beforeAll(async () => {
  ({ server, as, refusedWith } = await startWriteTest());
});
afterAll(() => server?.close());

const MINUTES = [
  'Protokoll Styrgrupp nära vård',
  'Datum 2024-09-03',
  '',
  'Närvarande: Magnus Frith1of, Programchef',
  'Ordförande: Martin Myrskog',
  '',
  '1. Inledning',
  '',
  'Ordförande hälsar välkomna.',
  '',
  '2. Digital kommunikation',
  '',
  'Beslut: Programorganisationen får i uppdrag att ta fram en plan för videobesök senast 2024-12-31.',
  '',
  '3. Avslutning',
].join('\n');

const DRAFT = `mutation ($text: String!, $region: String, $body: String) { draftFromDocument(text: $text, region: $region, body: $body) {
  ${RESULT} ... on DocumentDraft { draft text review { lineStart lineEnd text why } } } }`;

describe('draftFromDocument', () => {
  it('drafts the records of minutes for a write key, matching known people and bodies, and writes nothing', async () => {
    const answer = await refusedWith(DRAFT, { text: MINUTES, region: '07' }, 'draftFromDocument', { __typename: 'DocumentDraft' });
    const { draft, text } = answer;
    expect(text).toBe(MINUTES);
    const meeting = draft.meetings[0];
    expect(meeting).toMatchObject({ heldOn: '2024-09-03', kind: 'steering_group', organisation: 'org:07:styrgrupp-nara-vard', region: '07' });
    expect(meeting.agendaItems.map((item: any) => item.title)).toEqual(['Inledning', 'Digital kommunikation', 'Avslutning']);
    expect(meeting.agendaItems[1].decisions).toMatchObject([{ kind: 'decision', cite: [{ lines: [13, 13] }] }]);
    expect(meeting.participants.map((p: any) => [p.person, p.role])).toEqual([
      ['person:07:magnus-frithiof', 'present'],
      ['person:07:martin-myrskog', 'chair'],
      ['person:07:martin-myrskog', 'present'],
    ]);
    expect(draft.assignments).toMatchObject([{ assigneeOrganisation: 'org:07:programorganisation-nara-vard', dueOn: '2024-12-31', originDecision: meeting.agendaItems[1].decisions[0].key }]);
    expect(draft.review).toEqual([]);
  });

  it('reads offices given after members\' names: the chair of a list of members', async () => {
    const text = ['PROTOKOLL', 'Beredningen för nära vård', 'Sammanträdesdatum 2024-03-12', '', 'Beslutande', 'Anna Berg (S), ordförande', 'Bo Ek (M), vice ordförande', '', '§ 12 Öppnande', '', '§ 13 Information'].join('\n');
    const { draft } = await refusedWith(DRAFT, { text, region: '18' }, 'draftFromDocument', { __typename: 'DocumentDraft' });
    const name = (key: string) => draft.people.find((p: any) => p.key === key)?.name;
    expect(draft.meetings[0].participants.map((p: any) => [name(p.person), p.role, p.title])).toEqual([
      ['Anna Berg', 'chair', null],
      ['Anna Berg', 'present', 'ordförande'],
      ['Bo Ek', 'present', 'vice ordförande'],
    ]);
    expect(draft.meetings[0].agendaItems.map((i: any) => [i.ordinal, i.title])).toEqual([[12, 'Öppnande'], [13, 'Information']]);
    // The known body, though written in its definite form.
    expect(draft.meetings[0].organisation).toBe('org:18:beredning-for-nara-vard');
  });

  it('reads items numbered "Punkt n", and a proposal as no decision', async () => {
    const text = ['Mötesanteckningar – Arbetsgrupp nära vård', 'Datum 2024-10-01', '', 'Punkt 1: Inledning', '', 'Punkt 2: Mobila team', '', 'Förslag till beslut: Arbetsgruppen godkänner planen.', '', 'Punkt 3: Övrigt'].join('\n');
    const { draft, review } = await refusedWith(DRAFT, { text, region: '07' }, 'draftFromDocument', { __typename: 'DocumentDraft' });
    expect(draft.meetings[0].agendaItems.map((i: any) => [i.ordinal, i.title, i.decisions.length])).toEqual([
      [1, 'Inledning', 0],
      [2, 'Mobila team', 0],
      [3, 'Övrigt', 0],
    ]);
    expect(review).toContainEqual({ lineStart: 8, lineEnd: 8, text: 'Förslag till beslut: Arbetsgruppen godkänner planen.', why: expect.stringContaining('a proposal') });
  });

  it('answers bad input with a ValidationError naming the argument', async () => {
    await refusedWith(DRAFT, { text: ' \n ' }, 'draftFromDocument', { __typename: 'ValidationError', issues: [{ path: ['text'] }] });
    await refusedWith(DRAFT, { text: MINUTES, region: '99' }, 'draftFromDocument', {
      __typename: 'ValidationError',
      issues: [{ path: ['region'], message: expect.stringContaining('region 99 is not a county code') }],
    });
  });

  it('needs the write scope', async () => {
    await refusedWith(DRAFT, { text: MINUTES }, 'draftFromDocument', { __typename: 'ForbiddenError', requiredScope: 'write' }, as.anonymous);
  });

  it('is an SDK method with a typed answer', async () => {
    const client = createClient({ url: `${server.url}/graphql`, apiKey: as.write.authorization!.replace(/^Bearer /, '') });
    const { draftFromDocument } = await client.draftFromDocument({ text: MINUTES, region: '07' });
    if (draftFromDocument.__typename !== 'DocumentDraft') throw new Error(`expected a draft, got ${draftFromDocument.__typename}`);
    expect(draftFromDocument.review).toEqual([]);
    expect((draftFromDocument.draft as { meetings: { heldOn: string }[] }).meetings[0]!.heldOn).toBe('2024-09-03');
  });
});

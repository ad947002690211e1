import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { idFor, tables } from '@naravard/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliDatabase, createCliDatabase, FIXTURES, naravard } from './support.ts';

/** Loading a reviewed draft through the command line: one transaction, logged, idempotent, quotes checked. */
let database: CliDatabase;
let work: string;
let draftPath: string;

beforeAll(async () => {
  database = await createCliDatabase({ seed: true });
  work = mkdtempSync(join(tmpdir(), 'naravard-apply-'));
  draftPath = join(work, 'protokoll.json');
  const drafted = await naravard(['ingest', 'draft', join(FIXTURES, 'protokoll-paragraf.txt'), '--region', '06', '--out', draftPath], database.env);
  expect(drafted.code, drafted.stderr).toBe(0);
});
afterAll(() => database?.dispose());

/** What the database holds of the drafted meeting, and how long the change log is. */
async function snapshot() {
  const connection = await database.open();
  try {
    const { db } = connection;
    const meetingId = idFor('meeting:jonkopings-halso-och-sjukvardsnamnden-2024-05-14');
    const [meeting] = await db.select().from(tables.meetings).where(eq(tables.meetings.id, meetingId));
    const items = await db.select().from(tables.agendaItems).where(eq(tables.agendaItems.meetingId, meetingId));
    const decisions = await db.select().from(tables.decisions).where(eq(tables.decisions.meetingId, meetingId));
    const assignments = await db.select().from(tables.assignments).where(eq(tables.assignments.regionId, idFor('region:06')));
    const citations = await db.select().from(tables.citations).where(eq(tables.citations.documentId, idFor('doc:jonkopings-halso-och-sjukvardsnamnden-2024-05-14')));
    const log = await db.select({ actor: tables.changeLog.actor, entityType: tables.changeLog.entityType }).from(tables.changeLog);
    return { meeting, items, decisions, assignments, citations, log };
  } finally {
    await connection.close();
  }
}

describe('naravard ingest apply', () => {
  it('loads the draft: the meeting, its items, decisions and assignment, with their citations, in the change log', async () => {
    const before = await snapshot();
    expect(before.meeting).toBeUndefined();
    const result = await naravard(['ingest', 'apply', draftPath], database.env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Applied .*: [1-9][0-9]* created, 0 updated, 0 unchanged\./);

    const after = await snapshot();
    expect(after.meeting).toMatchObject({ heldOn: '2024-05-14', place: 'Regionens hus, Jönköping', kind: 'sitting' });
    expect(after.items.map((item) => item.ordinal).sort()).toEqual([41, 42, 43, 44]);
    expect(after.decisions.map((d) => d.kind).sort()).toEqual(['decision', 'delegation']);
    expect(after.assignments).toHaveLength(2);
    expect(after.assignments.every((a) => a.assigneePersonId === idFor('person:06:karl-oberg'))).toBe(true);
    expect(after.citations.length).toBeGreaterThan(10);
    const logged = after.log.slice(before.log.length);
    expect(logged.every((entry) => entry.actor === 'cli:ingest apply protokoll.json')).toBe(true);
    expect(new Set(logged.map((entry) => entry.entityType))).toEqual(
      new Set(['document', 'organisation', 'person', 'meeting', 'meeting_participant', 'agenda_item', 'decision', 'assignment', 'citation']),
    );
  });

  it('changes nothing when the same draft is applied again', async () => {
    const before = await snapshot();
    const result = await naravard(['ingest', 'apply', draftPath], database.env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/: 0 created, 0 updated, [1-9][0-9]* unchanged\./);
    expect((await snapshot()).log.length).toBe(before.log.length);
  });

  it('updates what the reviewer changed, and only that', async () => {
    const draft = JSON.parse(readFileSync(draftPath, 'utf8'));
    draft.meetings[0].agendaItems[0].title = 'Val av justerare och justering';
    const edited = join(work, 'edited.json');
    writeFileSync(edited, JSON.stringify(draft));
    const before = await snapshot();
    const result = await naravard(['ingest', 'apply', edited], database.env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/: 0 created, 1 updated, /);
    const after = await snapshot();
    expect(after.items.find((item) => item.ordinal === 41)?.title).toBe('Val av justerare och justering');
    expect(after.log.slice(before.log.length).map((entry) => entry.entityType)).toEqual(['agenda_item']);
  });

  it('refuses a draft whose quote is not on its lines, naming the record, and writes nothing', async () => {
    const draft = JSON.parse(readFileSync(draftPath, 'utf8'));
    draft.meetings[0].key = 'meeting:a-new-meeting-2024-05-14';
    draft.meetings[0].agendaItems[1].decisions[0].cite[0].lines = [1, 2];
    const bad = join(work, 'bad.json');
    writeFileSync(bad, JSON.stringify(draft));
    const before = await snapshot();
    const result = await naravard(['ingest', 'apply', bad], database.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bad.json: nothing was written');
    expect(result.stderr).toContain('meetings.0.agendaItems.1.decisions.0.cite.0');
    expect(result.stderr).toContain('not on lines 1-2');
    expect((await snapshot()).log.length).toBe(before.log.length);
  });

  it('loads drafted observations with their indicator, once', async () => {
    const observationsDraft = join(work, 'tabell.json');
    const drafted = await naravard(['ingest', 'draft', join(FIXTURES, 'anteckningar-informella.txt'), '--region', '21', '--observations', '--out', observationsDraft], database.env);
    expect(drafted.code, drafted.stderr).toBe(0);
    const applied = await naravard(['ingest', 'apply', observationsDraft], database.env);
    expect(applied.code, applied.stderr).toBe(0);
    const again = await naravard(['ingest', 'apply', observationsDraft], database.env);
    expect(again.stdout).toMatch(/: 0 created, 0 updated, /);
    const connection = await database.open();
    try {
      const indicatorId = idFor(JSON.parse(readFileSync(observationsDraft, 'utf8')).indicators[0].key);
      const rows = await connection.db.select().from(tables.observations).where(eq(tables.observations.indicatorId, indicatorId));
      expect(rows.map((row) => [row.period, Number(row.value), (row.dimensions as Record<string, string>).row]).sort()).toEqual([
        ['2024-01', 12, 'norra_lansdelen'],
        ['2024-01', 8, 'sodra_lansdelen'],
        ['2024-02', 11, 'sodra_lansdelen'],
        ['2024-02', 15, 'norra_lansdelen'],
        ['2024-03', 14, 'sodra_lansdelen'],
        ['2024-03', 19, 'norra_lansdelen'],
      ]);
    } finally {
      await connection.close();
    }
  });

  it('refers to known people and bodies: adds the spellings met, overwrites nothing else', async () => {
    const ocrDraft = join(work, 'ocr.json');
    const drafted = await naravard(['ingest', 'draft', join(FIXTURES, 'ocr-skadad.txt'), '--region', '07', '--out', ocrDraft], database.env);
    expect(drafted.code, drafted.stderr).toBe(0);
    const read = async () => {
      const connection = await database.open();
      try {
        const [person] = await connection.db.select().from(tables.people).where(eq(tables.people.id, idFor('person:07:magnus-frithiof')));
        const [body] = await connection.db.select().from(tables.organisations).where(eq(tables.organisations.id, idFor('org:07:programorganisation-nara-vard')));
        return { person: person!, body: body! };
      } finally {
        await connection.close();
      }
    };
    const before = await read();
    const applied = await naravard(['ingest', 'apply', ocrDraft], database.env);
    expect(applied.code, applied.stderr).toBe(0);
    const after = await read();
    expect(after.person.name).toBe('Magnus Frithiof');
    expect(after.person.aliases).toEqual([...before.person.aliases, 'Magnus Frith1of']);
    expect(after.body).toMatchObject({ name: before.body.name, kind: before.body.kind, description: before.body.description, version: before.body.version });
  });

  it('refuses a file that is not a draft, and a draft without its text', async () => {
    const notJson = join(work, 'not.json');
    writeFileSync(notJson, '{ "document": ');
    const result = await naravard(['ingest', 'apply', notJson], database.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not.json: not valid JSON');

    const draft = JSON.parse(readFileSync(draftPath, 'utf8'));
    draft.document.file = 'missing.txt';
    const orphan = join(work, 'orphan.json');
    writeFileSync(orphan, JSON.stringify(draft));
    const missing = await naravard(['ingest', 'apply', orphan], database.env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing.txt is missing');
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { idFor, tables } from '@naravard/db';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliDatabase, createCliDatabase, FIXTURES, naravard } from './support.ts';

/**
 * Loading what a reviewed draft can carry beyond a meeting: the adjuster and substitute roles,
 * drafted grants and allocations, and the memberships and audits a reviewer adds, all in one
 * transaction, once.
 */
let database: CliDatabase;
let work: string;
let reviewed: string;
let meetingKey: string;
let programmeKeys: string[];

const KEYS = {
  membership: 'membership:test-apply:eva-strom:arbetsutskottet',
  audit: 'audit:test-apply:statsbidrag',
  recommendation: 'recommendation:test-apply:statsbidrag-1',
  response: 'audit-response:test-apply:statsbidrag',
  part: 'recommendation-response:test-apply:statsbidrag-1',
};

beforeAll(async () => {
  database = await createCliDatabase({ seed: true });
  work = mkdtempSync(join(tmpdir(), 'naravard-apply-records-'));
  const draftPath = join(work, 'medel.json');
  const drafted = await naravard(['ingest', 'draft', join(FIXTURES, 'protokoll-medel.txt'), '--region', '06', '--out', draftPath], database.env);
  expect(drafted.code, drafted.stderr).toBe(0);
  // What a reviewer adds: a membership and an audit with its answer, citing the document's lines.
  const draft = JSON.parse(readFileSync(draftPath, 'utf8'));
  const body = draft.meetings[0].organisation;
  meetingKey = draft.meetings[0].key;
  programmeKeys = draft.grantProgrammes.map((g: { key: string }) => g.key);
  const line = (n: number) => readFileSync(join(work, 'documents', draft.document.file), 'utf8').split('\n')[n - 1]!.trim();
  draft.memberships.push({ key: KEYS.membership, person: 'person:06:eva-strom', organisation: body, title: 'Ordförande', cite: [{ quote: line(5), lines: [5, 5] }] });
  draft.audits.push({
    key: KEYS.audit, title: 'Granskning av statsbidrag för god och nära vård', audited: body, region: '06', reportedOn: '2025-02-11',
    cite: [{ quote: line(13), lines: [13, 13] }],
    recommendations: [{ key: KEYS.recommendation, ordinal: 1, text: 'Redovisa hur statsbidraget fördelas.', cite: [{ quote: line(14), lines: [14, 14] }] }],
    responses: [{
      key: KEYS.response, respondent: body, respondedOn: '2025-02-11', summary: 'Statsbidraget fördelas till vårdcentralerna.', cite: [{ quote: line(14), lines: [14, 14] }],
      parts: [{ key: KEYS.part, recommendation: KEYS.recommendation, actionsTaken: 'Fördelat till vårdcentralerna.', cite: [{ quote: line(14), lines: [14, 14] }] }],
    }],
  });
  reviewed = join(work, 'reviewed.json');
  writeFileSync(reviewed, JSON.stringify(draft));
});
afterAll(() => database?.dispose());

async function read() {
  const connection = await database.open();
  try {
    const { db } = connection;
    const [membership] = await db.select().from(tables.memberships).where(eq(tables.memberships.id, idFor(KEYS.membership)));
    const [audit] = await db.select().from(tables.audits).where(eq(tables.audits.id, idFor(KEYS.audit)));
    const recommendations = await db.select().from(tables.recommendations).where(eq(tables.recommendations.auditId, idFor(KEYS.audit)));
    const responses = await db.select().from(tables.auditResponses).where(eq(tables.auditResponses.auditId, idFor(KEYS.audit)));
    const parts = await db.select().from(tables.recommendationResponses).where(eq(tables.recommendationResponses.auditResponseId, idFor(KEYS.response)));
    const participants = await db.select().from(tables.meetingParticipants).where(eq(tables.meetingParticipants.meetingId, idFor(meetingKey)));
    const grants = await db.select().from(tables.grants).where(inArray(tables.grants.programmeId, programmeKeys.map(idFor)));
    const allocations = await db.select().from(tables.allocations).where(inArray(tables.allocations.programmeId, programmeKeys.map(idFor)));
    const cited = await db.select().from(tables.citations).where(inArray(tables.citations.entityId, [idFor(KEYS.membership), idFor(KEYS.audit), idFor(KEYS.part)]));
    const log = await db.select({ entityType: tables.changeLog.entityType }).from(tables.changeLog);
    return { membership, audit, recommendations, responses, parts, participants, grants, allocations, cited, log };
  } finally {
    await connection.close();
  }
}

describe('naravard ingest apply, memberships, audits, roles and amounts', () => {
  it('loads them in one run, each with its citations, in the change log', async () => {
    const before = await read();
    expect(before.audit).toBeUndefined();
    const result = await naravard(['ingest', 'apply', reviewed], database.env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const after = await read();
    expect(after.membership).toMatchObject({ personId: idFor('person:06:eva-strom'), title: 'Ordförande' });
    expect(after.audit).toMatchObject({ title: 'Granskning av statsbidrag för god och nära vård', reportedOn: '2025-02-11' });
    expect(after.recommendations.map((r) => [r.ordinal, r.text])).toEqual([[1, 'Redovisa hur statsbidraget fördelas.']]);
    expect(after.responses).toHaveLength(1);
    expect(after.responses[0]!.documentId).toBe(idFor(JSON.parse(readFileSync(reviewed, 'utf8')).document.key));
    expect(after.parts.map((p) => [p.recommendationId, p.actionsTaken])).toEqual([[idFor(KEYS.recommendation), 'Fördelat till vårdcentralerna.']]);
    expect(after.participants.map((p) => p.role).sort()).toEqual(['adjuster', 'chair', 'present', 'present', 'secretary', 'substitute']);
    expect(after.grants.map((g) => [g.period, Number(g.amountSek), g.status])).toEqual([['2025', 12400000, 'awarded']]);
    expect(after.allocations.map((a) => [a.recipientDescription, Number(a.amountSek)])).toEqual([['Vårdcentralerna', 3200000]]);
    expect(after.cited.map((c) => c.lineStart).sort()).toEqual([13, 14, 5]);
    expect(new Set(after.log.slice(before.log.length).map((entry) => entry.entityType))).toEqual(
      new Set(['document', 'organisation', 'person', 'membership', 'meeting', 'meeting_participant', 'agenda_item', 'audit', 'recommendation', 'audit_response', 'recommendation_response', 'grant_programme', 'grant', 'allocation', 'citation']),
    );
  });

  it('changes nothing when applied again', async () => {
    const before = await read();
    const result = await naravard(['ingest', 'apply', reviewed], database.env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/: 0 created, 0 updated, [1-9][0-9]* unchanged\./);
    expect((await read()).log.length).toBe(before.log.length);
  });

  it('refuses an audit answer whose quote is not on its lines, and a membership of a person nobody defined, writing nothing', async () => {
    const draft = JSON.parse(readFileSync(reviewed, 'utf8'));
    draft.audits[0].key = 'audit:test-apply:another';
    draft.audits[0].recommendations = [];
    draft.audits[0].responses[0].key = 'audit-response:test-apply:another';
    draft.audits[0].responses[0].parts = [];
    draft.audits[0].responses[0].cite[0].lines = [1, 1];
    const bad = join(work, 'bad-audit.json');
    writeFileSync(bad, JSON.stringify(draft));
    const before = await read();
    const refused = await naravard(['ingest', 'apply', bad], database.env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('bad-audit.json: nothing was written');
    expect(refused.stderr).toContain('audits.0.responses.0.cite.0');
    expect(refused.stderr).toContain('not on lines 1-1');

    const orphan = JSON.parse(readFileSync(reviewed, 'utf8'));
    orphan.memberships[0].key = 'membership:test-apply:nobody';
    orphan.memberships[0].person = 'person:06:nobody-defined';
    const unknown = join(work, 'unknown-person.json');
    writeFileSync(unknown, JSON.stringify(orphan));
    const missing = await naravard(['ingest', 'apply', unknown], database.env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('unknown-person.json: nothing was written');
    expect(missing.stderr).toContain('memberships.0.person: person:06:nobody-defined names no Person in the draft or the database');
    const after = await read();
    expect(after.log.length).toBe(before.log.length);
  });
});

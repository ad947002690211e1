import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldWhitespace, idFor, loadSeedData, readSeedSet, selectRows } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ seed: true });
});
afterAll(() => database?.dispose());

const rows = <Row>(query: ReturnType<typeof sql>) => selectRows<Row>(database.db, query);
const id = idFor;

/** Tables of facts read from the documents: every row in them must cite its source. */
const FACT_TABLES = [
  ['organisation', 'organisations', `kind <> 'municipality'`],
  ['person', 'people', 'true'],
  ['membership', 'memberships', 'true'],
  ['meeting', 'meetings', 'true'],
  ['meeting_participant', 'meeting_participants', 'true'],
  ['agenda_item', 'agenda_items', 'true'],
  ['decision', 'decisions', 'true'],
  ['assignment', 'assignments', 'true'],
  ['assignment_report', 'assignment_reports', 'true'],
  ['audit', 'audits', 'true'],
  ['recommendation', 'recommendations', 'true'],
  ['audit_response', 'audit_responses', 'true'],
  ['recommendation_response', 'recommendation_responses', 'true'],
  ['grant_programme', 'grant_programmes', 'true'],
  ['grant', 'grants', 'true'],
  ['allocation', 'allocations', 'true'],
  ['indicator', 'indicators', 'true'],
  ['indicator_target', 'indicator_targets', 'true'],
  ['observation', 'observations', 'true'],
] as const;

describe('provenance', () => {
  it('every quote appears in its document after whitespace folding', async () => {
    const citations = await rows<{ entity_type: string; entity_id: string; quote: string; text: string; title: string }>(
      sql`select c.entity_type, c.entity_id, c.quote, d.text, d.title from citations c join documents d on d.id = c.document_id`,
    );
    expect(citations.length).toBeGreaterThan(300);
    const folded = new Map<string, string>();
    const missing = citations
      .filter((citation) => {
        if (!folded.has(citation.title)) folded.set(citation.title, foldWhitespace(citation.text));
        return !folded.get(citation.title)!.includes(foldWhitespace(citation.quote));
      })
      .map((citation) => `${citation.entity_type} ${citation.entity_id}: "${citation.quote}" is not in "${citation.title}"`);
    expect(missing).toEqual([]);
  });

  it('every quote stands on the lines its locator names', async () => {
    const citations = await rows<{ entity_id: string; quote: string; text: string; line_start: number; line_end: number }>(
      sql`select c.entity_id, c.quote, d.text, c.line_start, c.line_end from citations c join documents d on d.id = c.document_id`,
    );
    const misplaced = citations
      .filter((c) => !foldWhitespace(c.text.split('\n').slice(c.line_start - 1, c.line_end).join('\n')).includes(foldWhitespace(c.quote)))
      .map((c) => `${c.entity_id}: lines ${c.line_start}-${c.line_end} do not hold "${c.quote}"`);
    expect(misplaced).toEqual([]);
  });

  it.each(FACT_TABLES)('every %s carries at least one citation', async (entityType, table, condition) => {
    const uncited = await rows<{ id: string }>(
      sql.raw(`select t.id from ${table} t where ${condition} and not exists (
                 select 1 from citations c where c.entity_type = '${entityType}' and c.entity_id = t.id)`),
    );
    expect(uncited.map((row) => `${entityType} ${row.id} has no citation`)).toEqual([]);
  });

  it('documents keep their full text, its checksum and their origin', async () => {
    const documents = await rows<{ title: string; length: number; origin: string; sha_ok: boolean }>(
      sql`select title, length(text) as length, origin, text_sha256 = encode(sha256(convert_to(text, 'UTF8')), 'hex') as sha_ok
          from documents order by issued_on nulls last`,
    );
    expect(documents).toHaveLength(4);
    for (const document of documents) {
      expect(document.length).toBeGreaterThan(5000);
      expect(document.origin.length).toBeGreaterThan(10);
      expect(document.sha_ok).toBe(true);
    }
  });

  it('a damaged OCR spelling of a name is kept as an alias of the corrected name', async () => {
    const [board] = await rows<{ name: string; aliases: string[] }>(
      sql`select name, aliases from organisations where id = ${id('org:07:halso-och-sjukvardsnamnden')}`,
    );
    expect(board!.name).toBe('Hälso- och sjukvårdsnämnden');
    expect(board!.aliases).toEqual(expect.arrayContaining(['hilso- och sjukvardsnimnden']));
  });
});

describe('loading', () => {
  it('a second time changes nothing', async () => {
    const fingerprint = () =>
      rows<{ checksum: string; count: number }>(
        sql`select md5(string_agg(x, '|' order by x)) as checksum, count(*)::int as count from (
              select format('%s %s %s', id, updated_at, version) as x from organisations
              union all select format('%s %s %s', id, updated_at, version) from decisions
              union all select format('%s %s %s', id, updated_at, version) from assignments
              union all select format('%s %s %s', id, updated_at, version) from citations
              union all select format('%s %s %s', id, updated_at, version) from observations
              union all select format('%s %s %s', id, updated_at, version) from topic_links) t`,
      );
    const before = await fingerprint();
    const summary = await loadSeedData(database.db);
    for (const [table, counts] of Object.entries(summary.tables)) {
      expect(counts, table).toEqual({ inserted: 0, updated: 0 });
    }
    expect(await fingerprint()).toEqual(before);
  });

  it('the seed files validate: format, keys, references and quotes', () => {
    expect(() => readSeedSet()).not.toThrow();
  });
});

describe('the documents', () => {
  it('are the four records with their kinds, regions, dates and registry number', async () => {
    const documents = await rows<{ kind: string; region: string; issued_on: string | null; registry_number: string | null }>(
      sql`select d.kind, r.code as region, d.issued_on::text, d.registry_number from documents d
          join regions r on r.id = d.region_id order by r.code, d.kind::text`,
    );
    expect(documents).toEqual([
      { kind: 'audit_response', region: '07', issued_on: '2025-03-25', registry_number: '24HSNG673' },
      { kind: 'minutes', region: '07', issued_on: '2023-03-28', registry_number: null },
      { kind: 'information_letter', region: '13', issued_on: null, registry_number: null },
      { kind: 'report', region: '18', issued_on: null, registry_number: null },
    ]);
  });
});

describe('Kronoberg steering-group minutes of 2023-03-28', () => {
  const meeting = id('meeting:kronoberg-sg-2023-03-28');

  it('hold the meeting of Styrgrupp Nära vård with its place', async () => {
    const [row] = await rows<{ held_on: string; place: string; kind: string; body: string; region: string }>(
      sql`select m.held_on::text, m.place, m.kind, o.name as body, r.code as region from meetings m
          join organisations o on o.id = m.organisation_id join regions r on r.id = m.region_id where m.id = ${meeting}`,
    );
    expect(row).toEqual({ held_on: '2023-03-28', place: 'Fysiskt möte', kind: 'steering_group', body: 'Styrgrupp Nära vård', region: '07' });
  });

  it('hold every participant with title and role', async () => {
    const participants = await rows<{ name: string; role: string; title: string | null }>(
      sql`select p.name, mp.role, mp.title from meeting_participants mp join people p on p.id = mp.person_id
          where mp.meeting_id = ${meeting} order by p.name, mp.role`,
    );
    const roles = participants.map((participant) => `${participant.name}: ${participant.role}`);
    expect(roles).toEqual(
      expect.arrayContaining([
        'Martin Myrskog: chair',
        'Jens Karlsson: absent',
        'Therese Hildingsson: secretary',
        'Roger O Nilsson: present',
        'Magnus Frithiof: present',
        'Dan Petersson: present',
      ]),
    );
    expect(roles).not.toContain('Jens Karlsson: present');
    expect(participants.find((participant) => participant.name === 'Magnus Frithiof')?.title).toBe('Programchef');
  });

  it('hold all ten agenda items in order', async () => {
    const items = await rows<{ ordinal: number; title: string; summary: string | null }>(
      sql`select ordinal, title, summary from agenda_items where meeting_id = ${meeting} order by ordinal`,
    );
    expect(items.map((item) => item.ordinal)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(items[1]!.title).toBe('Digital kommunikation');
    expect(items[3]!.title).toBe('Kommunikationsplan central kontaktingång');
    for (const item of items) expect(item.summary?.length ?? 0, item.title).toBeGreaterThan(10);
  });

  it('hold the decisions, the direction decision and the delegation, each at its item', async () => {
    const decisions = await rows<{ ordinal: number; kind: string; decided_on: string }>(
      sql`select a.ordinal, d.kind, d.decided_on::text from decisions d join agenda_items a on a.id = d.agenda_item_id
          where d.meeting_id = ${meeting} order by a.ordinal`,
    );
    expect(decisions.find((decision) => decision.ordinal === 2)?.kind).toBe('decision');
    expect(decisions.find((decision) => decision.ordinal === 3)?.kind).toBe('delegation');
    expect(decisions.filter((decision) => decision.kind === 'direction').every((decision) => decision.ordinal === 6)).toBe(true);
    expect(decisions.some((decision) => decision.kind === 'direction')).toBe(true);
    expect(new Set(decisions.map((decision) => decision.decided_on))).toEqual(new Set(['2023-03-28']));
  });

  it('hold the assignments given, with their assignees and origin', async () => {
    const assignments = await rows<{ title: string; organisation: string | null; person: string | null; origin_item: number | null }>(
      sql`select a.title, o.name as organisation, p.name as person, ai.ordinal as origin_item from assignments a
          left join organisations o on o.id = a.assignee_organisation_id left join people p on p.id = a.assignee_person_id
          left join decisions d on d.id = a.origin_decision_id left join agenda_items ai on ai.id = d.agenda_item_id
          where a.region_id = ${id('region:07')} and a.issued_on = '2023-03-28'`,
    );
    // "Programorganisationen får i uppdrag" (item 2), the delegation (item 3), "Therese ombesörjer detta" (item 6).
    expect(assignments.find((a) => a.origin_item === 2)?.organisation).toMatch(/^Programorganisation/);
    expect(assignments.find((a) => a.origin_item === 3)?.person).toBe('Roger O Nilsson');
    expect(assignments.some((a) => a.person === 'Therese Hildingsson')).toBe(true);
  });
});

describe('Halland dialogue meeting of 2018-09-19', () => {
  const region = id('region:13');

  it('holds the meeting, the next one it announces and the dementia seminar', async () => {
    const meetings = await rows<{ held_on: string; kind: string }>(
      sql`select held_on::text, kind from meetings where region_id = ${region} order by held_on`,
    );
    expect(meetings).toEqual(
      expect.arrayContaining([
        { held_on: '2018-09-19', kind: 'dialogue_meeting' },
        { held_on: '2018-10-24', kind: 'dialogue_meeting' },
        { held_on: '2018-11-08', kind: 'seminar' },
      ]),
    );
    const [first] = await rows<{ items: number; participants: number }>(
      sql`select (select count(*)::int from agenda_items a where a.meeting_id = m.id) as items,
                 (select count(*)::int from meeting_participants p where p.meeting_id = m.id) as participants
          from meetings m where m.region_id = ${region} and m.held_on = '2018-09-19'`,
    );
    expect(first!.items).toBeGreaterThan(3);
    expect(first!.participants).toBeGreaterThan(3);
  });

  it('holds the health centres named, public and private', async () => {
    const centres = await rows<{ name: string; ownership: string }>(
      sql`select name, ownership from organisations where kind = 'health_centre' and region_id = ${region} order by name`,
    );
    expect(centres).toEqual(
      expect.arrayContaining([
        { name: 'Vårdcentralen Ullared', ownership: 'public' },
        { name: 'Capio Husläkarna Kungsbacka', ownership: 'private' },
      ]),
    );
  });

  it('holds the 17 MSEK for mental health in 2018 and Patientmiljarden', async () => {
    const [grant] = await rows<{ amount_sek: string; period: string }>(
      sql`select amount_sek::text, period from grants where recipient_region_id = ${region}`,
    );
    expect(grant).toEqual({ amount_sek: '17000000.00', period: '2018' });
    const programmes = await rows<{ name: string }>(sql`select name from grant_programmes order by name`);
    expect(programmes.map((programme) => programme.name)).toContain('Patientmiljarden');
  });

  it('holds the care-guarantee target: a medical assessment within 3 days from 2019-01-01', async () => {
    const [target] = await rows<{ comparator: string; value: string; valid_from: string; unit: string }>(
      sql`select t.comparator, t.value::text, t.valid_from::text, i.unit from indicator_targets t join indicators i on i.id = t.indicator_id
          where i.code = 'CARE_GUARANTEE_MEDICAL_ASSESSMENT_DAYS'`,
    );
    expect(target).toEqual({ comparator: 'at_most', value: '3', valid_from: '2019-01-01', unit: 'days' });
  });

  it('holds the whole SIP table: May–August 2018 by ownership and setting', async () => {
    const cells = await rows<{ period: string; ownership: string | null; setting: string; value: string }>(
      sql`select o.period, o.dimensions->>'ownership' as ownership, o.dimensions->>'setting' as setting, o.value::text
          from observations o join indicators i on i.id = o.indicator_id where i.code = 'SIP_MEETINGS' and o.region_id = ${region}
          order by o.period, setting, ownership nulls last`,
    );
    expect(cells).toHaveLength(24);
    expect(new Set(cells.map((cell) => cell.period))).toEqual(new Set(['2018-05', '2018-06', '2018-07', '2018-08']));
    expect(cells.slice(0, 3)).toEqual([
      { period: '2018-05', ownership: 'private', setting: 'home_care', value: expect.any(String) },
      { period: '2018-05', ownership: 'public', setting: 'home_care', value: '52' },
      { period: '2018-05', ownership: null, setting: 'home_care', value: expect.any(String) },
    ]);
  });

  it('every SIP total equals public + private', async () => {
    const sums = await rows<{ period: string; setting: string; total: string; parts: string; count: number }>(
      sql`select o.period, o.dimensions->>'setting' as setting,
                 sum(o.value) filter (where not o.dimensions ? 'ownership')::text as total,
                 sum(o.value) filter (where o.dimensions ? 'ownership')::text as parts, count(*)::int as count
          from observations o join indicators i on i.id = o.indicator_id where i.code = 'SIP_MEETINGS'
          group by o.period, o.dimensions->>'setting' order by 1, 2`,
    );
    expect(sums).toHaveLength(8);
    for (const sum of sums) {
      expect(sum.count, `${sum.period} ${sum.setting}`).toBe(3);
      expect(sum.total, `${sum.period} ${sum.setting}`).toBe(sum.parts);
    }
  });
});

describe('Kronoberg audit response', () => {
  const audit = id('audit:kronoberg-revisionssvar-2025-03-25');

  it('holds the audit of 2024-11-20 and its five recommendations', async () => {
    const [row] = await rows<{ reported_on: string; auditor: string; recommendations: number }>(
      sql`select a.reported_on::text, o.name as auditor, (select count(*)::int from recommendations r where r.audit_id = a.id) as recommendations
          from audits a join organisations o on o.id = a.auditor_id where a.id = ${audit}`,
    );
    expect(row).toMatchObject({ reported_on: '2024-11-20', recommendations: 5 });
  });

  it('holds the response with registry number, case officer and signatory, in four parts per recommendation', async () => {
    const [response] = await rows<{ responded_on: string; registry_number: string; case_officer: string; signatory: string; parts: number }>(
      sql`select ar.responded_on::text, d.registry_number, co.name as case_officer, s.name as signatory,
            (select count(*)::int from recommendation_responses rr where rr.audit_response_id = ar.id
               and rr.actions_taken is not null and rr.planned_actions is not null and rr.timeline is not null) as parts
          from audit_responses ar join documents d on d.id = ar.document_id
          join people co on co.id = ar.case_officer_id join people s on s.id = ar.signatory_id where ar.audit_id = ${audit}`,
    );
    expect(response).toEqual({
      responded_on: '2025-03-25',
      registry_number: '24HSNG673',
      case_officer: 'Jenny Salomonsson',
      signatory: 'Ewa Ekman',
      parts: 5,
    });
  });

  it('holds the state grant for 2024 and 2025, with its ordinance and requisition deadline', async () => {
    const grants = await rows<{ programme: string; legal_basis: string | null; period: string; amount_sek: string; approximate: boolean; requisition_due_on: string | null }>(
      sql`select p.name as programme, p.legal_basis, g.period, g.amount_sek::text, g.amount_is_approximate as approximate, g.requisition_due_on::text
          from grants g join grant_programmes p on p.id = g.programme_id where g.recipient_region_id = ${id('region:07')} order by g.period`,
    );
    expect(grants).toEqual([
      expect.objectContaining({ period: '2024', amount_sek: '46000000.00', approximate: true, legal_basis: 'SFS 2024:1253' }),
      expect.objectContaining({ period: '2025', amount_sek: '51900000.00', approximate: false, requisition_due_on: '2025-04-17' }),
    ]);
  });

  it('holds the payments and rates passed on to health centres', async () => {
    const allocations = await rows<{ amount_sek: string | null; rate_sek: string | null; rate_max_sek: string | null; rate_unit: string | null; cap_sek: string | null; period: string | null }>(
      sql`select amount_sek::text, rate_sek::text, rate_max_sek::text, rate_unit, cap_sek::text, period from allocations
          where region_id = ${id('region:07')} or grant_id in (select id from grants where recipient_region_id = ${id('region:07')})
          order by coalesce(amount_sek, rate_sek, cap_sek)`,
    );
    expect(allocations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ amount_sek: '30000000.00', period: '2024-09' }),
        expect.objectContaining({ rate_sek: '148.00', rate_unit: 'listed patient' }),
        expect.objectContaining({ rate_sek: '4.00', rate_max_sek: '44.00', rate_unit: 'listed patient' }),
        expect.objectContaining({ cap_sek: '180000.00', rate_sek: null }),
      ]),
    );
  });

  it('holds the indicators followed, with the target of at most 1,100 inhabitants per doctor', async () => {
    const indicators = await rows<{ code: string; comparator: string | null; value: string | null }>(
      sql`select i.code, t.comparator, t.value::text from indicators i left join indicator_targets t on t.indicator_id = i.id order by i.code`,
    );
    const codes = indicators.map((indicator) => indicator.code);
    expect(codes).toEqual(expect.arrayContaining(['CONTINUITY_INDEX_DOCTOR_18M', 'HOME_AND_HOME_CARE_VISITS_PER_1000_LISTED', 'INHABITANTS_PER_DOCTOR']));
    expect(indicators.find((indicator) => indicator.code === 'INHABITANTS_PER_DOCTOR')).toEqual({
      code: 'INHABITANTS_PER_DOCTOR',
      comparator: 'at_most',
      value: '1100',
    });
  });
});

describe('Örebro committee report', () => {
  const committee = id('org:18:beredning-for-nara-vard');

  it('holds the committee under its board, and its 2023 sittings', async () => {
    const [row] = await rows<{ parent: string; kind: string }>(
      sql`select p.name as parent, o.kind from organisations o join organisations p on p.id = o.parent_id where o.id = ${committee}`,
    );
    expect(row).toEqual({ parent: 'Hälso- och sjukvårdsnämnden', kind: 'committee' });
    const sittings = await rows<{ held_on: string }>(
      sql`select held_on::text from meetings where organisation_id = ${committee} order by held_on`,
    );
    expect(sittings.map((sitting) => sitting.held_on)).toEqual(expect.arrayContaining(['2023-03-14', '2023-05-30', '2023-09-20', '2023-11-15']));
  });

  it('holds all 23 assignments, each with its reports and a status from the enum', async () => {
    const assignments = await rows<{ reference: string; status: string; reports: number }>(
      sql`select a.reference, a.status, (select count(*)::int from assignment_reports r where r.assignment_id = a.id) as reports
          from assignments a where a.region_id = ${id('region:18')} order by substring(a.reference from '[0-9]+')::int`,
    );
    expect(assignments.map((assignment) => assignment.reference)).toEqual(Array.from({ length: 23 }, (_, index) => `Nr ${index + 1}`));
    for (const assignment of assignments) expect(assignment.reports, assignment.reference).toBeGreaterThan(0);
    const statuses = new Set(assignments.map((assignment) => assignment.status));
    for (const status of ['started', 'not_applicable', 'not_handled']) expect(statuses).toContain(status);
  });

  it('records the assignments directed to other committees as such', async () => {
    const directedElsewhere = await rows<{ reference: string; status: string; text: string }>(
      sql`select a.reference, a.status, r.text from assignments a join assignment_reports r on r.assignment_id = a.id
          where a.region_id = ${id('region:18')} and a.reference in ('Nr 13', 'Nr 14', 'Nr 20', 'Nr 22', 'Nr 23')`,
    );
    expect(new Set(directedElsewhere.map((row) => row.reference)).size).toBe(5);
    for (const row of directedElsewhere) {
      expect(row.status).toBe('directed_elsewhere');
      expect(row.text).toMatch(/beredning/i);
    }
  });

  it('holds the interim-report forecasts read into the enum', async () => {
    const forecasts = await rows<{ forecast: string; count: number }>(
      sql`select r.forecast, count(*)::int as count from assignment_reports r join assignments a on a.id = r.assignment_id
          where a.region_id = ${id('region:18')} and r.forecast is not null group by r.forecast order by r.forecast`,
    );
    expect(forecasts.map((row) => row.forecast)).toEqual(['expected_done', 'not_expected_done']);
  });

  it('holds the decisions the report mentions', async () => {
    const decisions = await rows<{ decided_on: string | null; decided_on_precision: string; title: string }>(
      sql`select decided_on::text, decided_on_precision::text, title from decisions where region_id = ${id('region:18')} order by title`,
    );
    expect(decisions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ decided_on: '2023-09-07', decided_on_precision: 'day' }),
        expect.objectContaining({ decided_on: '2022-12-01', decided_on_precision: 'month', title: expect.stringMatching(/december 2022/) }),
      ]),
    );
    // Nr 4 and Nr 17 name these decisions; Nr 12 and 16 do not concern the committee.
    const related = await rows<{ reference: string; title: string }>(
      sql`select a.reference, d.title from assignments a join decisions d on d.id = a.related_decision_id
          where a.region_id = ${id('region:18')} order by a.reference`,
    );
    expect(related.map((row) => row.reference)).toEqual(['Nr 17', 'Nr 4']);
    expect(related[0]!.title).toBe('Regional handlingsplan i patientsäkerhet');
    expect(related[1]!.title).toMatch(/samordnat medicinskt omhändertagande/);
  });
});

describe('topics', () => {
  it('link facts across regions', async () => {
    const shared = await rows<{ slug: string; regions: number }>(
      sql`select t.slug, count(distinct coalesce(d.region_id, a.region_id, m.region_id, ai_m.region_id, au.region_id))::int as regions
          from topics t join topic_links l on l.topic_id = t.id
          left join decisions d on l.entity_type = 'decision' and d.id = l.entity_id
          left join assignments a on l.entity_type = 'assignment' and a.id = l.entity_id
          left join meetings m on l.entity_type = 'meeting' and m.id = l.entity_id
          left join agenda_items ai on l.entity_type = 'agenda_item' and ai.id = l.entity_id
          left join meetings ai_m on ai_m.id = ai.meeting_id
          left join recommendations rec on l.entity_type = 'recommendation' and rec.id = l.entity_id
          left join audits au on au.id = rec.audit_id
          group by t.slug having count(distinct coalesce(d.region_id, a.region_id, m.region_id, ai_m.region_id, au.region_id)) >= 2`,
    );
    const slugs = shared.map((row) => row.slug);
    expect(slugs).toEqual(expect.arrayContaining(['mental-health', 'digital-communication', 'continuity-of-care']));
    expect(slugs.length).toBeGreaterThanOrEqual(10);
  });
});

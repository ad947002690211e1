import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseErrorOf, selectRows } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';
import { type Fixture, insertFixture } from './fixture.ts';

let database: TestDatabase;
let fixture: Fixture;

beforeAll(async () => {
  database = await createTestDatabase();
  fixture = await insertFixture(database.db);
});
afterAll(() => database?.dispose());

/** Runs a statement that must fail on the named constraint, and proves nothing changed. */
async function expectRejectedBy(constraint: string, statement: SQL) {
  const before = await tableChecksum();
  let failure: unknown = null;
  try {
    await database.db.execute(statement);
  } catch (error) {
    failure = error;
  }
  expect(failure, `${constraint} let the statement through`).not.toBeNull();
  expect(databaseErrorOf(failure)?.constraint ?? databaseErrorOf(failure)?.message).toBe(constraint);
  expect(await tableChecksum()).toBe(before);
}

async function tableChecksum() {
  const [row] = await selectRows<{ checksum: string }>(
    database.db,
    sql`select md5(string_agg(t::text, '|' order by t::text)) as checksum from (
          select row_to_json(r)::text as t from regions r union all select row_to_json(o)::text from organisations o
          union all select row_to_json(x)::text from observations x union all select row_to_json(a)::text from allocations a) t`,
  );
  return row?.checksum;
}

const uuid = '00000000-0000-4000-8000-000000000000';

/** A statement per CHECK rule that breaks exactly that rule on a fixture row. */
const checkCases: Record<string, (f: Fixture) => SQL> = {
  regions_code_format: (f) => sql`update regions set code = '7' where id = ${f.region.id}`,
  regions_iso_code_format: (f) => sql`update regions set iso_code = 'SE-g1' where id = ${f.region.id}`,
  organisations_municipality_code_format: (f) =>
    sql`update organisations set municipality_code = '99a9' where id = ${f.municipality.id}`,
  organisations_municipality_has_code: (f) =>
    sql`update organisations set municipality_code = null where id = ${f.municipality.id}`,
  organisations_organisation_number_format: (f) =>
    sql`update organisations set organisation_number = '2321000000' where id = ${f.board.id}`,
  organisations_not_own_parent: (f) => sql`update organisations set parent_id = id where id = ${f.board.id}`,
  memberships_dates_ordered: (f) => sql`update memberships set ended_on = '2022-12-31' where id = ${f.membership.id}`,
  meeting_participants_has_subject: (f) =>
    sql`update meeting_participants set person_id = null, organisation_id = null where id = ${f.participant.id}`,
  agenda_items_ordinal_positive: (f) => sql`update agenda_items set ordinal = 0 where id = ${f.agendaItem.id}`,
  assignments_dates_ordered: (f) => sql`update assignments set due_on = '2023-01-01' where id = ${f.assignment.id}`,
  decisions_decided_on_precision_start: (f) =>
    sql`update decisions set decided_on = '2022-12-15', decided_on_precision = 'month' where id = ${f.decision.id}`,
  recommendations_ordinal_positive: (f) => sql`update recommendations set ordinal = -1 where id = ${f.recommendation.id}`,
  grants_period_format: (f) => sql`update grants set period = '2025-13' where id = ${f.grant.id}`,
  grants_amount_non_negative: (f) => sql`update grants set amount_sek = -0.01 where id = ${f.grant.id}`,
  grants_has_recipient: (f) =>
    sql`update grants set recipient_region_id = null, recipient_organisation_id = null where id = ${f.grant.id}`,
  allocations_period_format: (f) => sql`update allocations set period = '2025-Q5' where id = ${f.allocation.id}`,
  allocations_amount_non_negative: (f) => sql`update allocations set amount_sek = -1 where id = ${f.allocation.id}`,
  allocations_rate_non_negative: (f) => sql`update allocations set rate_sek = -4 where id = ${f.allocation.id}`,
  allocations_rate_max_non_negative: (f) =>
    sql`update allocations set rate_sek = null, rate_max_sek = -44, amount_sek = 1 where id = ${f.allocation.id}`,
  allocations_cap_non_negative: (f) => sql`update allocations set cap_sek = -180000, cap_unit = 'health centre and year' where id = ${f.allocation.id}`,
  allocations_has_amount_rate_or_cap: (f) =>
    sql`update allocations set rate_sek = null, rate_max_sek = null, amount_sek = null, cap_sek = null where id = ${f.allocation.id}`,
  allocations_cap_has_unit: (f) => sql`update allocations set cap_sek = 180000, cap_unit = null where id = ${f.allocation.id}`,
  allocations_rate_has_unit: (f) => sql`update allocations set rate_unit = null where id = ${f.allocation.id}`,
  allocations_rate_range_ordered: (f) => sql`update allocations set rate_max_sek = 3 where id = ${f.allocation.id}`,
  allocations_has_source: (f) =>
    sql`update allocations set grant_id = null, programme_id = null where id = ${f.allocation.id}`,
  indicators_code_format: (f) => sql`update indicators set code = 'lower case' where id = ${f.indicator.id}`,
  indicators_kolada_kpi_id_format: (f) => sql`update indicators set kolada_kpi_id = 'X123' where id = ${f.indicator.id}`,
  indicator_targets_dates_ordered: (f) =>
    sql`update indicator_targets set valid_from = '2020-01-01', valid_to = '2019-01-01' where id = ${f.target.id}`,
  observations_period_format: (f) => sql`update observations set period = '2018-5' where id = ${f.observation.id}`,
  observations_has_one_subject: (f) =>
    sql`update observations set organisation_id = ${f.board.id} where id = ${f.observation.id}`,
  observations_dimensions_object: (f) => sql`update observations set dimensions = '[]'::jsonb where id = ${f.observation.id}`,
  citations_quote_not_blank: (f) => sql`update citations set quote = '   ' where id = ${f.citation.id}`,
  citations_lines_ordered: (f) => sql`update citations set line_start = 3, line_end = 2 where id = ${f.citation.id}`,
  documents_text_sha256_format: (f) => sql`update documents set text_sha256 = 'not-a-hash' where id = ${f.document.id}`,
  topics_slug_format: (f) => sql`update topics set slug = 'Not A Slug' where id = ${f.topic.id}`,
  api_keys_has_scope: (f) => sql`update api_keys set scopes = '{}' where id = ${f.apiKey.id}`,
  api_keys_secret_hash_format: (f) => sql`update api_keys set secret_hash = 'plain-text' where id = ${f.apiKey.id}`,
  observation_staging_value_or_deleted: (f) =>
    sql`update observation_staging set value = null, deleted = false where import_id = ${f.importRun.id}`,
};

/** A statement per UNIQUE rule that duplicates a natural key. */
const uniqueCases: Record<string, (f: Fixture) => SQL> = {
  regions_code_key: (f) =>
    sql`insert into regions (code, name, county_name, iso_code) values (${f.region.code}, 'X', 'X', 'SE-ZY')`,
  regions_iso_code_key: (f) =>
    sql`insert into regions (code, name, county_name, iso_code) values ('98', 'X', 'X', ${f.region.isoCode})`,
  organisations_municipality_code_key: (f) =>
    sql`insert into organisations (kind, name, municipality_code) values ('municipality', 'X', ${f.municipality.municipalityCode})`,
  organisations_organisation_number_key: (f) =>
    sql`insert into organisations (kind, name, organisation_number) values ('board', 'X', ${f.board.organisationNumber})`,
  // Two units with one Kolada id, in one statement (the fixture has no unit).
  organisations_kolada_ou_id_key: () =>
    sql`insert into organisations (kind, name, kolada_ou_id) values ('other', 'X', 'V99E0001'), ('other', 'Y', 'V99E0001')`,
  agenda_items_meeting_ordinal_key: (f) =>
    sql`insert into agenda_items (meeting_id, ordinal, title) values (${f.meeting.id}, 1, 'Dubblett')`,
  recommendations_audit_ordinal_key: (f) =>
    sql`insert into recommendations (audit_id, ordinal, text) values (${f.audit.id}, 1, 'Dubblett')`,
  recommendation_responses_response_recommendation_key: (f) =>
    sql`insert into recommendation_responses (audit_response_id, recommendation_id) values (${f.auditResponse.id}, ${f.recommendation.id})`,
  indicators_code_key: (f) => sql`insert into indicators (code, name, unit) values (${f.indicator.code}, 'X', 'x')`,
  observations_identity_key: (f) =>
    sql`insert into observations (indicator_id, region_id, period, value, dimensions) values (${f.indicator.id}, ${f.region.id}, '2018-05', 13, '{"ownership": "public"}')`,
  documents_text_sha256_key: (f) =>
    sql`insert into documents (title, kind, origin, text_sha256, text) values ('X', 'other', 'x', ${f.document.textSha256}, 'x')`,
  topics_slug_key: (f) => sql`insert into topics (slug, name) values (${f.topic.slug}, 'X')`,
  topic_links_topic_entity_key: (f) =>
    sql`insert into topic_links (topic_id, entity_type, entity_id) values (${f.topic.id}, 'decision', ${f.decision.id})`,
  api_keys_name_key: (f) =>
    sql`insert into api_keys (name, prefix, secret_hash, scopes) values (${f.apiKey.name}, 'x', ${'c'.repeat(64)}, '{write}')`,
  api_keys_secret_hash_key: (f) =>
    sql`insert into api_keys (name, prefix, secret_hash, scopes) values ('other', 'x', ${f.apiKey.secretHash}, '{write}')`,
  seed_runs_checksum_key: () => sql`insert into seed_runs (checksum) values ('same'), ('same')`,
};

describe('CHECK constraints', () => {
  it.each(Object.keys(checkCases))('%s rejects a row that breaks it', async (constraint) => {
    await expectRejectedBy(constraint, checkCases[constraint]!(fixture));
  });

  it('every CHECK constraint in the schema has a case above', async () => {
    const rows = await selectRows<{ name: string }>(
      database.db,
      sql`select conname as name from pg_constraint c join pg_namespace n on n.oid = c.connamespace
          where n.nspname = 'public' and contype = 'c'`,
    );
    expect(rows.map((row) => row.name).sort()).toEqual(Object.keys(checkCases).sort());
  });

  it('a well-formed period of each grain is accepted and dated', async () => {
    const rows = await selectRows<{ period: string; period_grain: string; period_start: string }>(
      database.db,
      sql`insert into observations (indicator_id, region_id, period, value) values
            (${fixture.indicator.id}, ${fixture.region.id}, '2018', 1),
            (${fixture.indicator.id}, ${fixture.region.id}, '2018-Q3', 1),
            (${fixture.indicator.id}, ${fixture.region.id}, '2018-12', 1)
          returning period, period_grain, period_start::text`,
    );
    expect(rows.map((row) => [row.period, row.period_grain, row.period_start])).toEqual([
      ['2018', 'year', '2018-01-01'],
      ['2018-Q3', 'quarter', '2018-07-01'],
      ['2018-12', 'month', '2018-12-01'],
    ]);
  });
});

describe('UNIQUE constraints', () => {
  it.each(Object.keys(uniqueCases))('%s rejects a duplicate', async (constraint) => {
    await expectRejectedBy(constraint, uniqueCases[constraint]!(fixture));
  });

  it('every unique index in the schema has a case above', async () => {
    const rows = await selectRows<{ name: string }>(
      database.db,
      sql`select i.relname as name from pg_index x join pg_class i on i.oid = x.indexrelid
          join pg_namespace n on n.oid = i.relnamespace
          where n.nspname = 'public' and x.indisunique and not x.indisprimary`,
    );
    expect(rows.map((row) => row.name).sort()).toEqual(Object.keys(uniqueCases).sort());
  });
});

describe('FOREIGN KEY constraints', async () => {
  /** Every foreign key in the schema, read from the catalog, so a new one is tested without a new line here. */
  const foreignKeys = async () =>
    selectRows<{ name: string; table_name: string; column_name: string }>(
      database.db,
      sql`select c.conname as name, t.relname as table_name, a.attname as column_name
          from pg_constraint c join pg_class t on t.oid = c.conrelid
          join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
          join pg_namespace n on n.oid = t.relnamespace
          where n.nspname = 'public' and c.contype = 'f' order by c.conname`,
    );

  it('each foreign key rejects a reference to a row that does not exist', async () => {
    const keys = await foreignKeys();
    expect(keys.length).toBeGreaterThan(40);
    for (const key of keys) {
      // Rows are named by their physical address, as some tables (staging) have no ID.
      const [row] = await selectRows<{ id: string }>(
        database.db,
        sql`select ctid::text as id from ${sql.identifier(key.table_name)} where ${sql.identifier(key.column_name)} is not null limit 1`,
      );
      expect(row, `the fixture has no ${key.table_name} row with ${key.column_name} set`).toBeDefined();
      await expectRejectedBy(
        key.name,
        sql`update ${sql.identifier(key.table_name)} set ${sql.identifier(key.column_name)} = ${uuid} where ctid = ${row!.id}::tid`,
      );
    }
  });

  it('a referenced row cannot be deleted while it is referenced', async () => {
    await expectRejectedBy('organisations_region_id_regions_id_fk', sql`delete from regions where id = ${fixture.region.id}`);
  });
});

describe('enum columns', () => {
  it('reject a value outside the enum', async () => {
    await expect(
      database.db.execute(sql`update decisions set kind = 'verdict' where id = ${fixture.decision.id}`),
    ).rejects.toThrow();
    const [row] = await selectRows<{ kind: string }>(database.db, sql`select kind from decisions where id = ${fixture.decision.id}`);
    expect(row?.kind).toBe('decision');
  });
});

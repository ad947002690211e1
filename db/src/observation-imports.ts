import type { PGlite } from '@electric-sql/pglite';
import { eq, type SQL, sql } from 'drizzle-orm';
import type postgres from 'postgres';
import type { Connection, Database, Transaction } from './connect.ts';
import { imports } from './schema/imports.ts';
import { selectRows } from './sql.ts';

/*
 * The bulk path of observations into the platform, shared by every importer (Kolada, CSV files):
 *
 * 1. an import run is recorded in `imports` (who, when, from where, parameters);
 * 2. rows are staged in `observation_staging` with COPY (the fastest way into PostgreSQL, on both
 *    drivers), with the subject as the source names it;
 * 3. one transaction checks the staged rows set-based (unknown indicator, region, municipality or
 *    organisation; the same observation twice), then merges them into `observations` with one
 *    INSERT … ON CONFLICT … WHERE value IS DISTINCT FROM, writes the change log in the same
 *    statement, tombstones the rows marked deleted, records the counts and drops the staged rows.
 *
 * Nothing reaches `observations` before step 3 commits, so an import is all-or-nothing.
 */

/**
 * The columns of the CSV shape of observations (docs/CSV.md) other than dimensions: the importer
 * reads them, the export writes them, and no dimension may take one of their names.
 */
export const OBSERVATION_CSV_COLUMNS = ['indicator', 'region', 'organisation', 'period', 'period_start', 'value', 'id', 'updated_at', 'deleted_at'] as const;

export type ImportRun = typeof imports.$inferSelect;

/** A row of an import as the source gives it; exactly one of the subject fields is set. */
export interface StagedObservation {
  /** Where the row stands in the source (a CSV line), named in errors. */
  position: number;
  indicatorCode: string;
  regionCode?: string | null;
  municipalityCode?: string | null;
  organisationId?: string | null;
  /** Kolada's id of an organisational unit, an organisation with that `kolada_ou_id`. */
  koladaOuId?: string | null;
  period: string;
  /** A decimal as text; null only when `deleted`. */
  value: string | null;
  /** Dimension name → value, `{}` for a total. */
  dimensions: Record<string, string>;
  deleted?: boolean;
}

export interface MergeCounts {
  created: number;
  changed: number;
  unchanged: number;
  deleted: number;
}

/** A staged row the merge refuses: where it stands in the source, which field, and why. Nothing was written. */
export class StagedRowError extends Error {
  constructor(
    readonly position: number,
    readonly field: 'indicator' | 'region' | 'municipality' | 'organisation' | 'unit' | 'identity',
    readonly problem: string,
    readonly otherPosition?: number,
  ) {
    super(problem);
    this.name = 'StagedRowError';
  }
}

export interface ImportStart {
  source: 'kolada' | 'csv';
  actor: string;
  apiKeyId?: string | null;
  sourceUrl: string;
  parameters: Record<string, unknown>;
  dryRun?: boolean;
}

/** Records the start of an import run. */
export async function startImportRun(db: Database, start: ImportStart): Promise<ImportRun> {
  const [run] = await db
    .insert(imports)
    .values({ ...start, apiKeyId: start.apiKeyId ?? null, dryRun: start.dryRun ?? false })
    .returning();
  return run!;
}

/** Ends a run as failed with its reason; its staged rows stay when it keeps a checkpoint to resume from. */
export async function failImportRun(db: Database, id: string, error: string, options: { keepStaged: boolean }) {
  await db.transaction(async (tx) => {
    if (!options.keepStaged) await tx.execute(sql`delete from observation_staging where import_id = ${id}::uuid`);
    await tx
      .update(imports)
      .set({ status: 'failed', error, finishedAt: new Date(), ...(options.keepStaged ? {} : { checkpoint: null }) })
      .where(eq(imports.id, id));
  });
}

const STAGING_COLUMNS =
  'import_id, position, indicator_code, region_code, municipality_code, organisation_id, kolada_ou_id, period, value, dimensions, deleted';

/** A field for COPY … (FORMAT csv): unquoted empty is NULL, anything else quoted when it must be. */
function csvField(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (value === '' || /[",\n\r]/.test(value)) return `"${value.replaceAll('"', '""')}"`;
  return value;
}

/**
 * A staged row as a line of COPY text. Streaming importers keep lines, not row objects, between
 * COPYs: a compact string per row keeps the importer's memory flat.
 */
export function stagingCopyLine(importId: string, row: StagedObservation): string {
  return `${importId},${row.position},${csvField(row.indicatorCode)},${csvField(row.regionCode)},${csvField(row.municipalityCode)},${csvField(
    row.organisationId,
  )},${csvField(row.koladaOuId)},${csvField(row.period)},${csvField(row.value)},${csvField(JSON.stringify(row.dimensions))},${row.deleted ? 't' : 'f'}\n`;
}

/** Stages lines made by `stagingCopyLine` with one COPY. */
export async function stageCopyLines(connection: Pick<Connection, 'db' | 'driver'>, lines: string) {
  if (lines) await copyInto(connection, `observation_staging (${STAGING_COLUMNS})`, lines);
}

/** Staged rows as COPY text, one line each. */
function copyText(importId: string, rows: readonly StagedObservation[]): string {
  let text = '';
  for (const row of rows) text += stagingCopyLine(importId, row);
  return text;
}

/**
 * Stages rows with COPY: postgres.js streams into `COPY … FROM STDIN`, PGlite reads the same text
 * as a blob (`COPY … FROM '/dev/blob'`). Staging commits on its own: the merge decides what counts.
 */
export async function stageObservations(connection: Pick<Connection, 'db' | 'driver'>, importId: string, rows: readonly StagedObservation[]) {
  if (rows.length === 0) return;
  await copyInto(connection, `observation_staging (${STAGING_COLUMNS})`, copyText(importId, rows));
}

/** COPY of CSV text into a table (with its column list), on either driver. */
export async function copyInto(connection: Pick<Connection, 'db' | 'driver'>, target: string, text: string) {
  const client = (connection.db as unknown as { $client: unknown }).$client;
  if (connection.driver === 'postgres') {
    const sqlClient = client as postgres.Sql;
    const stream = await sqlClient.unsafe(`copy ${target} from stdin with (format csv)`).writable();
    await new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.on('finish', resolve);
      stream.end(text);
    });
  } else {
    await (client as PGlite).query(`copy ${target} from '/dev/blob' with (format csv)`, [], { blob: new Blob([text]) });
  }
}

/**
 * A UUID of version 7 (RFC 9562): the first 48 bits are the Unix time in milliseconds, the rest
 * random. The rows of one merge get IDs that follow each other, so each unique index on an ID (the
 * observations' primary key, the change log's entity index) takes them into a few pages at its
 * end, instead of one random page of the whole index per row (a page read, dirtied, logged in full
 * after a checkpoint and written back): with random IDs that took most of a bulk merge's time.
 * The random bits come from `random()`, seeded per connection from the system's strong source: IDs
 * must be unique, not secret, and `gen_random_uuid()` reads the strong source for every row, at a
 * cost of several seconds per million rows. Volatile, so evaluated after the merge's sort, in its order.
 */
const TIME_ORDERED_UUID = sql.raw(
  `(lpad(to_hex((extract(epoch from clock_timestamp()) * 1000)::bigint), 12, '0') || '7' || lpad(to_hex((random() * 4095)::int), 3, '0')
    || to_hex(8 + (random() * 3)::int) || lpad(to_hex((random() * 4095)::int), 3, '0') || lpad(to_hex((random() * 281474976710655)::bigint), 12, '0'))::uuid`,
);

/**
 * The set-based merge of observations, as the CTEs `written` and `logged` that follow a relation
 * `input` (indicator_id, region_id, organisation_id, period, value, dimensions): one INSERT … ON
 * CONFLICT that inserts new rows and updates only those whose value differs or that were deleted
 * (they come back live), in the identity's order so concurrent merges lock rows alike; and one
 * change-log row, with before and after, for every row inserted or updated. `written` has a column
 * `inserted`. Used by imports and by `upsertObservations`.
 */
export function observationMerge(input: string, actor: string, apiKeyId: string | null): SQL {
  const i = sql.raw(input);
  // The before image of an updated row is read by its primary key: every part of one statement
  // sees the table as it was before the statement, so `observations` still holds the old
  // version there. New rows have none and cost no lookup (a probe by the identity key for every
  // input row, new ones included, took more time than the insert itself). The log rows go in as
  // `written` yields them, unsorted: sorting them, JSON images included, cost more than a tenth
  // of a bulk merge and put no order on anything (`changes` pages by the log's own id).
  return sql`written as (
      insert into observations as o (id, indicator_id, region_id, organisation_id, period, value, dimensions)
      select ${TIME_ORDERED_UUID}, indicator_id, region_id, organisation_id, period, value, dimensions from ${i}
      order by indicator_id, region_id, organisation_id, period, dimensions
      on conflict on constraint observations_identity_key do update
        set value = excluded.value, deleted_at = null, version = o.version + 1, updated_at = now()
        where o.value is distinct from excluded.value or o.deleted_at is not null
      returning o.*, (o.xmax = 0) as inserted
    ),
    logged as (
      insert into change_log (actor, api_key_id, operation, entity_type, entity_id, before, after)
      select ${actor}::text, ${apiKeyId}::uuid,
        (case when w.inserted then 'create' else 'update' end)::change_operation, 'observation'::entity_type, w.id,
        case when w.inserted then null else (select ${observationLogJson('p')} from observations p where p.id = w.id) end,
        ${observationLogJson('w')}
      from written w
    )`;
}

/**
 * An observation row as JSON in the shape the change log holds for every other write (the Drizzle
 * row: camelCase keys, numerics and dates as strings, instants as ISO strings in UTC with
 * milliseconds), built in SQL so the log is written set-based.
 */
export const observationLogJson = (alias: string) => {
  const instant = (column: string) => `to_char(${alias}.${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  return sql.raw(`jsonb_build_object(
    'id', ${alias}.id, 'indicatorId', ${alias}.indicator_id, 'regionId', ${alias}.region_id,
    'organisationId', ${alias}.organisation_id, 'period', ${alias}.period, 'periodGrain', ${alias}.period_grain,
    'periodStart', ${alias}.period_start::text, 'value', ${alias}.value::text, 'dimensions', ${alias}.dimensions,
    'createdAt', ${instant('created_at')}, 'updatedAt', ${instant('updated_at')}, 'deletedAt', ${instant('deleted_at')},
    'version', ${alias}.version)`);
};

/**
 * The first staged row that breaks a rule, set-based, or nothing. The references (indicator,
 * region, municipality, organisation, Kolada unit) are checked in one pass over the staged rows,
 * each against a hash of the live codes of its small reference table; the rule checked first
 * (indicator, then region, …) is the one reported, at its first row.
 */
async function checkStaged(tx: Transaction, importId: string): Promise<{ live: number }> {
  const live = {
    indicator: sql`(select i.code from indicators i where i.deleted_at is null)`,
    region: sql`(select r.code from regions r where r.deleted_at is null)`,
    municipality: sql`(select m.municipality_code from organisations m where m.municipality_code is not null and m.deleted_at is null)`,
    organisation: sql`(select o.id from organisations o where o.deleted_at is null)`,
    unit: sql`(select u.kolada_ou_id from organisations u where u.kolada_ou_id is not null and u.deleted_at is null)`,
  };
  const rules: { field: keyof typeof live; bad: SQL; code: SQL; problem: (code: string) => string }[] = [
    {
      field: 'indicator',
      bad: sql`s.indicator_code not in ${live.indicator}`,
      code: sql`s.indicator_code`,
      problem: (code) => `no indicator has the code "${code}"`,
    },
    {
      field: 'region',
      bad: sql`s.region_code is not null and s.region_code not in ${live.region}`,
      code: sql`s.region_code`,
      problem: (code) => `no region has the county code "${code}"`,
    },
    {
      field: 'municipality',
      bad: sql`s.municipality_code is not null and s.municipality_code not in ${live.municipality}`,
      code: sql`s.municipality_code`,
      problem: (code) => `no municipality has the code "${code}"`,
    },
    {
      field: 'organisation',
      bad: sql`s.organisation_id is not null and s.organisation_id not in ${live.organisation}`,
      code: sql`s.organisation_id::text`,
      problem: (code) => `no organisation has the ID ${code}`,
    },
    {
      field: 'unit',
      bad: sql`s.kolada_ou_id is not null and s.kolada_ou_id not in ${live.unit}`,
      code: sql`s.kolada_ou_id`,
      problem: (code) => `no organisation is the Kolada unit "${code}"`,
    },
  ];
  // One pass: `not in` a subquery of a small table is a hashed lookup per staged row.
  const [found] = await selectRows<Record<string, boolean | number>>(
    tx,
    sql`select ${sql.join(
      rules.map((rule) => sql`bool_or(${rule.bad}) as ${sql.identifier(rule.field)}`),
      sql`, `,
    )}, (count(*) filter (where not s.deleted))::int as live
    from observation_staging s where s.import_id = ${importId}::uuid`,
  );
  for (const rule of rules) {
    if (!found?.[rule.field]) continue;
    const [row] = await selectRows<{ position: string; code: string }>(
      tx,
      sql`select s.position, ${rule.code} as code from observation_staging s
          where s.import_id = ${importId}::uuid and ${rule.bad} order by s.position limit 1`,
    );
    if (row) throw new StagedRowError(Number(row.position), rule.field, rule.problem(row.code));
  }
  const [duplicate] = await selectRows<{ position: string; other: string }>(
    tx,
    sql`select min(position) as position, max(position) as other from observation_staging
        where import_id = ${importId}::uuid
        group by indicator_code, region_code, municipality_code, organisation_id, kolada_ou_id, period, dimensions
        having count(*) > 1 order by 1 limit 1`,
  );
  if (duplicate) {
    throw new StagedRowError(
      Number(duplicate.position),
      'identity',
      `the same observation (indicator, subject, period and dimensions) is given at ${duplicate.position} and again at ${duplicate.other}`,
      Number(duplicate.other),
    );
  }
  return { live: Number(found?.live ?? 0) };
}

/**
 * The staged rows of a run with their subjects resolved: a CTE body. Codes are looked up one by one
 * through the unique indexes of the small reference tables: a join would let the planner pick a
 * nested loop over every staged row on its estimates of those tables (too small to be analysed).
 */
const resolvedStaged = (importId: string, positions: PositionRange = {}) => sql`
  select s.position, i.id as indicator_id,
    (select r.id from regions r where r.code = s.region_code and r.deleted_at is null) as region_id,
    coalesce(
      s.organisation_id,
      (select m.id from organisations m where m.municipality_code = s.municipality_code and m.deleted_at is null),
      (select u.id from organisations u where u.kolada_ou_id = s.kolada_ou_id and u.deleted_at is null)
    ) as organisation_id,
    s.period, s.value, s.dimensions, s.deleted
  from observation_staging s
  join indicators i on i.code = s.indicator_code and i.deleted_at is null
  where s.import_id = ${importId}::uuid
    ${positions.from === undefined ? sql`` : sql`and s.position >= ${positions.from}`}
    ${positions.before === undefined ? sql`` : sql`and s.position < ${positions.before}`}`;

/** Staged rows by position: from (inclusive) and before (exclusive), each open when not given. */
interface PositionRange {
  from?: string;
  before?: string;
}

/**
 * Staged rows merged per statement on the embedded database. PostgreSQL keeps a queued
 * foreign-key check per inserted row (observations have three, the change log one) until its
 * statement ends: for a million rows in one statement that was about 50 MB, which on PGlite is the
 * importer's own memory. Smaller statements in the same transaction keep the queue small and
 * change nothing of the all-or-nothing merge. On PostgreSQL the merge stays one statement: the
 * queue is the server's memory there, and one statement writes all rows in the identity's order,
 * so concurrent merges of overlapping rows take their locks in the same order (PGlite has one
 * connection: its merges never run at once).
 */
const EMBEDDED_ROWS_PER_MERGE_STATEMENT = 100_000;

/**
 * The staged rows of a run cut into consecutive position ranges of at most `rows` rows each,
 * found by one pass over the staging index; a single open range when they fit in one.
 */
async function stagedRanges(tx: Transaction, importId: string, rows: number): Promise<PositionRange[]> {
  const starts = await selectRows<{ position: string }>(
    tx,
    sql`select position from (
          select position, row_number() over (order by position) as n
          from observation_staging where import_id = ${importId}::uuid
        ) numbered where n % ${rows} = 1 and n > 1 order by position`,
  );
  const bounds = starts.map((start) => String(start.position));
  return [undefined, ...bounds].map((from, index) => ({ from, before: bounds[index] }));
}

/** Working memory of a bulk merge on PostgreSQL, per sort or hash (a merge has a few). */
const MERGE_WORK_MEM = '256MB';

/**
 * Checks and merges the staged rows of a run into `observations`, in one transaction with the
 * change log and the run's counts; a bad row is a StagedRowError and nothing changes. Equal values
 * (numerically: "52.0" is "52") are left alone, so a second import of the same rows changes nothing.
 */
export async function mergeStagedObservations(
  db: Database,
  run: Pick<ImportRun, 'id' | 'actor' | 'apiKeyId' | 'dryRun'>,
  extra: {
    rowsRead: number;
    /** The driver underneath `db`: on PostgreSQL the merge runs with more working memory. */
    driver?: Connection['driver'];
    /** Staged rows merged per statement; by default all in one, or EMBEDDED_ROWS_PER_MERGE_STATEMENT on PGlite. */
    rowsPerStatement?: number;
    /** Work done first in the same transaction (the importer's indicators), with its counts. */
    prepare?: (tx: Transaction) => Promise<{ created: number; changed: number; unchanged: number }>;
  },
): Promise<MergeCounts> {
  const actor = run.actor;
  const counts = await db
    .transaction(async (tx) => {
      // A bulk merge is meant to be long; the API's 10 s limit is for requests.
      await tx.execute(sql`set local statement_timeout = 0`);
      // Room for the merge's sorts, hashes and CTE results in memory: with the default 4 MB, a
      // million rows spill them all to temporary files. PGlite runs inside the importer's own
      // process, whose memory is bounded, so it keeps its default there.
      if (extra.driver === 'postgres') await tx.execute(sql.raw(`set local work_mem = '${MERGE_WORK_MEM}'`));
      // Fresh statistics of the staged rows, so the planner joins hundreds of thousands of them by
      // hash instead of a nested loop it would choose for the few rows it assumes without them.
      await tx.execute(sql`analyze observation_staging`);
      const indicators = extra.prepare ? await extra.prepare(tx) : undefined;
      const { live: staged } = await checkStaged(tx, run.id);
      const live = { created: 0, changed: 0 };
      const rowsPerStatement = extra.rowsPerStatement ?? (extra.driver === 'pglite' ? EMBEDDED_ROWS_PER_MERGE_STATEMENT : undefined);
      for (const positions of rowsPerStatement ? await stagedRanges(tx, run.id, rowsPerStatement) : [{}]) {
        const [merged] = await selectRows<{ created: number; changed: number }>(
          tx,
          sql`
          with staged as (${resolvedStaged(run.id, positions)}),
          live as (select * from staged where not deleted),
          ${observationMerge('live', actor, run.apiKeyId)}
          select (select count(*) from written where inserted)::int as created,
                 (select count(*) from written where not inserted)::int as changed`,
        );
        live.created += Number(merged!.created);
        live.changed += Number(merged!.changed);
      }
      const [gone] = await selectRows<{ deleted: number }>(
        tx,
        sql`
        with staged as (${resolvedStaged(run.id)}),
        previous as (
          select o.* from staged s join observations o
            on s.deleted and o.indicator_id = s.indicator_id and o.region_id is not distinct from s.region_id
            and o.organisation_id is not distinct from s.organisation_id and o.period = s.period and o.dimensions = s.dimensions
          where o.deleted_at is null
        ),
        tombstoned as (
          update observations o set deleted_at = now(), version = o.version + 1, updated_at = now()
          from previous p where o.id = p.id
          returning o.*
        ),
        logged as (
          insert into change_log (actor, api_key_id, operation, entity_type, entity_id, before, after)
          select ${actor}::text, ${run.apiKeyId}::uuid, 'delete'::change_operation, 'observation'::entity_type, t.id,
            ${observationLogJson('p')}, ${observationLogJson('t')}
          from tombstoned t join previous p on p.id = t.id
        )
        select count(*)::int as deleted from tombstoned`,
      );
      const result: MergeCounts = {
        created: live.created,
        changed: live.changed,
        unchanged: staged - live.created - live.changed,
        deleted: Number(gone!.deleted),
      };
      await tx.execute(sql`delete from observation_staging where import_id = ${run.id}::uuid`);
      await tx
        .update(imports)
        .set({
          status: 'succeeded',
          finishedAt: new Date(),
          checkpoint: null,
          error: null,
          rowsRead: extra.rowsRead,
          indicatorsCreated: indicators?.created ?? 0,
          indicatorsChanged: indicators?.changed ?? 0,
          indicatorsUnchanged: indicators?.unchanged ?? 0,
          observationsCreated: result.created,
          observationsChanged: result.changed,
          observationsUnchanged: result.unchanged,
          observationsDeleted: result.deleted,
        })
        .where(eq(imports.id, run.id));
      // A dry run does all the work, counts included, then takes it back.
      if (run.dryRun) throw new DryRunDone(result);
      return result;
    })
    .catch(async (error: unknown) => {
      if (!(error instanceof DryRunDone)) throw error;
      await finishDryRun(db, run.id, extra.rowsRead, error.counts);
      return error.counts;
    });
  return counts;
}

class DryRunDone extends Error {
  constructor(readonly counts: MergeCounts) {
    super('dry run');
  }
}

/** Records what a dry run would have done, and drops its staged rows. */
export async function finishDryRun(db: Database, id: string, rowsRead: number, counts: MergeCounts) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from observation_staging where import_id = ${id}::uuid`);
    await tx
      .update(imports)
      .set({
        status: 'succeeded',
        finishedAt: new Date(),
        rowsRead,
        observationsCreated: counts.created,
        observationsChanged: counts.changed,
        observationsUnchanged: counts.unchanged,
        observationsDeleted: counts.deleted,
      })
      .where(eq(imports.id, id));
  });
}

/**
 * Stages rows and moves the run's checkpoint in one transaction, so a run interrupted between two
 * pages resumes exactly after the last page it staged. One statement: the rows travel as one JSON
 * parameter (a Kolada page is at most 5,000 rows).
 */
export async function stageWithCheckpoint(db: Database, importId: string, rows: readonly StagedObservation[], checkpoint: Record<string, unknown>, rowsRead: number) {
  await db.transaction(async (tx) => {
    if (rows.length > 0) {
      const json = JSON.stringify(
        rows.map((row) => ({
          position: row.position,
          indicator_code: row.indicatorCode,
          region_code: row.regionCode ?? null,
          municipality_code: row.municipalityCode ?? null,
          organisation_id: row.organisationId ?? null,
          kolada_ou_id: row.koladaOuId ?? null,
          period: row.period,
          value: row.value,
          dimensions: row.dimensions,
          deleted: row.deleted ?? false,
        })),
      );
      await tx.execute(sql`
        insert into observation_staging (${sql.raw(STAGING_COLUMNS)})
        select ${importId}::uuid, position, indicator_code, region_code, municipality_code, organisation_id, kolada_ou_id, period, value, dimensions, deleted
        from jsonb_to_recordset(${json}::jsonb) as r(position bigint, indicator_code text, region_code text, municipality_code text,
          organisation_id uuid, kolada_ou_id text, period text, value numeric, dimensions jsonb, deleted boolean)`);
    }
    await tx.update(imports).set({ checkpoint, rowsRead }).where(eq(imports.id, importId));
  });
}

/** The run with these parameters that failed with a checkpoint to resume from, taken up again; or nothing. */
export async function resumableImportRun(db: Database, source: ImportRun['source'], parameters: Record<string, unknown>): Promise<ImportRun | undefined> {
  const [run] = await db
    .update(imports)
    .set({ status: 'running', error: null, finishedAt: null })
    .where(
      sql`${imports.id} = (select id from imports where source = ${source} and status = 'failed' and checkpoint is not null
            and parameters = ${JSON.stringify(parameters)}::jsonb order by started_at desc limit 1)`,
    )
    .returning();
  return run;
}

/** When the last successful run with these parameters started: where an incremental run picks up. */
export async function lastSuccessfulImport(db: Database, source: ImportRun['source'], parameters: Record<string, unknown>): Promise<Date | undefined> {
  const [row] = await selectRows<{ started_at: string | Date }>(
    db,
    sql`select started_at from imports where source = ${source} and status = 'succeeded' and not dry_run
          and parameters = ${JSON.stringify(parameters)}::jsonb order by started_at desc limit 1`,
  );
  return row ? new Date(row.started_at) : undefined;
}

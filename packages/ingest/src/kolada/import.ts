import {
  type Connection,
  failImportRun,
  lastSuccessfulImport,
  type MergeCounts,
  mergeStagedObservations,
  recordChange,
  resumableImportRun,
  selectRows,
  type StagedObservation,
  stageWithCheckpoint,
  startImportRun,
  type Transaction,
  tables,
} from '@naravard/db';
import { sql } from 'drizzle-orm';
import { ImportInterrupted } from '../interrupted.ts';
import { type Progress, silentProgress } from '../progress.ts';
import { type KoladaClientOptions, type KoladaDataRow, KoladaClient, KoladaError, type KoladaKpi, type KoladaPage } from './client.ts';
import { fetchUnits, type KoladaOu, type UnitCounts, upsertUnits } from './units.ts';

/*
 * Kolada → indicators and observations. Källa: Kolada.
 *
 * - A KPI becomes an indicator: code and kolada_kpi_id = the KPI id, source_system "Kolada".
 * - A value of a region ("00" + county code, e.g. "0013") is an observation of the region; of a
 *   municipality (kommunkod) one of the municipality's organisation (db/reference). The whole
 *   country ("0000") has no subject in the platform (an observation is of a region or an
 *   organisation) and is skipped, counted as such.
 * - With --units, the organisational units of those municipalities and regions (/v3/ou) become
 *   organisations matched by their Kolada id (see units.ts), and their values
 *   (/v3/oudata/kpi/…/ou/…) observations of the unit, after the values of the areas.
 * - Gender T is the total (no dimension); K and M are `gender: women | men`.
 * - A missing value (`value: null`, status such as "Missing") is not stored: an observation is a
 *   value, and a missing one is counted as skipped. Rows flagged `isdeleted` tombstone their
 *   observation.
 * - Pages are staged with a checkpoint after each; observations change only in the final merge,
 *   one transaction. A run that fails (Kolada down after the retries, an interrupt) keeps its
 *   staged pages and checkpoint; the next run with the same parameters resumes after the last
 *   staged page.
 */

/** Kolada takes at most 25 ids per request. */
const IDS_PER_REQUEST = 25;
const PER_PAGE = 5_000;
const KPI_ID = /^[NU][0-9]{5}$/;
const GENDER: Record<string, string | undefined> = { K: 'women', M: 'men' };

export interface KoladaImportOptions {
  /** KPI ids ("N79050,U00405") or words of their titles ("fast läkarkontakt"). */
  kpi: string;
  /** "all" or county codes ("13,07"). */
  regions?: string | undefined;
  /** "all" or kommunkoder ("0780,1380"). */
  municipalities?: string | undefined;
  /** Also the values of the organisational units of those municipalities and regions. */
  units?: boolean | undefined;
  /** "2015-2024" or "2019,2020". */
  years?: string | undefined;
  /** Only what changed since this date (YYYY-MM-DD); default: the start of the last successful run with the same parameters. */
  since?: string | undefined;
  dryRun?: boolean;
  actor: string;
  client?: KoladaClientOptions;
  progress?: Progress;
  /** Aborting stops the run between two requests, keeping the pages staged so far to resume from. */
  signal?: AbortSignal;
}

export interface KoladaImportSummary extends MergeCounts {
  importId: string;
  resumed: boolean;
  dryRun: boolean;
  fromDate: string | null;
  requests: number;
  pages: number;
  rows: number;
  skippedMissing: number;
  skippedCountry: number;
  indicators: { created: number; changed: number; unchanged: number };
  /** Organisational units (with --units): their organisations created, changed, unchanged. */
  units: UnitCounts;
}

/** A mistake in the options, before anything is fetched or recorded. */
export class KoladaUsageError extends Error {}

const list = (value: string) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

function yearsOf(value: string | undefined): number[] | undefined {
  if (!value) return undefined;
  const range = /^(\d{4})-(\d{4})$/.exec(value.trim());
  if (range) {
    const [from, to] = [Number(range[1]), Number(range[2])];
    if (from > to) throw new KoladaUsageError(`--years ${value}: the first year comes after the last`);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  }
  const years = list(value).map(Number);
  if (years.some((year) => !Number.isInteger(year) || year < 1900 || year > 2200)) throw new KoladaUsageError(`--years ${value}: give 2015-2024 or 2019,2020`);
  return years;
}

/** Kolada ids of the subjects asked for: "00"+county code for regions, kommunkoder for municipalities. */
async function subjectIds(connection: Connection, options: KoladaImportOptions): Promise<string[]> {
  const ids: string[] = [];
  if (options.regions) {
    const codes =
      options.regions === 'all'
        ? (await selectRows<{ code: string }>(connection.db, sql`select code from regions where deleted_at is null order by code`)).map((row) => row.code)
        : list(options.regions);
    for (const code of codes) {
      if (!/^[0-9]{2}$/.test(code)) throw new KoladaUsageError(`--regions: "${code}" is not a two-digit county code such as 13`);
      ids.push(`00${code}`);
    }
  }
  if (options.municipalities) {
    const codes =
      options.municipalities === 'all'
        ? (
            await selectRows<{ code: string }>(
              connection.db,
              sql`select municipality_code as code from organisations where municipality_code is not null and deleted_at is null order by 1`,
            )
          ).map((row) => row.code)
        : list(options.municipalities);
    for (const code of codes) {
      if (!/^[0-9]{4}$/.test(code)) throw new KoladaUsageError(`--municipalities: "${code}" is not a four-digit kommunkod such as 0780`);
      ids.push(code);
    }
  }
  if (ids.length === 0) throw new KoladaUsageError('give --regions and/or --municipalities (a list, or "all")');
  return ids;
}

const chunks = <T>(items: readonly T[], size: number) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));

/** The KPIs asked for: by id, or every KPI whose title has all the words. */
async function kpisOf(client: KoladaClient, kpi: string): Promise<KoladaKpi[]> {
  const ids = list(kpi);
  if (ids.length > 0 && ids.every((id) => KPI_ID.test(id))) {
    const found: KoladaKpi[] = [];
    for (const batch of chunks(ids, IDS_PER_REQUEST)) {
      for await (const { page } of client.pages<KoladaKpi>(`/v3/kpi/${batch.join(',')}`)) found.push(...page.values);
    }
    const missing = ids.filter((id) => !found.some((k) => k.id === id));
    if (missing.length > 0) throw new KoladaUsageError(`Kolada has no KPI ${missing.join(', ')}`);
    return found;
  }
  const found: KoladaKpi[] = [];
  for await (const { page } of client.pages<KoladaKpi>(`/v3/kpi?title=${encodeURIComponent(kpi)}`)) found.push(...page.values);
  // Kolada's search is loose; keep the KPIs whose titles have every word.
  const words = kpi.toLocaleLowerCase('sv').split(/\s+/).filter(Boolean);
  const matching = found.filter((k) => words.every((word) => k.title.toLocaleLowerCase('sv').includes(word)));
  if (matching.length === 0) throw new KoladaUsageError(`no Kolada KPI has "${kpi}" in its title`);
  return matching;
}

/** Writes the KPIs as indicators (one statement), logs each creation and change, and counts them. */
async function upsertIndicators(tx: Transaction, kpis: KoladaKpi[], baseUrl: string, actor: string) {
  const rows = kpis.map((kpi) => ({
    code: kpi.id,
    name: kpi.title.trim(),
    description: [kpi.description?.trim(), `Källa: Kolada (${baseUrl}/v3/kpi/${kpi.id})`].filter(Boolean).join('\n\n'),
    unit: (kpi as { unit?: string }).unit?.trim() || 'as Kolada defines it (see the description)',
  }));
  const written = await selectRows<{ id: string; inserted: boolean; code: string }>(
    tx,
    sql`
    with input as (select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(code text, name text, description text, unit text))
    insert into indicators as i (code, name, description, unit, source_system, kolada_kpi_id)
    select code, name, description, unit, 'Kolada', code from input
    on conflict (code) do update
      set name = excluded.name, description = excluded.description, unit = excluded.unit, source_system = 'Kolada',
          kolada_kpi_id = excluded.kolada_kpi_id, version = i.version + 1, updated_at = now()
      where (i.name, i.description, i.unit, i.source_system, i.kolada_kpi_id)
        is distinct from (excluded.name, excluded.description, excluded.unit, 'Kolada', excluded.kolada_kpi_id)
    returning i.id, (i.xmax = 0) as inserted, i.code`,
  );
  for (const row of written) {
    const [after] = await tx.select().from(tables.indicators).where(sql`${tables.indicators.id} = ${row.id}`);
    await recordChange(tx, {
      actor,
      apiKeyId: null,
      operation: row.inserted ? 'create' : 'update',
      entityType: 'indicator',
      entityId: row.id,
      before: null,
      after,
    });
  }
  const created = written.filter((row) => row.inserted).length;
  return { created, changed: written.length - created, unchanged: kpis.length - written.length };
}

interface Checkpoint {
  /** Index of the request under way in the run's list of requests. */
  request: number;
  /** The page of that request to fetch next (a `next_url`), or null to start it. */
  nextUrl: string | null;
  fromDate: string | null;
  pages: number;
  position: number;
  skippedMissing: number;
  skippedCountry: number;
  /** With --units: the units of the run, fetched once, so a resumed run asks for the same pages. */
  units?: KoladaOu[];
}

/** A Kolada data row as staged observations, with what was skipped. */
function stagedOf(row: KoladaDataRow, next: () => number, skipped: { missing: number; country: number }): StagedObservation[] {
  const subject = row.municipality ?? '';
  const unit = row.ou ?? null;
  if (!unit && subject === '0000') {
    skipped.country += row.values.length;
    return [];
  }
  const isRegion = subject.startsWith('00');
  const staged: StagedObservation[] = [];
  for (const value of row.values) {
    const deleted = Boolean(row.isdeleted || value.isdeleted);
    if (!deleted && (value.value === null || value.value === undefined)) {
      skipped.missing += 1;
      continue;
    }
    const gender = GENDER[value.gender];
    staged.push({
      position: next(),
      indicatorCode: row.kpi,
      regionCode: unit || !isRegion ? null : subject.slice(2),
      municipalityCode: unit || isRegion ? null : subject,
      koladaOuId: unit,
      period: String(row.period),
      value: deleted ? null : String(value.value),
      dimensions: gender ? { gender } : {},
      deleted,
    });
  }
  return staged;
}

export async function importKolada(connection: Connection, options: KoladaImportOptions): Promise<KoladaImportSummary> {
  const progress = options.progress ?? silentProgress;
  const client = new KoladaClient({ ...options.client, signal: options.signal });
  const years = yearsOf(options.years);
  if (options.since && !/^\d{4}-\d{2}-\d{2}$/.test(options.since)) throw new KoladaUsageError(`--since ${options.since}: give a date, YYYY-MM-DD`);
  const subjects = await subjectIds(connection, options);
  const kpis = await kpisOf(client, options.kpi);
  const kpiIds = kpis.map((kpi) => kpi.id).sort();

  // The same parameters, the same JSON: how a run finds the one to resume and the last success.
  const parameters = {
    baseUrl: client.baseUrl,
    kpis: kpiIds,
    subjects,
    years: years ?? null,
    dryRun: options.dryRun ?? false,
    ...(options.units ? { units: true } : {}),
  };
  const requests: string[] = [];
  for (const kpiBatch of chunks(kpiIds, IDS_PER_REQUEST)) {
    for (const subjectBatch of chunks(subjects, IDS_PER_REQUEST)) {
      requests.push(`/v3/data/kpi/${kpiBatch.join(',')}/municipality/${subjectBatch.join(',')}${years ? `/year/${years.join(',')}` : ''}`);
    }
  }

  let run = await resumableImportRun(connection.db, 'kolada', parameters);
  const resumed = run !== undefined;
  let checkpoint: Checkpoint;
  if (run) {
    checkpoint = run.checkpoint as unknown as Checkpoint;
  } else {
    const last = options.since ? undefined : await lastSuccessfulImport(connection.db, 'kolada', parameters);
    const fromDate = options.since ?? (last ? last.toISOString().slice(0, 10) : null);
    run = await startImportRun(connection.db, {
      source: 'kolada',
      actor: options.actor,
      sourceUrl: client.baseUrl,
      parameters,
      dryRun: options.dryRun ?? false,
    });
    checkpoint = { request: 0, nextUrl: null, fromDate, pages: 0, position: 0, skippedMissing: 0, skippedCountry: 0 };
  }
  const yearPath = years ? `/year/${years.join(',')}` : '';

  const skipped = { missing: checkpoint.skippedMissing, country: checkpoint.skippedCountry };
  let position = checkpoint.position;
  let rows = run.rowsRead;
  const query = `per_page=${PER_PAGE}${checkpoint.fromDate ? `&from_date=${checkpoint.fromDate}` : ''}`;
  try {
    if (options.units) {
      if (!checkpoint.units) checkpoint = { ...checkpoint, units: await fetchUnits(client, subjects, IDS_PER_REQUEST) };
      const unitIds = checkpoint.units!.map((unit) => unit.id);
      for (const kpiBatch of chunks(kpiIds, IDS_PER_REQUEST)) {
        for (const unitBatch of chunks(unitIds, IDS_PER_REQUEST)) requests.push(`/v3/oudata/kpi/${kpiBatch.join(',')}/ou/${unitBatch.join(',')}${yearPath}`);
      }
    }
    for (let request = checkpoint.request; request < requests.length; request++) {
      const start = request === checkpoint.request && checkpoint.nextUrl ? checkpoint.nextUrl : `${requests[request]}?${query}`;
      for await (const { page } of client.pages<KoladaDataRow>(start)) {
        const staged = page.values.flatMap((row) => stagedOf(row, () => ++position, skipped));
        rows += page.values.length;
        checkpoint = {
          ...checkpoint,
          request: page.next_url ? request : request + 1,
          nextUrl: page.next_url ?? null,
          pages: checkpoint.pages + 1,
          position,
          skippedMissing: skipped.missing,
          skippedCountry: skipped.country,
        };
        await stageWithCheckpoint(connection.db, run.id, staged, checkpoint as unknown as Record<string, unknown>, rows);
        progress.update({ stage: 'reading', done: checkpoint.pages, unit: 'pages', rows });
      }
    }
    if (options.signal?.aborted) throw new ImportInterrupted();
    progress.update({ stage: 'merging', done: checkpoint.pages, total: checkpoint.pages, unit: 'pages', rows });
    let indicators = { created: 0, changed: 0, unchanged: 0 };
    let units: UnitCounts = { created: 0, changed: 0, unchanged: 0 };
    const counts = await mergeStagedObservations(connection.db, run, {
      rowsRead: rows,
      driver: connection.driver,
      prepare: async (tx) => {
        indicators = await upsertIndicators(tx, kpis, client.baseUrl, options.actor);
        units = await upsertUnits(tx, checkpoint.units ?? [], options.actor);
        return indicators;
      },
    });
    progress.stop();
    return {
      importId: run.id,
      resumed,
      dryRun: run.dryRun,
      fromDate: checkpoint.fromDate,
      requests: client.requests,
      pages: checkpoint.pages,
      rows,
      skippedMissing: skipped.missing,
      skippedCountry: skipped.country,
      indicators,
      units,
      ...counts,
    };
  } catch (error) {
    progress.stop();
    // Kolada failing or an interrupt keeps what was staged, to resume; a refused merge (bad data)
    // starts over next time.
    const resumable = error instanceof KoladaError || error instanceof ImportInterrupted;
    await failImportRun(connection.db, run.id, error instanceof Error ? error.message : String(error), { keepStaged: resumable });
    throw error;
  }
}

export type { KoladaPage };

import { createReadStream, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  type Connection,
  failImportRun,
  type MergeCounts,
  mergeStagedObservations,
  OBSERVATION_CSV_COLUMNS,
  PERIOD,
  type StagedObservation,
  StagedRowError,
  stageCopyLines,
  stagingCopyLine,
  startImportRun,
} from '@naravard/db';
import { parse } from 'csv-parse';
import { ImportInterrupted } from '../interrupted.ts';
import { type Progress, silentProgress } from '../progress.ts';

/*
 * The CSV shape of observations (docs/CSV.md), the same for import and export: a header row;
 * indicator, region, organisation, period, value; one column per dimension; optionally id,
 * updated_at, deleted_at.
 */

export const RESERVED_COLUMNS = OBSERVATION_CSV_COLUMNS;
type Reserved = (typeof RESERVED_COLUMNS)[number];

const DIMENSION_NAME = /^[a-z][a-z_]*$/;
const DIMENSION_VALUE = /^[a-z][a-z0-9_]*$/;
const INDICATOR_CODE = /^[A-Z0-9][A-Z0-9_]*$/;
const REGION_CODE = /^[0-9]{2}$/;
const DECIMAL = /^-?[0-9]{1,15}(\.[0-9]{1,8})?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Rows staged per COPY: large enough to amortise a round trip, small enough to keep memory flat. */
const ROWS_PER_COPY = 10_000;
/**
 * A full garbage collection, run after each COPY. V8 lets the heap grow far beyond what is live
 * when a program allocates as fast as a parser does; collecting once per 10,000 rows keeps a
 * million-row import within a flat few hundred MB, at a cost of milliseconds.
 */
const collectGarbage: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/** Most problems one refused file lists. */
const MAX_LISTED_PROBLEMS = 20;

export interface CsvProblem {
  line: number;
  column: string;
  message: string;
}

/** A file refused: every problem with its line and column. Nothing was written. */
export class CsvImportError extends Error {
  constructor(
    readonly file: string,
    readonly problems: CsvProblem[],
    readonly unlisted = 0,
  ) {
    super(
      [
        `${file}: refused, nothing was imported.`,
        ...problems.map((problem) => `  line ${problem.line}, column "${problem.column}": ${problem.message}`),
        ...(unlisted > 0 ? [`  and ${unlisted} more problems`] : []),
      ].join('\n'),
    );
    this.name = 'CsvImportError';
  }
}

export interface CsvImportOptions {
  file: string;
  /** The indicator of every row, when the file has no indicator column (or to check it). */
  indicator?: string | undefined;
  /** Source column → field of the shape ("län" → "region"), applied to the header. */
  map?: Record<string, string>;
  actor: string;
  dryRun?: boolean;
  progress?: Progress;
  /** Aborting stops the run before its merge: nothing is written. */
  signal?: AbortSignal;
}

export interface CsvImportSummary extends MergeCounts {
  importId: string;
  rows: number;
  dryRun: boolean;
}

/** The organisation UUID in a global ID ("Organisation:<uuid>" in base64), or null. */
function organisationIdOf(globalId: string): string | null {
  const decoded = Buffer.from(globalId, 'base64').toString('utf8');
  const [typeName, id] = decoded.split(':');
  return typeName === 'Organisation' && id && UUID.test(id) ? id.toLowerCase() : null;
}

/** The separator of a file, from its header line: ";" when the header has one, else ",". */
function separatorOf(headerLine: string): ',' | ';' {
  return headerLine.includes(';') ? ';' : ',';
}

/** The file's first line, to choose the separator before parsing. */
async function firstLineOf(path: string): Promise<string> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024 });
  let text = '';
  for await (const chunk of stream) {
    text += chunk as string;
    const end = text.search(/\r?\n/);
    if (end >= 0) {
      stream.destroy();
      return text.slice(0, end);
    }
  }
  return text;
}

interface Layout {
  /** Field name → column index. */
  fields: Partial<Record<Reserved, number>>;
  dimensions: { name: string; index: number }[];
  /** Column index → the name used in errors (as the file has it). */
  names: string[];
}

function layoutOf(header: string[], map: Record<string, string>, problems: CsvProblem[]): Layout {
  const fields: Partial<Record<Reserved, number>> = {};
  const dimensions: { name: string; index: number }[] = [];
  const seen = new Set<string>();
  header.forEach((raw, index) => {
    const column = raw.replace(/^\uFEFF/, '').trim();
    const name = map[column] ?? column;
    if (seen.has(name)) {
      problems.push({ line: 1, column: column, message: `the column "${name}" is given twice` });
      return;
    }
    seen.add(name);
    if ((RESERVED_COLUMNS as readonly string[]).includes(name)) fields[name as Reserved] = index;
    else if (!DIMENSION_NAME.test(name) || name.length > 64) {
      problems.push({
        line: 1,
        column: column,
        message: `"${name}" is not a dimension name (lower-case letters and underscores) nor one of ${RESERVED_COLUMNS.join(', ')}`,
      });
    } else dimensions.push({ name, index });
  });
  for (const required of ['period', 'value'] as const) {
    if (fields[required] === undefined) problems.push({ line: 1, column: required, message: `the header has no "${required}" column` });
  }
  if (fields.region === undefined && fields.organisation === undefined) {
    problems.push({ line: 1, column: 'region', message: 'the header needs a "region" or an "organisation" column' });
  }
  dimensions.sort((a, b) => (a.name < b.name ? -1 : 1));
  return { fields, dimensions, names: header.map((raw) => raw.replace(/^\uFEFF/, '').trim()) };
}

/**
 * Imports a CSV file of observations, streaming: rows are parsed, checked and staged 20,000 at a
 * time, then merged in one transaction. Any bad row refuses the whole file with its line and
 * column, and nothing is written.
 */
export async function importCsv(connection: Connection, options: CsvImportOptions): Promise<CsvImportSummary> {
  const path = resolve(options.file);
  const progress = options.progress ?? silentProgress;
  const size = statSync(path).size;
  const separator = separatorOf(await firstLineOf(path));
  const map = options.map ?? {};
  if (options.indicator !== undefined && !INDICATOR_CODE.test(options.indicator)) {
    throw new CsvImportError(options.file, [{ line: 0, column: '--indicator', message: `"${options.indicator}" is not an indicator code` }]);
  }

  const run = await startImportRun(connection.db, {
    source: 'csv',
    actor: options.actor,
    sourceUrl: path,
    parameters: { file: path, indicator: options.indicator ?? null, map, separator },
    dryRun: options.dryRun ?? false,
  });

  const problems: CsvProblem[] = [];
  let unlisted = 0;
  const report = (problem: CsvProblem) => {
    if (problems.length < MAX_LISTED_PROBLEMS) problems.push(problem);
    else unlisted += 1;
  };
  let layout: Layout | undefined;
  let batch = '';
  let batchRows = 0;
  // The COPY of the last batch, in flight while the next one is parsed: the database writes one
  // batch while the importer reads the next. At most one batch is in flight.
  let staging: Promise<void> = Promise.resolve();
  const stage = async (lines: string) => {
    await staging;
    staging = stageCopyLines(connection, lines);
    staging.catch(() => {}); // awaited before the next batch, the merge, or the cleanup
  };
  let rows = 0;
  let lastLine = 1;

  const input = createReadStream(path);
  const parser = input.pipe(
    parse({
      bom: true,
      delimiter: separator,
      relax_column_count: false,
      skip_empty_lines: true,
      info: true,
      trim: false,
    }),
  );
  try {
    try {
      for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        const cells = record.record;
        const line = record.info.lines;
        lastLine = line;
        if (!layout) {
          layout = layoutOf(cells, map, problems);
          if (problems.length > 0) break;
          if (layout.fields.indicator === undefined && options.indicator === undefined) {
            report({ line: 1, column: 'indicator', message: 'the file has no "indicator" column: give --indicator <code>' });
            break;
          }
          continue;
        }
        rows += 1;
        if (options.signal?.aborted) throw new ImportInterrupted();
        const staged = checkRow(cells, line, layout, options.indicator, separator, report);
        if (staged && problems.length === 0) {
          batch += stagingCopyLine(run.id, staged);
          batchRows += 1;
          if (batchRows >= ROWS_PER_COPY) {
            await stage(batch);
            batch = '';
            batchRows = 0;
            collectGarbage();
            progress.update({ stage: 'reading', done: input.bytesRead, total: size, unit: 'bytes', rows });
          }
        }
      }
    } catch (error) {
      // csv-parse names the line of a broken record (an open quote, a wrong number of columns).
      const parseError = error as { code?: string; lines?: number; message?: string; record?: string[] };
      if (!parseError.code?.startsWith('CSV_')) throw error;
      const message =
        parseError.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' && layout && parseError.record
          ? `the header has ${layout.names.length} columns, this row ${parseError.record.length}`
          : (parseError.message ?? String(error));
      report({ line: parseError.lines ?? lastLine + 1, column: '*', message });
    }
    if (!layout) report({ line: 1, column: '*', message: 'the file is empty: it needs a header row' });
    if (problems.length > 0) throw new CsvImportError(options.file, problems, unlisted);
    await stage(batch);
    await staging;
    batch = '';
    if (options.signal?.aborted) throw new ImportInterrupted();
    progress.update({ stage: 'merging', done: size, total: size, unit: 'bytes', rows });
    let counts: MergeCounts;
    try {
      counts = await mergeStagedObservations(connection.db, run, { rowsRead: rows, driver: connection.driver });
    } catch (error) {
      if (error instanceof StagedRowError) {
        const column = error.field === 'municipality' ? 'region' : error.field === 'identity' ? 'period' : error.field;
        const message =
          error.field === 'identity'
            ? `line ${error.otherPosition} is the same observation as line ${error.position} (indicator, subject, period and dimensions); give each once`
            : error.problem;
        throw new CsvImportError(options.file, [{ line: error.otherPosition ?? error.position, column, message }]);
      }
      throw error;
    }
    progress.stop();
    return { importId: run.id, rows, dryRun: run.dryRun, ...counts };
  } catch (error) {
    progress.stop();
    input.destroy();
    await staging.catch(() => {}); // its rows land before they are dropped
    await failImportRun(connection.db, run.id, error instanceof Error ? error.message : String(error), { keepStaged: false });
    throw error;
  }
}

/** One data row checked against the shape; problems reported with line and column. */
function checkRow(
  cells: string[],
  line: number,
  layout: Layout,
  indicatorOption: string | undefined,
  separator: ',' | ';',
  report: (problem: CsvProblem) => void,
): StagedObservation | null {
  const { fields, names } = layout;
  const cell = (field: Reserved) => (fields[field] === undefined ? '' : (cells[fields[field]!] ?? '').trim());
  const column = (field: Reserved) => (fields[field] === undefined ? field : names[fields[field]!]!);
  let ok = true;
  const bad = (field: Reserved | string, message: string, name = column(field as Reserved)) => {
    ok = false;
    report({ line, column: name, message });
  };

  let indicator = cell('indicator');
  if (!indicator) indicator = indicatorOption ?? '';
  if (!indicator) bad('indicator', 'empty: give the indicator code, or --indicator');
  else if (!INDICATOR_CODE.test(indicator)) bad('indicator', `"${indicator}" is not an indicator code (capitals, digits and _)`);
  else if (indicatorOption !== undefined && indicator !== indicatorOption) {
    bad('indicator', `"${indicator}" is not the indicator given with --indicator (${indicatorOption})`);
  }

  const region = cell('region');
  const organisation = cell('organisation');
  let organisationId: string | null = null;
  if (region && organisation) bad('organisation', 'give region or organisation, not both');
  else if (!region && !organisation) bad(fields.region !== undefined ? 'region' : 'organisation', 'empty: every row needs a region or an organisation');
  else if (region && !REGION_CODE.test(region)) bad('region', `"${region}" is not a two-digit SCB county code such as "13"`);
  else if (organisation) {
    organisationId = organisationIdOf(organisation);
    if (!organisationId) bad('organisation', `"${organisation}" is not an Organisation ID of this platform`);
  }

  const period = cell('period');
  if (!PERIOD.test(period)) bad('period', `"${period}" is not a period: YYYY, YYYY-Qn or YYYY-MM`);

  const deletedAt = cell('deleted_at');
  const deleted = deletedAt !== '';
  if (deleted && Number.isNaN(Date.parse(deletedAt))) bad('deleted_at', `"${deletedAt}" is not a time (ISO 8601, e.g. 2024-05-01T12:00:00Z)`);

  let value: string | null = cell('value');
  if (separator === ';') value = value.replace(',', '.');
  if (value === '') {
    if (!deleted) bad('value', 'empty: every row that is not deleted needs a value');
    value = null;
  } else if (!DECIMAL.test(value)) {
    bad('value', `"${cell('value')}" is not a decimal number (at most 15 digits before the ${separator === ';' ? 'decimal comma' : 'point'} and 8 after)`);
  }

  const dimensions: Record<string, string> = {};
  for (const dimension of layout.dimensions) {
    const dimensionValue = (cells[dimension.index] ?? '').trim();
    if (dimensionValue === '') continue;
    if (!DIMENSION_VALUE.test(dimensionValue) || dimensionValue.length > 100) {
      bad(dimension.name, `"${dimensionValue}" is not a dimension value (lower-case letters, digits and _, starting with a letter)`, names[dimension.index]);
    }
    dimensions[dimension.name] = dimensionValue;
  }
  if (!ok) return null;
  return {
    position: line,
    indicatorCode: indicator,
    regionCode: region || null,
    organisationId,
    period,
    value,
    dimensions,
    deleted,
  };
}

import type { ReviewNote, SeedFile } from '@naravard/db';
import { slug } from './names.ts';
import { dimensionValue, findMonthlyTables } from './observations.ts';
import type { Lines } from './text.ts';

/**
 * Tables of monthly counts as an indicator and its observations, when asked: months without a year
 * take the year of the document's date, which the review list says so it is checked.
 */
export function draftObservations(lines: Lines, seed: SeedFile, short: string, region: string | null, date: string | null, wanted: boolean, review: ReviewNote[]) {
  const tables = findMonthlyTables(lines, wanted ? review : []);
  for (const table of tables) {
    const at: [number, number] = [table.titleSpan.first, table.rows[table.rows.length - 1]!.line];
    if (!wanted) {
      review.push({ lines: at, text: table.title, why: 'a table of monthly counts: draft again with --observations to read it as observations' });
      continue;
    }
    if (!region || !date) {
      review.push({ lines: at, text: table.title, why: 'a table of monthly counts, but the region (--region) or the year (the document\'s date) is not known' });
      continue;
    }
    const year = date.slice(0, 4);
    const name = slug(table.title).slice(0, 40).replace(/-+$/, '');
    const indicatorKey = `indicator:${short}:${name}`;
    seed.indicators.push({
      key: indicatorKey,
      code: `${short}_${name}`.toUpperCase().replace(/[^A-Z0-9]+/g, '_').slice(0, 60).replace(/_+$/, ''),
      name: table.title,
      description: null,
      unit: 'antal',
      direction: 'neutral',
      sourceSystem: null,
      koladaKpiId: null,
      topics: [],
      targets: [],
      cite: [lines.cite(table.titleSpan)],
    });
    table.rows.forEach((row, rowIndex) => {
      row.values.forEach((cell, columnIndex) => {
        seed.observations.push({
          key: `observation:${short}:${name}:${rowIndex + 1}-${columnIndex + 1}`,
          indicator: indicatorKey,
          region,
          organisation: null,
          period: `${year}-${String(cell.month).padStart(2, '0')}`,
          value: cell.value,
          dimensions: { row: dimensionValue(row.label), ...(cell.column ? { column: dimensionValue(cell.column) } : {}) },
          cite: [lines.cite(table.header), lines.cite({ first: row.line, last: row.line })],
        });
      });
    });
    review.push({ lines: [table.header.first, table.header.last], text: lines.textOf(table.header), why: `the months of this table have no year: read as ${year}, the year of the document's date` });
  }
}


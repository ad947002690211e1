import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

export const REFERENCE_FOLDER = fileURLToPath(new URL('../reference', import.meta.url));

export interface County {
  code: string;
  countyName: string;
  regionName: string;
  isoCode: string;
}

export interface Municipality {
  code: string;
  name: string;
  countyCode: string;
}

function readCsv(name: string): Record<string, string>[] {
  return parse(readFileSync(`${REFERENCE_FOLDER}/${name}`, 'utf8'), {
    columns: true,
    skip_empty_lines: true,
    trim: true,
  }) as Record<string, string>[];
}

function field(row: Record<string, string>, column: string, file: string): string {
  const value = row[column];
  if (!value) throw new Error(`${file}: a row has no ${column}: ${JSON.stringify(row)}`);
  return value;
}

/** The 21 counties and 290 municipalities shipped in `db/reference/` (see its README for their origin). */
export function readReferenceData(): { counties: County[]; municipalities: Municipality[] } {
  const counties = readCsv('counties.csv').map((row) => ({
    code: field(row, 'county_code', 'counties.csv'),
    countyName: field(row, 'county_name', 'counties.csv'),
    regionName: field(row, 'region_authority', 'counties.csv'),
    isoCode: field(row, 'iso_3166_2', 'counties.csv'),
  }));
  const municipalities = readCsv('municipalities.csv').map((row) => ({
    code: field(row, 'municipality_code', 'municipalities.csv'),
    name: field(row, 'municipality_name', 'municipalities.csv'),
    countyCode: field(row, 'county_code', 'municipalities.csv'),
  }));
  return { counties, municipalities };
}

import type { ReviewNote } from '@naravard/db';
import { slug } from './names.ts';
import type { Lines, Span } from './text.ts';

const MONTHS: Record<string, number> = {
  jan: 1, januari: 1, feb: 2, februari: 2, mar: 3, mars: 3, apr: 4, april: 4, maj: 5, jun: 6, juni: 6, jul: 7, juli: 7,
  aug: 8, augusti: 8, sep: 9, sept: 9, september: 9, okt: 10, oktober: 10, nov: 11, november: 11, dec: 12, december: 12,
};
const monthOf = (token: string) => MONTHS[token.toLowerCase().replace(/[.:,]$/, '')];

export interface MonthlyTable {
  title: string;
  titleSpan: Span;
  header: Span;
  rows: { label: string; line: number; values: { month: number; column: string | null; value: string }[] }[];
}

/** A row of figures: a label, then at least three counts ("Offentliga vårdcentraler, antal SIP  52 175 58 128"). */
function readRow(line: string): { label: string; values: string[] } | null {
  const tokens = line.trim().split(/\s+/);
  let k = tokens.length;
  while (k > 0 && /^[0-9]+$/.test(tokens[k - 1]!)) k--;
  const values = tokens.slice(k);
  const label = tokens.slice(0, k).join(' ').replace(/[,:]$/, '');
  if (values.length < 3 || !/\p{L}{2}/u.test(label)) return null;
  return { label, values };
}

/**
 * Tables of monthly counts, flattened into lines as PDF text has them: rows of figures under a
 * header naming a month for each column ("Maj hemsjukv", "Maj GP", "Juni …"), possibly with a
 * qualifier after each month. A table is read only when the header names exactly as many columns
 * as each row has figures; otherwise it is left for review.
 */
export function findMonthlyTables(lines: Lines, review: ReviewNote[]): MonthlyTable[] {
  const tables: MonthlyTable[] = [];
  let n = 1;
  while (n <= lines.count) {
    const first = readRow(lines.at(n));
    if (!first) {
      n++;
      continue;
    }
    const rows = [{ ...first, line: n }];
    let m = lines.nextFilled(n);
    while (m) {
      const row = readRow(lines.at(m));
      if (!row || row.values.length !== first.values.length) break;
      rows.push({ ...row, line: m });
      m = lines.nextFilled(m);
    }
    const last = rows[rows.length - 1]!.line;
    n = last + 1;
    const table = headerOf(lines, rows[0]!.line, first.values.length);
    if (!table) {
      review.push({ lines: [rows[0]!.line, last], text: lines.textOf({ first: rows[0]!.line, last }), why: 'figures in rows, but no header naming one month per column: not read as observations' });
      continue;
    }
    tables.push({
      ...table,
      rows: rows.map((row) => ({ label: row.label, line: row.line, values: row.values.map((value, index) => ({ ...table.columns[index]!, value })) })),
    });
  }
  return tables;
}

function headerOf(lines: Lines, firstRow: number, width: number) {
  // Header lines: above the rows, each naming a month or only a short qualifier.
  let top = firstRow;
  for (let n = firstRow - 1; n >= Math.max(1, firstRow - 30); n--) {
    if (lines.isBlank(n)) continue;
    const tokens = lines.at(n).trim().split(/\s+/);
    if (tokens.some((token) => monthOf(token)) || tokens.length <= 2) top = n;
    else break;
  }
  if (top === firstRow) return null;
  const tokens = lines.lines.slice(top - 1, firstRow - 1).join(' ').trim().split(/\s+/).filter(Boolean);
  const columns: { month: number; column: string | null }[] = [];
  for (const token of tokens) {
    const month = monthOf(token);
    if (month) columns.push({ month, column: null });
    else if (columns.length > 0) {
      const current = columns[columns.length - 1]!;
      current.column = current.column ? `${current.column} ${token}` : token;
    }
  }
  if (columns.length !== width || tokens.length === 0 || !monthOf(tokens[0]!)) return null;
  const titleLast = previousFilled(lines, top);
  if (!titleLast) return null;
  let titleFirst = titleLast;
  while (titleFirst > 1 && !lines.isBlank(titleFirst - 1)) titleFirst--;
  const header = { first: top, last: firstRow - 1 };
  while (lines.isBlank(header.last)) header.last--;
  return { title: lines.textOf({ first: titleFirst, last: titleLast }), titleSpan: { first: titleFirst, last: titleLast }, header, columns };
}

function previousFilled(lines: Lines, n: number): number {
  for (let m = n - 1; m >= 1; m--) if (!lines.isBlank(m)) return m;
  return 0;
}

/** A dimension value: lower case, digits and underscores ("Offentliga vårdcentraler" → "offentliga_vardcentraler"). */
export const dimensionValue = (value: string) => {
  const made = slug(value).replace(/-/g, '_');
  return /^[a-z]/.test(made) ? made : `v_${made}`;
};

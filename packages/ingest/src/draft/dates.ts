/** Swedish dates as written in minutes: "2023-03-28", "28 mars 2023", "den 8 november". */

const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];

export const ISO_DATE = /\b(20[0-9]{2})-([01][0-9])-([0-3][0-9])\b/;
const LONG_DATE = new RegExp(`\\b([0-3]?[0-9])\\s+(${MONTHS.join('|')})\\s+(20[0-9]{2})\\b`, 'i');

/** A real calendar date as "YYYY-MM-DD", or null. */
function valid(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

/** The first date written in the text, ISO or long Swedish form. */
export function findDate(value: string): string | null {
  const iso = ISO_DATE.exec(value);
  if (iso) return valid(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const long = LONG_DATE.exec(value);
  if (long) return valid(Number(long[3]), MONTHS.indexOf(long[2]!.toLowerCase()) + 1, Number(long[1]));
  return null;
}

/** "kl. 13.00–15.30", "Tid 09:00-12:00": start and end, "HH:MM". */
export function findTimes(value: string): { startsAt: string | null; endsAt: string | null } {
  const range = /\b([01]?[0-9]|2[0-3])[.:]([0-5][0-9])\s*[-–—]\s*([01]?[0-9]|2[0-3])[.:]([0-5][0-9])\b/.exec(value);
  const pad = (hour: string) => hour.padStart(2, '0');
  if (range) return { startsAt: `${pad(range[1]!)}:${range[2]}`, endsAt: `${pad(range[3]!)}:${range[4]}` };
  const single = /\bkl\.?\s*([01]?[0-9]|2[0-3])[.:]([0-5][0-9])\b/i.exec(value);
  if (single) return { startsAt: `${pad(single[1]!)}:${single[2]}`, endsAt: null };
  return { startsAt: null, endsAt: null };
}

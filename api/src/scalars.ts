import { PERIOD } from '@naravard/db';
import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { BadInputError } from './errors.ts';

/** Parses a scalar literal or variable as a string, or says which scalar rejected what. */
export function stringValue(scalar: string, value: unknown): string {
  if (typeof value !== 'string') throw new GraphQLError(`${scalar} must be a string, got ${JSON.stringify(value)}`);
  return value;
}

export function literalString(scalar: string, ast: ValueNode): string {
  if (ast.kind !== Kind.STRING) throw new GraphQLError(`${scalar} must be a string literal`);
  return ast.value;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "YYYY-MM-DD", a real calendar date. */
export function parseDate(value: unknown): string {
  const text = stringValue('Date', value);
  const match = DATE.exec(text);
  const date = match ? new Date(`${text}T00:00:00Z`) : null;
  // Year 0000 is a valid ISO date but no PostgreSQL date: there is no year 0.
  if (!match || match[1] === '0000' || !date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text) {
    throw new GraphQLError(`Date must be a calendar date as YYYY-MM-DD, got "${text}"`);
  }
  return text;
}


/** "2018" (year), "2018-Q3" (quarter) or "2018-05" (month); never year 0000, which has no dates. */
export function parsePeriod(value: unknown): string {
  const text = stringValue('Period', value);
  if (!PERIOD.test(text) || text.startsWith('0000')) throw new GraphQLError(`Period must be YYYY, YYYY-Qn or YYYY-MM, got "${text}"`);
  return text;
}

/** An exact decimal as a string ("148", "51900000.00", "-0.5"), never a binary float. */
export function parseDecimal(value: unknown): string {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : stringValue('Decimal', value);
  if (!/^-?[0-9]+(\.[0-9]+)?$/.test(text)) throw new GraphQLError(`Decimal must be digits with an optional fraction, got "${text}"`);
  return text;
}

/** A DateTime in ISO 8601 with a time zone. */
export function parseDateTime(value: unknown): Date {
  const text = stringValue('DateTime', value);
  const date = new Date(text);
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
  if (!iso.test(text) || text.startsWith('0000') || Number.isNaN(date.getTime())) {
    throw new GraphQLError(`DateTime must be ISO 8601 with a time zone (2024-05-01T12:00:00Z), got "${text}"`);
  }
  return date;
}

/** The type and key of a global ID (base64 of "Type:id"), or null when the text is none. */
export function globalIdParts(globalID: string): { typename: string; id: string } | null {
  const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(globalID) ? Buffer.from(globalID, 'base64').toString('utf8') : '';
  const match = /^([A-Z][A-Za-z0-9]*):([^\u0000-\u001f]+)$/.exec(decoded);
  return match ? { typename: match[1]!, id: match[2]! } : null;
}

/**
 * Reads a global ID, refusing anything else as bad input, so a mistyped ID is the caller's error,
 * not an internal one.
 */
export function decodeGlobalId(globalID: string): { typename: string; id: string } {
  const parts = globalIdParts(globalID);
  if (!parts) throw new BadInputError(`${JSON.stringify(globalID.slice(0, 100))} is not an ID this API gave out.`);
  return parts;
}

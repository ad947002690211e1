import { type EntityName, PERIOD, SEK_AMOUNT, type Writer, writeAs } from '@naravard/db';
import { decodeGlobalID } from '@pothos/plugin-relay';
import organisationsnummerModule from 'organisationsnummer';
import { z } from 'zod';
import { actorOf } from './auth.ts';
import type { Context } from './context.ts';
import { type FieldIssue, ValidationError } from './errors.ts';
import { UUID } from './loaders.ts';

export { type Actor, type CitationInputShape, Writer } from '@naravard/db';

/**
 * Runs one write of the caller as one transaction through a `Writer` (see `writeAs`), recorded in
 * the change log under the caller's API key.
 */
export function write<T>(context: Context, work: (writer: Writer) => Promise<T>): Promise<T> {
  return writeAs(context.writer, actorOf(context.principal), work);
}

// The package is CommonJS (`module.exports = Organisationsnummer`) but its types declare an ES default export.
const Organisationsnummer = organisationsnummerModule as unknown as typeof organisationsnummerModule.default;

/** Validates input with a zod schema; every problem becomes a FieldIssue with its full path. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, path: (string | number)[] = ['input']): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.map((issue) => ({
    path: [...path, ...issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part))],
    message: issue.message,
  }));
  throw new ValidationError(issues);
}

/** Input rules shared by every write. */
export const rules = {
  /** Text with a length limit; blank is refused. */
  text: (max: number) => z.string().trim().min(1, 'must not be blank').max(max, `must be at most ${max} characters`),
  /** SEK: exact, not negative, at most two decimals (öre). */
  sek: z
    .string()
    .regex(SEK_AMOUNT, 'must be an amount in SEK, not negative, with at most two decimals (e.g. "148" or "51900000.00")'),
  /** An exact decimal: digits, an optional sign and fraction, at most 20 significant digits. */
  decimal: z.string().regex(/^-?[0-9]{1,15}(\.[0-9]{1,8})?$/, 'must be a decimal number with at most 15 digits before and 8 after the point'),
  regionCode: z.string().regex(/^[0-9]{2}$/, 'must be a two-digit SCB county code such as "07"'),
  /** A Swedish organisation number (organisationsnummer), checksum verified; stored as "NNNNNN-NNNN". */
  organisationNumber: z
    .string()
    .refine((value) => Organisationsnummer.valid(value), 'must be a valid Swedish organisation number (e.g. "202100-5489"); the check digit does not match')
    .transform((value) => Organisationsnummer.parse(value).format(true)),
  /** A reporting period: "2018", "2018-Q3" or "2018-05". */
  period: z
    .string()
    .regex(PERIOD, 'must be a period: YYYY, YYYY-Qn or YYYY-MM')
    .refine((period) => !period.startsWith('0000'), 'must be a period from year 0001 on'),
  date: z.iso.date('must be a date, YYYY-MM-DD'),
  /** A global ID of the given type, decoded to the record's UUID. */
  globalId: (...typeNames: EntityName[]) =>
    z.string().transform((value, context) => {
      const decoded = decodeRecordId(value, typeNames, typeNames.join(' or '));
      if ('id' in decoded) return decoded.id;
      context.addIssue({ code: 'custom', message: decoded.problem });
      return z.NEVER;
    }),
  /** A list that may be left out or null: an empty list then. */
  list: <S extends z.ZodType>(schema: z.ZodArray<S>) => schema.nullish().transform((value) => value ?? []),
  topics: z.array(z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a topic slug such as "central-contact-entry"')).max(30),
  /** The version the client last read, for optimistic concurrency. */
  version: z.number().int().min(1),
};

/**
 * The type and UUID of the record a global ID names, when it is of one of `typeNames` (described to
 * the client as `what`: "Organisation or Person", "record that can be tagged (…)"); else what is wrong.
 */
function decodeRecordId<Name extends string>(value: string, typeNames: readonly Name[], what: string): { typeName: Name; id: string } | { problem: string } {
  let decoded: { typename: string; id: string };
  try {
    decoded = decodeGlobalID(value);
  } catch {
    return { problem: `"${value}" is not an ID this API gave out` };
  }
  const typeName = typeNames.find((name) => name === decoded.typename);
  if (!typeName || !UUID.test(decoded.id)) {
    return { problem: `must be the ID of a ${what}, not of a ${decoded.typename}` };
  }
  return { typeName, id: decoded.id };
}

/**
 * The type and UUID of the record a global ID argument names, for arguments that take records of
 * several types (any record that carries citations, any that can be tagged); a ValidationError at `path` otherwise.
 */
export function recordIdOf<Name extends string>(value: string, typeNames: readonly Name[], what: string, path: (string | number)[]): { typeName: Name; id: string } {
  const decoded = decodeRecordId(value, typeNames, what);
  if ('problem' in decoded) throw new ValidationError([{ path, message: decoded.problem }]);
  return decoded;
}

/** Drops keys whose value is undefined, so "left out" and "set to null" stay different in a patch. */
export function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}

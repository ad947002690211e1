import { selectRows, tables } from '@naravard/db';
import { encodeGlobalID } from '@pothos/plugin-relay';
import DataLoader from 'dataloader';
import { sql } from 'drizzle-orm';
import type { Context } from './context.ts';
import { BadInputError } from './errors.ts';
import { UUID } from './loaders.ts';
import { globalIdParts } from './scalars.ts';

/**
 * Filters that name a region, a topic or an organisation take what people type, not only codes:
 * - a region by SCB county code ("18"), ISO code ("SE-T") or name: "Örebro", "Region Örebro län",
 *   "Örebro län" (case and accents ignored);
 * - a topic by slug ("central-contact-entry") or name, English or Swedish ("central kontaktingång");
 * - an organisation by ID or by name or alias ("Regionstyrelsen"), within the filter's region when
 *   one is given.
 * A name that names nothing (or more than one organisation) is a BadInputError naming the argument,
 * with the closest names (pg_trgm similarity) as suggestions: a filter never silently matches nothing.
 *
 * Each name is looked up once per request (the lookups are cached in the request's loaders), before
 * the list's statement; county codes and IDs need no lookup at all.
 */

/** Lower-cased, accents removed, runs of white space as one space: as `foldedSql` folds a column. */
export function foldName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** A name folded for comparing words: `foldName`, and hyphens and underscores as spaces ("central-contact-entry"). */
function foldWords(text: string): string {
  return foldName(text).replace(/[\s_-]+/g, ' ').trim();
}

/** A text column folded in SQL as `foldName` folds the name given (the locale's `lower` may leave non-ASCII capitals: accents go first). */
const foldedSql = (column: unknown) => sql`lower(naravard_unaccent(${column}))`;

/** The heart of a region or county name: "region orebro lan" and "orebro lan" → "orebro", "stockholms lan" → "stockholm". */
function regionCore(folded: string): string {
  return folded
    .replace(/^region /, '')
    .replace(/ lan$/, '')
    .replace(/regionen$/, '')
    .replace(/s$/, '')
    .trim();
}

const quoted = (text: string) => JSON.stringify(text);

function suggestionText(names: string[]): string {
  return names.length ? ` Closest: ${names.join(', ')}.` : '';
}

/**
 * The 21 SCB county codes (länskoder), fixed by law since 1998: a code outside them is refused
 * without a statement, so a filter by code costs nothing and never silently matches nothing.
 */
const COUNTY_CODES = new Set(['01', '03', '04', '05', '06', '07', '08', '09', '10', '12', '13', '14', '17', '18', '19', '20', '21', '22', '23', '24', '25']);

interface RegionCandidate {
  code: string;
  name: string;
  county_name: string;
  iso_code: string;
  score: number;
}

/** Every live region with its trigram similarity to the name given: 21 rows, one statement. */
async function regionCandidates(context: Context, name: string): Promise<RegionCandidate[]> {
  const r = tables.regions;
  const folded = foldName(name);
  return context
    .loader(
      'names:region',
      () =>
        new DataLoader<string, RegionCandidate[]>(
          async (names) =>
            Promise.all(
              names.map((wanted) =>
                selectRows<RegionCandidate>(
                  context.db,
                  sql`select ${r.code} as code, ${r.name} as name, ${r.countyName} as county_name, ${r.isoCode} as iso_code,
                    greatest(similarity(${foldedSql(r.name)}, ${wanted}::text),
                      similarity(${foldedSql(r.countyName)}, ${wanted}::text))::float8 as score
                  from ${r} where ${r.deletedAt} is null order by score desc, ${r.code}`,
                ),
              ),
            ),
          { batch: false },
        ),
    )
    .load(folded);
}

/**
 * The SCB county code of the region a filter names (by code, ISO code or name). A two-digit code is
 * taken as it is (no lookup); anything else is looked up.
 */
export async function regionCodeOf(context: Context, value: string | null | undefined, argument: string): Promise<string | undefined> {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^[0-9]{2}$/.test(text)) {
    if (!COUNTY_CODES.has(text)) {
      throw new BadInputError(`"${argument}": no region has the county code "${text}". The 21 codes run from "01" (Stockholm) to "25" (Norrbotten), without 02, 11, 15 and 16.`, argument);
    }
    return text;
  }
  if (!text) throw new BadInputError(`"${argument}" must not be blank: give a county code ("18") or a region name ("Örebro")`, argument);
  const folded = foldWords(text);
  const core = regionCore(folded);
  const candidates = await regionCandidates(context, text);
  const match = candidates.find((region) => {
    const names = [foldWords(region.name), foldWords(region.county_name)];
    return (
      region.iso_code.toLowerCase() === foldName(text) ||
      names.includes(folded) ||
      names.map(regionCore).includes(core)
    );
  });
  if (match) return match.code;
  const closest = candidates.slice(0, 3).map((region) => `${quoted(region.name)} (${region.code})`);
  throw new BadInputError(
    `"${argument}": no region is called ${quoted(text)}. Give a county code ("18") or a region or county name ("Örebro", "Region Örebro län").${suggestionText(closest)}`,
    argument,
  );
}

interface TopicCandidate {
  slug: string;
  name: string;
  swedish_name: string | null;
  score: number;
  deleted: boolean;
}

/** The slug of the topic a filter names, by slug or by name (English or Swedish). */
export async function topicSlugOf(context: Context, value: string | null | undefined, argument: string): Promise<string | undefined> {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (!text) throw new BadInputError(`"${argument}" must not be blank: give a topic's slug or name`, argument);
  const t = tables.topics;
  const folded = foldWords(text);
  const candidates = await context
    .loader(
      'names:topic',
      () =>
        new DataLoader<string, TopicCandidate[]>(
          async (names) =>
            Promise.all(
              names.map((wanted) =>
                selectRows<TopicCandidate>(
                  context.db,
                  sql`select ${t.slug} as slug, ${t.name} as name, ${t.swedishName} as swedish_name,
                    greatest(similarity(replace(${t.slug}, '-', ' '), ${wanted}::text),
                      similarity(${foldedSql(t.name)}, ${wanted}::text),
                      coalesce(similarity(${foldedSql(t.swedishName)}, ${wanted}::text), 0))::float8 as score
                    , ${t.deletedAt} is not null as deleted
                  from ${t} where ${t.deletedAt} is null or replace(${t.slug}, '-', ' ') = ${wanted}::text
                  order by score desc, ${t.slug}`,
                ),
              ),
            ),
          { batch: false },
        ),
    )
    .load(folded);
  // A deleted topic's slug still names it (lists then hold none of its records, as before it was
  // deleted they held its tags): incremental refreshes filtered by it keep working.
  const match = candidates.find(
    (topic) =>
      topic.slug === text ||
      (!topic.deleted && [foldWords(topic.slug), foldWords(topic.name), foldWords(topic.swedish_name ?? '')].includes(folded)),
  );
  if (match) return match.slug;
  const closest = candidates
    .filter((topic) => !topic.deleted)
    .slice(0, 3)
    .map((topic) => `${quoted(topic.slug)} (${topic.swedish_name ? `${topic.swedish_name}, ` : ''}${topic.name})`);
  throw new BadInputError(`"${argument}": no topic has the slug or name ${quoted(text)}.${suggestionText(closest)}`, argument);
}

interface OrganisationCandidate {
  id: string;
  name: string;
  region_name: string | null;
  exact: boolean;
  score: number;
}

/**
 * The global ID of the organisation a filter names: an Organisation ID as it is (no lookup), else a
 * name or alias, within `regionCode` when given. Several organisations of that name (each region
 * has its own "Regionstyrelsen") are refused with their IDs, so the caller can pick one or add a region.
 */
export async function organisationIdOf(
  context: Context,
  value: string | null | undefined,
  argument: string,
  regionCode?: string,
): Promise<string | undefined> {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (!text) throw new BadInputError(`"${argument}" must not be blank: give an Organisation ID or an organisation's name`, argument);
  const parts = globalIdParts(text);
  if (parts) {
    if (parts.typename !== 'Organisation') {
      throw new BadInputError(`"${argument}" must be an ID of type Organisation, got an ID of type ${parts.typename} (or give the organisation's name)`, argument);
    }
    if (!UUID.test(parts.id)) throw new BadInputError(`"${argument}" is not an ID this API gave out`, argument);
    return text;
  }
  const o = tables.organisations;
  const r = tables.regions;
  const folded = foldName(text);
  const key = JSON.stringify([folded, regionCode ?? null]);
  const candidates = await context
    .loader(
      'names:organisation',
      () =>
        new DataLoader<string, OrganisationCandidate[]>(
          async (keys) =>
            Promise.all(
              keys.map((entry) => {
                const [wanted, region] = JSON.parse(entry) as [string, string | null];
                const name = foldedSql(o.name);
                const exact = sql`(${name} = ${wanted}::text
                  or exists (select 1 from unnest(${o.aliases}) as alias where ${foldedSql(sql`alias`)} = ${wanted}::text))`;
                return selectRows<OrganisationCandidate>(
                  context.db,
                  sql`select ${o.id}::text as id, ${o.name} as name, ${r.name} as region_name, ${exact} as exact,
                    similarity(${name}, ${wanted}::text)::float8 as score
                  from ${o} left join ${r} on ${r.id} = ${o.regionId}
                  where ${o.deletedAt} is null ${region ? sql`and ${r.code} = ${region}` : sql``}
                    and (${exact} or similarity(${name}, ${wanted}::text) >= 0.3)
                  order by ${exact} desc, score desc, ${o.name}, ${o.id} limit 10`,
                );
              }),
            ),
          { batch: false },
        ),
    )
    .load(key);
  const matches = candidates.filter((candidate) => candidate.exact);
  const within = regionCode ? ` in region ${regionCode}` : '';
  const describe = (candidate: OrganisationCandidate) =>
    `${quoted(candidate.name)}${candidate.region_name ? ` (${candidate.region_name})` : ''}`;
  if (matches.length === 1) return encodeGlobalID('Organisation', matches[0]!.id);
  if (matches.length > 1) {
    const listed = matches.slice(0, 5).map((candidate) => `${describe(candidate)}: ${encodeGlobalID('Organisation', candidate.id)}`);
    throw new BadInputError(
      `"${argument}": ${matches.length} organisations${within} are called ${quoted(text)}: ${listed.join('; ')}. Give one's ID, or filter by region too.`,
      argument,
    );
  }
  const closest = candidates.slice(0, 3).map(describe);
  throw new BadInputError(`"${argument}": no organisation${within} is called ${quoted(text)}.${suggestionText(closest)}`, argument);
}

/** The named parts a list filter may have. */
interface NamedFilter {
  region?: string | null;
  topic?: string | null;
}

/** Filter fields that name an organisation (by ID or name). */
const ORGANISATION_FIELDS = ['organisation', 'decidedBy', 'issuedBy', 'auditor', 'audited', 'recipientOrganisation', 'parent'] as const;

/**
 * A list filter with its names resolved: `region` as a county code, `topic` as a slug,
 * the fields naming an organisation (`organisation`, `decidedBy`, `issuedBy`, `auditor`, …) as Organisation IDs.
 * `path` is where the filter is ("filter"; "" for a field's own arguments).
 */
export async function resolveFilterNames<Filter>(context: Context, filter: Filter, path = 'filter'): Promise<Filter> {
  const at = (field: string) => (path ? `${path}.${field}` : field);
  if (!filter || typeof filter !== 'object') return filter;
  const named = filter as NamedFilter;
  const resolved: NamedFilter = { ...named };
  if (typeof named.region === 'string') resolved.region = await regionCodeOf(context, named.region, at('region'));
  if (typeof named.topic === 'string') resolved.topic = await topicSlugOf(context, named.topic, at('topic'));
  const fields = resolved as Record<string, unknown>;
  for (const field of ORGANISATION_FIELDS) {
    const value = fields[field];
    if (typeof value === 'string') fields[field] = await organisationIdOf(context, value, at(field), resolved.region ?? undefined);
  }
  return resolved as Filter;
}

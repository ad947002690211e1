import { recordChange, selectRows, type Transaction, tables } from '@naravard/db';
import { inArray, sql } from 'drizzle-orm';
import type { KoladaClient } from './client.ts';

/*
 * Kolada's organisational units (health centres, schools, care homes …) as organisations.
 *
 * - `/v3/ou?municipality=…` lists the units of the municipalities and regions asked for, each
 *   `{ id, title, municipality }`; `municipality` is a kommunkod or a region's "00" + county code.
 * - A unit is an organisation matched by its Kolada id (`organisations.kolada_ou_id`): created the
 *   first time, its name, region and parent kept up to date after. A unit of a municipality has
 *   the municipality's organisation as parent and its region; a unit of a region has the region.
 * - Its kind is `health_centre` when its title says it is one (vårdcentral, hälsocentral,
 *   vårdcentrum), otherwise `other`: Kolada does not name the kind of a unit.
 * - Units are written in the import's merge transaction, with the observations, and every
 *   creation and change is in the change log.
 */

export interface KoladaOu {
  id: string;
  title: string;
  /** A kommunkod ("0780") or a region ("0013"). */
  municipality: string;
}

export interface UnitCounts {
  created: number;
  changed: number;
  unchanged: number;
}

/** A Kolada unit refers to a municipality or region the platform does not have. Nothing was written. */
export class KoladaUnitError extends Error {
  constructor(
    readonly unit: string,
    message: string,
  ) {
    super(message);
    this.name = 'KoladaUnitError';
  }
}

const HEALTH_CENTRE = /(vård|hälso)central|vårdcentrum/i;

export const unitKind = (title: string) => (HEALTH_CENTRE.test(title) ? 'health_centre' : 'other');

/** The units of these Kolada subjects (kommunkoder, "00"+county codes), 25 subjects a request, sorted by id. */
export async function fetchUnits(client: KoladaClient, subjects: readonly string[], perRequest: number): Promise<KoladaOu[]> {
  const units = new Map<string, KoladaOu>();
  for (let start = 0; start < subjects.length; start += perRequest) {
    const batch = subjects.slice(start, start + perRequest);
    for await (const { page } of client.pages<KoladaOu>(`/v3/ou?municipality=${batch.join(',')}&per_page=5000`)) {
      for (const unit of page.values) {
        // Kolada filters by municipality; a unit of another one is not asked for.
        if (batch.includes(unit.municipality)) units.set(unit.id, { id: unit.id, title: unit.title.trim(), municipality: unit.municipality });
      }
    }
  }
  return [...units.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Creates or updates the units' organisations (one statement), logs each creation and change, and counts them. */
export async function upsertUnits(tx: Transaction, units: readonly KoladaOu[], actor: string): Promise<UnitCounts> {
  if (units.length === 0) return { created: 0, changed: 0, unchanged: 0 };
  const rows = units.map((unit) => ({ kolada_ou_id: unit.id, name: unit.title, kind: unitKind(unit.title), subject: unit.municipality }));
  // Where each unit belongs: its municipality's organisation (parent and region), or its region.
  const placed = await selectRows<{ kolada_ou_id: string; subject: string; region_id: string | null; parent_id: string | null }>(
    tx,
    sql`
    with input as (select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(kolada_ou_id text, subject text))
    select i.kolada_ou_id, i.subject,
      case when i.subject like '00%' then (select r.id from regions r where r.code = substr(i.subject, 3) and r.deleted_at is null)
           else (select m.region_id from organisations m where m.municipality_code = i.subject and m.deleted_at is null) end as region_id,
      case when i.subject like '00%' then null
           else (select m.id from organisations m where m.municipality_code = i.subject and m.deleted_at is null) end as parent_id
    from input i`,
  );
  const unplaced = placed.find((row) => (row.subject.startsWith('00') ? !row.region_id : !row.parent_id));
  if (unplaced) {
    const what = unplaced.subject.startsWith('00') ? `the region with county code ${unplaced.subject.slice(2)}` : `the municipality ${unplaced.subject}`;
    throw new KoladaUnitError(unplaced.kolada_ou_id, `Kolada unit ${unplaced.kolada_ou_id} belongs to ${what}, which the platform does not have`);
  }
  const place = new Map(placed.map((row) => [row.kolada_ou_id, row]));
  const input = rows.map((row) => ({ ...row, region_id: place.get(row.kolada_ou_id)!.region_id, parent_id: place.get(row.kolada_ou_id)!.parent_id }));
  const before = new Map(
    (await tx.select().from(tables.organisations).where(inArray(tables.organisations.koladaOuId, units.map((unit) => unit.id)))).map((row) => [row.koladaOuId, row]),
  );
  const written = await selectRows<{ id: string; kolada_ou_id: string; inserted: boolean }>(
    tx,
    sql`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb)
        as r(kolada_ou_id text, name text, kind organisation_kind, region_id uuid, parent_id uuid)
    )
    insert into organisations as o (kolada_ou_id, name, kind, region_id, parent_id)
    select kolada_ou_id, name, kind, region_id, parent_id from input order by kolada_ou_id
    on conflict (kolada_ou_id) do update
      set name = excluded.name, kind = excluded.kind, region_id = excluded.region_id, parent_id = excluded.parent_id,
          deleted_at = null, version = o.version + 1, updated_at = now()
      where (o.name, o.kind, o.region_id, o.parent_id) is distinct from (excluded.name, excluded.kind, excluded.region_id, excluded.parent_id)
         or o.deleted_at is not null
    returning o.id, o.kolada_ou_id, (o.xmax = 0) as inserted`,
  );
  for (const row of written) {
    const [after] = await tx.select().from(tables.organisations).where(sql`${tables.organisations.id} = ${row.id}`);
    await recordChange(tx, {
      actor,
      apiKeyId: null,
      operation: row.inserted ? 'create' : 'update',
      entityType: 'organisation',
      entityId: row.id,
      before: row.inserted ? null : (before.get(row.kolada_ou_id) ?? null),
      after,
    });
  }
  const created = written.filter((row) => row.inserted).length;
  return { created, changed: written.length - created, unchanged: units.length - written.length };
}

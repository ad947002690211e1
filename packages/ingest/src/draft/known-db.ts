import { type Database, idFor, readReferenceData, readSeedSet, tables } from '@naravard/db';
import type { KnownEntities, KnownEntity } from './model.ts';
import { slug } from './names.ts';

/**
 * The people and bodies in the database, with the keys their IDs were made from. Keyed records
 * (seed data and applied drafts) follow the key rules ("person:<county>:<name>"), so a key is found
 * in the seed data set or by making the candidates and comparing IDs; records without such a key (created through the API
 * with other names) cannot be referred to from a draft and are left out.
 */
export async function loadKnownEntities(db: Database): Promise<KnownEntities> {
  const codes = [...readReferenceData().counties.map((county) => county.code), 'se'];
  const people = await db.select().from(tables.people);
  const organisations = await db.select().from(tables.organisations);
  // Keys of the seed data set, which do not always follow the names.
  const seedKeys = new Map<string, { key: string; region: string | null }>();
  for (const { seed } of readSeedSet().documents) {
    for (const person of seed.people) seedKeys.set(idFor(person.key), { key: person.key, region: person.key.split(':')[1] ?? null });
    for (const organisation of seed.organisations) seedKeys.set(idFor(organisation.key), { key: organisation.key, region: organisation.region });
  }
  const keyOf = (kind: string, id: string, names: string[]) => {
    const seeded = seedKeys.get(id);
    if (seeded) return seeded;
    for (const name of names) {
      for (const code of codes) {
        const key = `${kind}:${code}:${slug(name)}`;
        if (idFor(key) === id) return { key, region: code === 'se' ? null : code };
      }
    }
    return null;
  };
  const known = (rows: { id: string; name: string; aliases: string[]; deletedAt: Date | null; municipalityCode?: string | null }[], kind: string): KnownEntity[] =>
    rows
      .filter((row) => row.deletedAt === null)
      .flatMap((row) => {
        if (row.municipalityCode) return [{ key: `municipality:${row.municipalityCode}`, name: row.name, aliases: row.aliases, region: row.municipalityCode.slice(0, 2) }];
        const found = keyOf(kind, row.id, [row.name, ...row.aliases]);
        return found ? [{ key: found.key, name: row.name, aliases: row.aliases, region: found.region }] : [];
      });
  return { people: known(people, 'person'), organisations: known(organisations, 'org') };
}

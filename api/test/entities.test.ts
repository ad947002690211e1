import { ENTITIES, type EntityName, entityNamed, entityTypeOf, isEntityName } from '@naravard/db';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/schema/index.ts';
import { entitiesImplementing } from '../src/schema/entities.ts';
import type { Writer } from '../src/writes.ts';

/*
 * The entity registry (db/src/entities.ts) names entities by literal: a misspelt name in the code fails `pnpm typecheck`
 * (CI runs it), and a name that comes from outside the code (a global ID, a schema type) is checked
 * once, where it enters.
 */
describe('the entity registry', () => {
  it('refuses a misspelt entity name at the typecheck', () => {
    const meeting: EntityName = 'Meeting';
    // @ts-expect-error 'Meetnig' is no entity's name
    const misspelt: EntityName = 'Meetnig';
    // The writer's operations take only entity names: this function is checked, never called.
    const typeOnly = (writer: Writer) => {
      // @ts-expect-error 'Decison' is no entity's name
      void writer.current('Decison', '00000000-0000-0000-0000-000000000000');
      void writer.current('Decision', '00000000-0000-0000-0000-000000000000');
    };
    expect(typeof typeOnly).toBe('function');
    expect(isEntityName(meeting)).toBe(true);
    expect(isEntityName(misspelt)).toBe(false);
  });

  it('checks a name from outside the code where it enters', () => {
    expect(entityNamed('AgendaItem')).toBe('AgendaItem');
    expect(entityTypeOf('AgendaItem')).toBe('agenda_item');
    expect(() => entityNamed('Meetnig')).toThrow('Meetnig is not an entity type');
    // Inherited object properties are no entities either.
    expect(isEntityName('toString')).toBe(false);
    expect(isEntityName('constructor')).toBe(false);
  });

  it('knows which entities carry citations and which can be tagged, from the schema', () => {
    const cited = entitiesImplementing(schema, 'Cited');
    expect(cited).toEqual(expect.arrayContaining(['Meeting', 'Decision', 'Audit', 'Observation']));
    expect(cited).not.toContain('Citation');
    for (const name of [...cited, ...entitiesImplementing(schema, 'Tagged')]) expect(Object.keys(ENTITIES)).toContain(name);
  });
});

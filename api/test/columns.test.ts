import { tables } from '@naravard/db';
import { describe, expect, it } from 'vitest';
import { columnsFor } from '../src/columns.ts';
import '../src/schema/index.ts';

/** A selection of the given fields, with the given collections. */
const selection = (fields: string[], collections: string[] = []) => ({
  fields: new Set(fields),
  isCollection: (field: string) => collections.includes(field),
});

describe('columnsFor', () => {
  it('reads the columns named by the fields, the keys of references, and the ID for lists', () => {
    const { columns } = columnsFor(tables.meetings, selection(['title', 'organisation', 'agendaItems'], ['agendaItems']));
    expect(Object.keys(columns).sort()).toEqual(['deletedAt', 'id', 'organisationId', 'title', 'version']);
  });

  it('reads every column but the search vector for a field it cannot tell', () => {
    const { columns, key } = columnsFor(tables.decisions, selection(['text', 'somethingComputed']));
    expect(key).toBe('*');
    expect(columns).not.toHaveProperty('searchVector');
    expect(columns).toHaveProperty('decidedOn');
  });

  it("reads what a field declares: an allocation's programme may come from its grant", () => {
    const { columns } = columnsFor(tables.allocations, selection(['programme']));
    expect(Object.keys(columns).sort()).toEqual(['deletedAt', 'grantId', 'id', 'programmeId', 'version']);
  });
});

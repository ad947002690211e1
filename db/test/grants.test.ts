import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  valueAfterPatch,
  allocationRulesBroken,
  grantRulesBroken,
  liveRowCount,
  oreOf,
  refuseBrokenRules,
  requireGrantUnderProgramme,
  requireLiveSources,
  requireNothingAgainst,
  SEK_AMOUNT,
  tables as t,
  ValidationError,
  type Writer,
} from '../src/index.ts';
import { createTestDatabase, inRolledBackWrite, type TestDatabase } from '../src/testing.ts';
import { type Fixture, insertFixture } from './fixture.ts';

/*
 * The write rules of grant programmes, grants and allocations, without GraphQL or HTTP. The rules
 * on stored records run in transactions rolled back at their end, on the fixture's programme, its
 * grant (100.50 SEK to Region Test and Testnämnden) and the allocation against both (4–44 SEK per
 * listed patient).
 */

let database: TestDatabase;
let fixture: Fixture;
const ACTOR = { name: 'grants-test', apiKeyId: null };

beforeAll(async () => {
  database = await createTestDatabase();
  fixture = await insertFixture(database.db);
});
afterAll(() => database?.dispose());

const write = <T>(work: Parameters<typeof inRolledBackWrite<T>>[2]) => inRolledBackWrite(database.db, ACTOR, work);
const caught = (work: Promise<unknown>) => work.then(() => 'no error', (error: unknown) => error);

describe('SEK amounts', () => {
  it('takes digits with at most two decimals, nothing negative or longer', () => {
    expect(['0', '4', '148.5', '148.50', '51900000', '9999999999999999.99'].filter((amount) => SEK_AMOUNT.test(amount))).toHaveLength(6);
    expect(['', '-1', '1.234', '1.', '.5', '1,5', ' 1', '1e3', '12345678901234567'].filter((amount) => SEK_AMOUNT.test(amount))).toEqual([]);
  });

  it('reads a valid amount as öre, exactly, and anything else as null', () => {
    expect(oreOf('4')).toBe(400n);
    expect(oreOf('148.5')).toBe(14850n);
    expect(oreOf('148.50')).toBe(14850n);
    expect(oreOf('0.05')).toBe(5n);
    expect(oreOf('9999999999999999.99')).toBe(999999999999999999n);
    expect([oreOf(null), oreOf(undefined), oreOf(''), oreOf('-1'), oreOf('1.234'), oreOf('abc')]).toEqual([null, null, null, null, null, null]);
  });
});

describe('refuseBrokenRules and valueAfterPatch', () => {
  it('throws the broken rules as one ValidationError under the prefix, and nothing when none is broken', () => {
    expect(() => refuseBrokenRules([], 'patch')).not.toThrow();
    const error = (() => {
      try {
        refuseBrokenRules(
          [
            { field: 'rateUnit', message: 'a rate unit needs a rate (rateSek)' },
            { field: 'capUnit', message: 'a ceiling unit needs a ceiling (capSek)' },
          ],
          'patch',
        );
      } catch (thrown) {
        return thrown;
      }
      return 'no error';
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { path: ['patch', 'rateUnit'], message: 'a rate unit needs a rate (rateSek)' },
      { path: ['patch', 'capUnit'], message: 'a ceiling unit needs a ceiling (capSek)' },
    ]);
  });

  it('keeps the current value when the patch leaves a field out, and takes null when it clears it', () => {
    expect(valueAfterPatch(undefined, '07')).toBe('07');
    expect(valueAfterPatch(null, '07')).toBeNull();
    expect(valueAfterPatch('01', '07')).toBe('01');
    expect(valueAfterPatch(false, true)).toBe(false);
  });
});

describe('grantRulesBroken', () => {
  it('allows a grant with a recipient, and an approximate amount that is given', () => {
    expect(grantRulesBroken({ hasRecipientRegion: true, hasRecipientOrganisation: false, amountSek: '46000000', amountIsApproximate: true })).toEqual([]);
    expect(grantRulesBroken({ hasRecipientRegion: false, hasRecipientOrganisation: true, amountSek: null, amountIsApproximate: false })).toEqual([]);
  });

  it('refuses a grant without a recipient, and an approximate amount that is not given', () => {
    expect(grantRulesBroken({ hasRecipientRegion: false, hasRecipientOrganisation: false, amountSek: undefined, amountIsApproximate: true })).toEqual([
      { field: 'recipientRegion', message: 'a grant goes to a region (recipientRegion), an organisation (recipientOrganisation), or both' },
      { field: 'amountIsApproximate', message: 'only an amount can be approximate: give amountSek too' },
    ]);
    expect(grantRulesBroken({ hasRecipientRegion: true, hasRecipientOrganisation: true, amountSek: null, amountIsApproximate: true })).toEqual([
      { field: 'amountIsApproximate', message: 'only an amount can be approximate: give amountSek too' },
    ]);
  });
});

describe('allocationRulesBroken', () => {
  const rate = (rateSek: string, rateMaxSek: string) => allocationRulesBroken({ grant: 'g', rateSek, rateMaxSek, rateUnit: 'listed patient' });
  const RANGE_BELOW = [{ field: 'rateMaxSek', message: 'the upper end of the rate range must not be below its lower end (rateSek)' }];

  it('allows an allocation with a source and an amount, a rate with its unit or a ceiling with its unit', () => {
    expect(allocationRulesBroken({ grant: 'g', amountSek: '30000000' })).toEqual([]);
    expect(allocationRulesBroken({ programme: 'p', rateSek: '148', rateUnit: 'listed patient' })).toEqual([]);
    expect(allocationRulesBroken({ grant: 'g', programme: 'p', capSek: '180000', capUnit: 'health centre and year' })).toEqual([]);
  });

  it('compares a rate range as amounts, not as text', () => {
    expect(rate('4', '44')).toEqual([]);
    expect(rate('5', '44')).toEqual([]);
    expect(rate('148.5', '148.50')).toEqual([]);
    expect(rate('148.50', '148.5')).toEqual([]);
    expect(rate('9', '10')).toEqual([]);
    expect(rate('44', '4')).toEqual(RANGE_BELOW);
    expect(rate('148.51', '148.5')).toEqual(RANGE_BELOW);
    expect(rate('10', '9.99')).toEqual(RANGE_BELOW);
  });

  it('leaves a range with an amount that is not SEK to the amount rule', () => {
    expect(rate('44', 'four')).toEqual([]);
    expect(rate('-44', '4')).toEqual([]);
  });

  it('refuses an allocation without a source or without an amount, a rate or a ceiling', () => {
    expect(allocationRulesBroken({})).toEqual([
      { field: 'grant', message: 'money is passed on from a grant, a programme, or both: give grant or programme' },
      { field: 'amountSek', message: 'an allocation needs an amount (amountSek), a rate (rateSek) or a ceiling (capSek)' },
    ]);
    expect(allocationRulesBroken({ grant: null, programme: undefined, amountSek: '1' })).toEqual([
      { field: 'grant', message: 'money is passed on from a grant, a programme, or both: give grant or programme' },
    ]);
  });

  it('refuses a rate or a ceiling without its unit, a unit without its rate or ceiling, and an upper end alone', () => {
    expect(allocationRulesBroken({ grant: 'g', rateSek: '148', capSek: '180000' })).toEqual([
      { field: 'rateUnit', message: 'a rate needs its unit, e.g. "listed patient"' },
      { field: 'capUnit', message: 'a ceiling needs its unit, e.g. "health centre and year"' },
    ]);
    expect(allocationRulesBroken({ grant: 'g', amountSek: '1', rateUnit: 'listed patient', capUnit: 'health centre and year' })).toEqual([
      { field: 'rateUnit', message: 'a rate unit needs a rate (rateSek)' },
      { field: 'capUnit', message: 'a ceiling unit needs a ceiling (capSek)' },
    ]);
    expect(allocationRulesBroken({ grant: 'g', amountSek: '1', rateMaxSek: '44' })).toEqual([
      { field: 'rateMaxSek', message: 'the upper end of a rate range needs its lower end (rateSek)' },
    ]);
  });
});

describe('requireGrantUnderProgramme', () => {
  const PATH = ['input', 'programme'];

  it('refuses a grant made under another programme, at the path given', async () => {
    const error = await caught(
      write(async (writer) => {
        const [other] = await writer.tx.insert(t.grantProgrammes).values({ name: 'Annat statsbidrag' }).returning();
        return requireGrantUnderProgramme(writer, fixture.grant.id, other!.id, PATH);
      }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { path: ['input', 'programme'], message: 'the grant is made under another programme; give the grant’s own programme or leave programme out' },
    ]);
  });

  it('allows the grant’s own programme, or either of them left out', async () => {
    await expect(write((writer) => requireGrantUnderProgramme(writer, fixture.grant.id, fixture.programme.id, PATH))).resolves.toBeUndefined();
    await expect(write((writer) => requireGrantUnderProgramme(writer, fixture.grant.id, null, PATH))).resolves.toBeUndefined();
    await expect(write((writer) => requireGrantUnderProgramme(writer, null, fixture.programme.id, PATH))).resolves.toBeUndefined();
  });
});

describe('deleting a source of money', () => {
  // What deleteGrantProgramme and deleteGrant check before they delete.
  const programmeDependants = (writer: Writer) => [
    { label: 'grants', count: () => liveRowCount(writer, t.grants, eq(t.grants.programmeId, fixture.programme.id)) },
    { label: 'allocations', count: () => liveRowCount(writer, t.allocations, eq(t.allocations.programmeId, fixture.programme.id)) },
  ];
  const grantDependants = (writer: Writer) => [
    { label: 'allocations', count: () => liveRowCount(writer, t.allocations, eq(t.allocations.grantId, fixture.grant.id)) },
  ];

  it('counts only live grants and allocations', async () => {
    const counts = await write(async (writer) => {
      const before = await liveRowCount(writer, t.allocations, eq(t.allocations.grantId, fixture.grant.id));
      await writer.delete('Allocation', fixture.allocation.id, null);
      const afterDelete = await liveRowCount(writer, t.allocations, eq(t.allocations.grantId, fixture.grant.id));
      const grants = await liveRowCount(writer, t.grants, eq(t.grants.programmeId, fixture.programme.id));
      return { before, afterDelete, grants };
    });
    expect(counts).toEqual({ before: 1, afterDelete: 0, grants: 1 });
  });

  it('refuses to delete a programme while live grants and allocations are recorded under it', async () => {
    const error = await caught(write((writer) => requireNothingAgainst(writer, 'programme', programmeDependants(writer))));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { path: ['id'], message: 'the programme still has 1 live grants and 1 live allocations: delete those first' },
    ]);
  });

  it('refuses to delete a grant while a live allocation is recorded against it', async () => {
    const error = await caught(write((writer) => requireNothingAgainst(writer, 'grant', grantDependants(writer))));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([{ path: ['id'], message: 'the grant still has 1 live allocations: delete those first' }]);
  });

  it('names only what is still live, and allows the delete once nothing is', async () => {
    const error = await caught(
      write(async (writer) => {
        await writer.delete('Allocation', fixture.allocation.id, null);
        await requireNothingAgainst(writer, 'grant', grantDependants(writer));
        return requireNothingAgainst(writer, 'programme', programmeDependants(writer));
      }),
    );
    expect((error as ValidationError).issues).toEqual([{ path: ['id'], message: 'the programme still has 1 live grants: delete those first' }]);
    await expect(
      write(async (writer) => {
        await writer.delete('Allocation', fixture.allocation.id, null);
        await writer.delete('Grant', fixture.grant.id, null);
        return requireNothingAgainst(writer, 'programme', programmeDependants(writer));
      }),
    ).resolves.toBeUndefined();
  });
});

describe('requireLiveSources', () => {
  it('refuses to restore a grant while its programme is deleted', async () => {
    const error = await caught(
      write(async (writer) => {
        await writer.delete('Allocation', fixture.allocation.id, null);
        await writer.delete('Grant', fixture.grant.id, null);
        await writer.delete('GrantProgramme', fixture.programme.id, null);
        const grant = await writer.restore<typeof t.grants.$inferSelect & { version: number }>('Grant', fixture.grant.id);
        return requireLiveSources(writer, [{ entity: 'GrantProgramme', id: grant.programmeId }]);
      }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([{ path: ['id'], message: 'its programme is deleted: restore the programme first' }]);
  });

  it('refuses to restore an allocation while its grant is deleted, naming the grant first', async () => {
    const error = await caught(
      write(async (writer) => {
        await writer.delete('Allocation', fixture.allocation.id, null);
        await writer.delete('Grant', fixture.grant.id, null);
        await writer.delete('GrantProgramme', fixture.programme.id, null);
        await writer.restore('Allocation', fixture.allocation.id);
        return requireLiveSources(writer, [
          { entity: 'Grant', id: fixture.grant.id },
          { entity: 'GrantProgramme', id: fixture.programme.id },
        ]);
      }),
    );
    expect((error as ValidationError).issues).toEqual([{ path: ['id'], message: 'its grant is deleted: restore the grant first' }]);
  });

  it('allows a restore when its sources are live or not given', async () => {
    await expect(
      write(async (writer) => {
        await writer.delete('Grant', fixture.grant.id, null);
        await writer.restore('Grant', fixture.grant.id);
        return requireLiveSources(writer, [
          { entity: 'Grant', id: fixture.grant.id },
          { entity: 'GrantProgramme', id: fixture.programme.id },
          { entity: 'GrantProgramme', id: null },
        ]);
      }),
    ).resolves.toBeUndefined();
  });
});

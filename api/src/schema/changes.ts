import { tables } from '@naravard/db';
import { and, asc, count, desc, eq, gt, gte, lt, ne, type SQL } from 'drizzle-orm';
import { hasScope } from '../auth.ts';
import { builder } from '../builder.ts';
import { databaseEnum } from '../enums.ts';
import { BadInputError } from '../errors.ts';
import { checkPageSize, cursorConnection, DEFAULT_PAGE_SIZE, literalLimit, MAX_PAGE_SIZE } from '../pagination.ts';
import { rules } from '../writes.ts';

type ChangeRow = typeof tables.changeLog.$inferSelect;

const ChangeOperation = databaseEnum('ChangeOperation', 'What a change did.', {
  create: 'The record was created.',
  update: 'The record was changed.',
  delete: 'The record was deleted (a tombstone).',
  restore: 'A deleted record was brought back.',
});

const EntityType = builder.enumType('EntityType', {
  description: 'The kinds of record the change log speaks of.',
  values: Object.fromEntries(
    tables.entityType.enumValues.map((value) => [value.toUpperCase(), { value, description: `A ${value.replaceAll('_', ' ')}.` }]),
  ),
});

const JSONObject = builder.scalarType('JSONObject', {
  description: 'A record as JSON, as it was stored.',
  serialize: (value) => value,
  parseValue: () => {
    throw new BadInputError('JSONObject is output only');
  },
});

const Change = builder.objectRef<ChangeRow>('Change').implement({
  description: 'One write: who made it, when, to which record, and the record before and after.',
  fields: (t) => ({
    sequence: t.string({ description: 'Position in the log: strictly increasing.', resolve: (change) => String(change.id) }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime', description: 'When the change was committed.' }),
    actor: t.exposeString('actor', { description: 'The name of the API key that made it, or "system" (seeding).' }),
    operation: t.expose('operation', { type: ChangeOperation, description: 'What the change did.' }),
    entityType: t.expose('entityType', { type: EntityType, description: 'The kind of record changed.' }),
    entityId: t.exposeString('entityId', { description: 'The UUID of the record changed.' }),
    before: t.field({ type: JSONObject, nullable: true, description: 'The record before (null for a creation).', resolve: (change) => change.before }),
    after: t.field({ type: JSONObject, nullable: true, description: 'The record after.', resolve: (change) => change.after }),
  }),
});

const CURSOR_PREFIX = 'change:';

builder.queryFields((t) => ({
  changes: t.connection({
    type: Change,
    description:
      'The change log, oldest first: every write with its before and after. Page with `after` to follow it; API-key changes are shown to admins only.',
    args: {
      since: t.arg({ type: 'DateTime', description: 'Only changes at or after this instant.' }),
      entity: t.arg({ type: EntityType, description: 'Only changes to this kind of record.' }),
      entityId: t.arg.id({ description: 'Only changes to this record (its global ID).' }),
    },
    resolve: async (_root, args, context) => {
      checkPageSize(args);
      const log = tables.changeLog;
      const conditions: (SQL | undefined)[] = [
        args.since ? gte(log.occurredAt, args.since) : undefined,
        args.entity ? eq(log.entityType, args.entity as never) : undefined,
        hasScope(context.principal, 'admin') ? undefined : ne(log.entityType, 'api_key'),
      ];
      if (args.entityId) {
        const parsed = rules.globalId('Region', 'Organisation', 'Person', 'Membership', 'Meeting', 'Participant', 'AgendaItem', 'Decision', 'Assignment', 'AssignmentReport', 'Audit', 'Recommendation', 'AuditResponse', 'RecommendationResponse', 'GrantProgramme', 'Grant', 'Allocation', 'Indicator', 'IndicatorTarget', 'Observation', 'Document', 'Topic').safeParse(args.entityId);
        if (!parsed.success) throw new BadInputError(`"entityId" is not an ID this API gave out: "${args.entityId}"`, 'entityId');
        conditions.push(eq(log.entityId, parsed.data));
      }
      const decode = (cursor: string, argument: string) => {
        const text = Buffer.from(cursor, 'base64url').toString('utf8');
        if (!text.startsWith(CURSOR_PREFIX) || !/^\d+$/.test(text.slice(CURSOR_PREFIX.length))) {
          throw new BadInputError(`"${argument}" is not a cursor this API gave out: "${cursor}"`, argument);
        }
        return BigInt(text.slice(CURSOR_PREFIX.length));
      };
      const connection = await cursorConnection<ChangeRow>(
        {
          args,
          defaultSize: DEFAULT_PAGE_SIZE,
          maxSize: MAX_PAGE_SIZE,
          toCursor: (change) => Buffer.from(`${CURSOR_PREFIX}${change.id}`).toString('base64url'),
        },
        ({ before, after, limit, inverted }) =>
          context.db
            .select()
            .from(log)
            .where(
              and(
                ...conditions,
                after ? gt(log.id, decode(after, 'after')) : undefined,
                before ? lt(log.id, decode(before, 'before')) : undefined,
              ),
            )
            .orderBy(inverted ? desc(log.id) : asc(log.id))
            .limit(literalLimit(limit) as unknown as number),
      );
      return {
        ...connection,
        totalCount: async () => (await context.db.select({ value: count() }).from(log).where(and(...conditions)))[0]?.value ?? 0,
      };
    },
  }),
}));

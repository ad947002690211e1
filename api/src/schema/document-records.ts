import { ENTITIES, type EntityType, entityNamed, tables } from '@naravard/db';
import { and, isNull, sql } from 'drizzle-orm';
import DataLoader from 'dataloader';
import { anyOf } from '../columns.ts';
import type { Context } from '../context.ts';
import { BadInputError } from '../errors.ts';
import { builder } from '../builder.ts';
import { loadEntity } from './entities.ts';
import { Document } from './refs.ts';

/**
 * What was read from a document: every live record that cites it (its meeting, agenda items,
 * decisions, assignments, an audit's recommendations…) and the audit responses it is the text of.
 */

interface RecordKey {
  entityType: EntityType;
  entityId: string;
}

const c = tables.citations;
const r = tables.auditResponses;

/** The records read from each of many documents, in one statement: by first cited line, then type and ID. */
function recordKeysLoader(context: Context) {
  return context.loader(
    'documentRecords',
    () =>
      new DataLoader<string, RecordKey[]>(async (documentIds) => {
        const ids = [...new Set(documentIds)];
        const cited = context.db
          .select({
            documentId: sql<string>`${c.documentId}::text`.as('document_id'),
            entityType: sql<string>`${c.entityType}::text`.as('entity_type'),
            entityId: sql<string>`${c.entityId}::text`.as('entity_id'),
            firstLine: sql<number | null>`min(${c.lineStart})`.as('first_line'),
          })
          .from(c)
          .where(and(anyOf(c.documentId, ids), isNull(c.deletedAt)))
          .groupBy(c.documentId, c.entityType, c.entityId);
        const responses = context.db
          .select({
            documentId: sql<string>`${r.documentId}::text`.as('document_id'),
            entityType: sql<string>`'audit_response'`.as('entity_type'),
            entityId: sql<string>`${r.id}::text`.as('entity_id'),
            firstLine: sql<number | null>`null::int`.as('first_line'),
          })
          .from(r)
          .where(and(anyOf(r.documentId, ids), isNull(r.deletedAt)));
        const union = cited.union(responses).as('records');
        const rows = (await context.db
          .select({
            documentId: union.documentId,
            entityType: union.entityType,
            entityId: union.entityId,
            firstLine: sql<number | null>`min(${union.firstLine})`,
          })
          .from(union)
          .groupBy(union.documentId, union.entityType, union.entityId)
          .orderBy(sql`min(${union.firstLine}) asc nulls first`, union.entityType, union.entityId)) as {
          documentId: string;
          entityType: EntityType;
          entityId: string;
        }[];
        const byDocument = new Map<string, RecordKey[]>();
        for (const row of rows) {
          const list = byDocument.get(row.documentId);
          const key = { entityType: row.entityType, entityId: row.entityId };
          if (list) list.push(key);
          else byDocument.set(row.documentId, [key]);
        }
        return documentIds.map((id) => byDocument.get(id) ?? []);
      }),
  );
}

const typeNames = Object.keys(ENTITIES);

builder.objectField(Document, 'records', (t) =>
  t.field({
    type: [builder.nodeInterfaceRef()],
    description:
      'What was read from this document: every record that cites it (its meeting, agenda items, decisions, assignments, audit, responses…) and the audit responses it is the text of, each once, by the first line cited (audit responses first). Deleted records are left out.',
    args: {
      types: t.arg.stringList({ description: 'Only records of these types (GraphQL type names: "Meeting", "Decision").' }),
    },
    resolve: async (document, args, context) => {
      const wanted = args.types ? new Set(args.types) : null;
      if (wanted) {
        const unknown = [...wanted].filter((name) => !typeNames.includes(name));
        if (unknown.length > 0) {
          throw new BadInputError(`"types" names no record type: ${unknown.join(', ')}; the types are ${typeNames.join(', ')}`, 'types');
        }
      }
      const wantedTypes = wanted ? new Set<EntityType>([...wanted].map((name) => ENTITIES[entityNamed(name)].type)) : null;
      const keys = (await recordKeysLoader(context).load(document.id)).filter((key) => !wantedTypes || wantedTypes.has(key.entityType));
      const records = await Promise.all(keys.map((key) => loadEntity(context, key.entityType, key.entityId)));
      return records.filter((record) => record !== null && !(record as { deletedAt?: Date | null }).deletedAt) as never;
    },
  }),
);
